/* SPDX-License-Identifier: Apache-2.0 */
/*
 * mint's apk writers against melange's own output: the fixture packages
 * were signed by melange with apko's test key melange.rsa, and RSA PKCS#1
 * v1.5 is deterministic, so signing their control members again must give
 * the very signature bytes they carry; an index written over the fixture
 * packages must hold the fixture APKINDEX's records; a re-signed index and
 * package must verify with the fixture public key.
 */
#include "testutil.h"

#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mint/apk_index_file.h"
#include "mint/apk_package.h"
#include "mint/apk_write.h"
#include "mint/fs.h"
#include "mint/gzip.h"
#include "mint/tar.h"

#define REPO "apko/internal/cli/testdata/packages"
#define PRIVATE_KEY "apko/internal/cli/testdata/melange.rsa"
#define PUBLIC_KEY "apko/internal/cli/testdata/melange.rsa.pub"

static void load_signer(struct mint_apk_signer *s)
{
	char *path = fixture_or_skip(PRIVATE_KEY);
	struct mint_err err = { 0 };
	assert_ok(mint_apk_signer_load(path, s, &err), &err);
	assert_string_equal(s->key_name, "melange.rsa.pub");
	free(path);
}

static void load_keyring(struct mint_apk_keyring *kr)
{
	char *path = fixture_or_skip(PUBLIC_KEY);
	struct mint_err err = { 0 };
	assert_ok(mint_apk_keyring_add_file(kr, path, &err), &err);
	free(path);
}

/* The fixture packages of one arch, sorted (glob sorts). */
static void list_apks(const char *arch, glob_t *g)
{
	char *dir = fixture_or_skip(REPO);
	char pattern[4096];
	snprintf(pattern, sizeof(pattern), "%s/%s/*.apk", dir, arch);
	assert_int_equal(glob(pattern, 0, NULL, g), 0);
	assert_true(g->gl_pathc >= 4);
	free(dir);
}

/* The uncompressed signature member: one tar entry, header then content. */
static void signature_entry(struct mint_span member, struct mint_buf *name, struct mint_buf *sig)
{
	struct mint_buf tar = MINT_BUF_INIT;
	struct mint_err err = { 0 };
	size_t used;
	assert_ok(mint_gunzip_member(member, NULL, &tar, &used, &err), &err);
	assert_int_equal(used, member.len);
	assert_true(tar.len >= 1024);
	assert_int_equal(mint_buf_puts(name, tar.data), 0);
	uint64_t size;
	assert_true(mint_span_octal_to_u64(MINT_SPAN(tar.data + 124, 12), &size));
	assert_int_equal(mint_buf_append(sig, tar.data + 512, size), 0);
	mint_buf_free(&tar);
}

static void test_control_member_signature_matches_melange_byte_for_byte(void **state)
{
	(void)state;
	struct mint_apk_signer s;
	load_signer(&s);
	glob_t g;
	unsigned same = 0, differ = 0;
	const char *arches[] = { "x86_64", "aarch64" };
	for (int a = 0; a < 2; a++) {
		list_apks(arches[a], &g);
		for (size_t i = 0; i < g.gl_pathc; i++) {
			struct mint_buf file = MINT_BUF_INIT, ours = MINT_BUF_INIT;
			struct mint_buf name = MINT_BUF_INIT, sig = MINT_BUF_INIT;
			struct mint_buf our_name = MINT_BUF_INIT, our_sig = MINT_BUF_INIT;
			struct mint_apk_package p;
			struct mint_err err = { 0 };
			read_file_or_fail(g.gl_pathv[i], &file);
			assert_ok(mint_apk_package_read_mem(mint_buf_span(&file), NULL, NULL, 0, &p,
							    &err), &err);
			struct mint_span control = MINT_SPAN(file.data + p.control_member.offset,
							     p.control_member.size);
			assert_ok(mint_apk_signature_member(&s, control, 0, &ours, &err), &err);
			signature_entry(MINT_SPAN(file.data, p.sig_member.size), &name, &sig);
			signature_entry(mint_buf_span(&ours), &our_name, &our_sig);
			assert_string_equal(our_name.data, name.data);
			if (sig.len == our_sig.len && !memcmp(sig.data, our_sig.data, sig.len))
				same++;
			else
				differ++;
			mint_apk_package_free(&p);
			mint_buf_free(&file);
			mint_buf_free(&ours);
			mint_buf_free(&name);
			mint_buf_free(&sig);
			mint_buf_free(&our_name);
			mint_buf_free(&our_sig);
		}
		globfree(&g);
	}
	printf("conformance: melange package signatures: %u byte-identical, %u differ\n", same,
	       differ);
	assert_int_equal(differ, 0);
	assert_true(same >= 8);
	mint_apk_signer_free(&s);
}

static bool same_str(const char *a, const char *b)
{
	/* apk-tools reads an absent U:/L: and an empty one alike. */
	return !strcmp(a ? a : "", b ? b : "");
}

static bool same_list(const struct mint_strlist *a, const struct mint_strlist *b)
{
	if (a->n != b->n)
		return false;
	for (size_t i = 0; i < a->n; i++)
		if (strcmp(a->items[i], b->items[i]))
			return false;
	return true;
}

static bool same_record(const struct mint_apk_pkg *a, const struct mint_apk_pkg *b)
{
	return same_str(a->identity, b->identity) && same_str(a->name, b->name) &&
	       same_str(a->version, b->version) && same_str(a->arch, b->arch) &&
	       a->file_size == b->file_size && a->installed_size == b->installed_size &&
	       same_str(a->description, b->description) && same_str(a->url, b->url) &&
	       same_str(a->license, b->license) && same_str(a->origin, b->origin) &&
	       same_str(a->maintainer, b->maintainer) && same_str(a->commit, b->commit) &&
	       a->has_build_time == b->has_build_time && a->build_time == b->build_time &&
	       a->has_provider_priority == b->has_provider_priority &&
	       a->provider_priority == b->provider_priority &&
	       same_list(&a->depends, &b->depends) && same_list(&a->provides, &b->provides) &&
	       same_list(&a->install_if, &b->install_if);
}

static unsigned compare_index(const char *arch, const char *tmp, const struct mint_apk_signer *s,
			      const struct mint_apk_keyring *kr, unsigned *differ)
{
	glob_t g;
	list_apks(arch, &g);
	char out[4096], fixture_rel[256];
	snprintf(out, sizeof(out), "%s/APKINDEX-%s.tar.gz", tmp, arch);
	snprintf(fixture_rel, sizeof(fixture_rel), REPO "/%s/APKINDEX.tar.gz", arch);
	struct mint_apk_index_opts o = {
		.apk_paths = (const char *const *)g.gl_pathv,
		.n_apks = g.gl_pathc,
		.signer = s,
		.out_path = out,
	};
	struct mint_err err = { 0 };
	assert_ok(mint_apk_index_write(&o, &err), &err);
	struct mint_apk_index_file ours, theirs;
	assert_ok(mint_apk_index_file_read(out, kr, NULL, MINT_APK_REQUIRE_TRUST, &ours, &err), &err);
	char *fixture = fixture_or_skip(fixture_rel);
	assert_ok(mint_apk_index_file_read(fixture, kr, NULL, MINT_APK_REQUIRE_TRUST, &theirs, &err),
		  &err);
	assert_int_equal(ours.index.n, theirs.index.n);
	unsigned same = 0;
	for (size_t i = 0; i < ours.index.n; i++) {
		if (same_record(&ours.index.pkgs[i], &theirs.index.pkgs[i]))
			same++;
		else
			(*differ)++;
	}
	mint_apk_index_file_free(&ours);
	mint_apk_index_file_free(&theirs);
	free(fixture);
	globfree(&g);
	return same;
}

static void test_index_over_fixture_packages_has_the_fixture_records(void **state)
{
	(void)state;
	struct mint_apk_signer s;
	struct mint_apk_keyring kr = { 0 };
	load_signer(&s);
	load_keyring(&kr);
	char *tmp = make_tmpdir();
	unsigned differ = 0;
	unsigned same = compare_index("x86_64", tmp, &s, &kr, &differ);
	same += compare_index("aarch64", tmp, &s, &kr, &differ);
	printf("conformance: melange APKINDEX records: %u equal, %u differ\n", same, differ);
	assert_int_equal(differ, 0);
	assert_true(same >= 8);
	cleanup_tmpdir(tmp);
	mint_apk_keyring_free(&kr);
	mint_apk_signer_free(&s);
}

/* Copies a fixture into tmp and returns the copy's path (malloc'd). */
static char *copy_fixture(const char *rel, const char *tmp, const char *name)
{
	char *src = fixture_or_skip(rel);
	struct mint_buf data = MINT_BUF_INIT;
	struct mint_err err = { 0 };
	read_file_or_fail(src, &data);
	char *dst = NULL;
	assert_true(asprintf(&dst, "%s/%s", tmp, name) > 0);
	assert_ok(mint_file_write_atomic(dst, data.data, data.len, 0644, &err), &err);
	mint_buf_free(&data);
	free(src);
	return dst;
}

static void test_resigned_fixture_index_and_package_verify_and_keep_content(void **state)
{
	(void)state;
	struct mint_apk_signer s;
	struct mint_apk_keyring kr = { 0 };
	struct mint_err err = { 0 };
	load_signer(&s);
	load_keyring(&kr);
	char *tmp = make_tmpdir();
	char *idx = copy_fixture(REPO "/x86_64/APKINDEX.tar.gz", tmp, "APKINDEX.tar.gz");
	struct mint_buf before = MINT_BUF_INIT, after = MINT_BUF_INIT;
	read_file_or_fail(idx, &before);
	assert_ok(mint_apk_index_sign(idx, &s, 0, &err), &err);
	read_file_or_fail(idx, &after);
	struct mint_apk_index_file old, f;
	assert_ok(mint_apk_index_file_read_mem(mint_buf_span(&before), NULL, NULL, 0, &old, &err),
		  &err);
	assert_ok(mint_apk_index_file_read(idx, &kr, NULL, MINT_APK_REQUIRE_TRUST, &f, &err), &err);
	/* The content member is kept byte for byte; same key and content give
	 * the same signature (only its gzip wrapping is mint's own). */
	assert_int_equal(f.content_member.size, old.content_member.size);
	assert_memory_equal(after.data + f.content_member.offset,
			    before.data + old.content_member.offset, old.content_member.size);
	assert_int_equal(f.n_sigs, 1);
	assert_int_equal(f.sigs[0].sig_len, old.sigs[0].sig_len);
	assert_memory_equal(f.sigs[0].sig, old.sigs[0].sig, old.sigs[0].sig_len);
	mint_apk_index_file_free(&old);
	mint_apk_index_file_free(&f);

	char *apk = copy_fixture(REPO "/x86_64/replayout-1.0.0-r0.apk", tmp, "replayout.apk");
	assert_ok(mint_apk_resign(apk, &s, &err), &err);
	struct mint_apk_package p;
	assert_ok(mint_apk_package_read(apk, &kr, NULL, MINT_APK_REQUIRE_TRUST | MINT_APK_HASH_FILES,
					&p, &err), &err);
	assert_int_equal(p.n_sigs, 1);
	mint_apk_package_free(&p);
	printf("conformance: melange sign-index and sign: re-signed fixtures verify\n");
	mint_buf_free(&before);
	mint_buf_free(&after);
	free(idx);
	free(apk);
	cleanup_tmpdir(tmp);
	mint_apk_keyring_free(&kr);
	mint_apk_signer_free(&s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_control_member_signature_matches_melange_byte_for_byte),
		cmocka_unit_test(test_index_over_fixture_packages_has_the_fixture_records),
		cmocka_unit_test(test_resigned_fixture_index_and_package_verify_and_keep_content),
	};
	return tests_exit(cmocka_run_group_tests(tests, NULL, NULL));
}
