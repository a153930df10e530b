/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Real packages and indexes from the upstream fixtures: Alpine (RSA/SHA-1),
 * melange (RSA256), the three-signature index, and every other .apk there.
 */
#include "testutil.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "mint/apk_index_file.h"
#include "mint/apk_package.h"
#include "mint/fs.h"

#define ALPINE "apko/pkg/apk/apk/testdata/alpine-316/alpine-baselayout-3.2.0-r23.apk"
#define ALPINE_KEYS "go-apk/pkg/apk/repo_test.go.extracted"
#define MELANGE_REPO "apko/internal/cli/testdata/packages"
#define MELANGE_KEY "apko/internal/cli/testdata/melange.rsa.pub"
#define PRIVATE_REPO "apko/internal/cli/testdata/private_packages/packages"
#define PRIVATE_KEY "apko/internal/cli/testdata/private_packages/private_pkg_key.rsa.pub"

static void load_keyring(struct mint_apk_keyring *kr, const char *rel)
{
	char *path = fixture_or_skip(rel);
	struct stat st;
	struct mint_err err = { 0 };
	assert_int_equal(stat(path, &st), 0);
	int rc = S_ISDIR(st.st_mode) ? mint_apk_keyring_add_dir(kr, path, &err)
				     : mint_apk_keyring_add_file(kr, path, &err);
	assert_ok(rc, &err);
	free(path);
}

static const struct mint_apk_pkg *find_pkg(const struct mint_apk_index *idx, const char *name,
					   const char *version)
{
	for (size_t i = 0; i < idx->n; i++)
		if (!strcmp(idx->pkgs[i].name, name) && !strcmp(idx->pkgs[i].version, version))
			return &idx->pkgs[i];
	return NULL;
}

static void test_alpine_package_verifies_and_matches_signed_index_identity(void **state)
{
	(void)state;
	struct mint_apk_keyring kr = { 0 };
	load_keyring(&kr, ALPINE_KEYS);
	char *path = fixture_or_skip(ALPINE);
	struct mint_apk_package p;
	struct mint_err err = { 0 };
	assert_ok(mint_apk_package_read(path, &kr, NULL, MINT_APK_HASH_FILES | MINT_APK_REQUIRE_TRUST,
					&p, &err), &err);
	assert_string_equal(p.identity, "Q1LLq2qDNrS/qRnhxQ3hsY/sHbQnc=");
	assert_string_equal(p.sigs[0].key_name, "alpine-devel@lists.alpinelinux.org-616ae350.rsa.pub");

	/* The Alpine 3.16 index lists another build of this version; the
	 * RSA256-signed test index lists this very file. */
	load_keyring(&kr, "apko/pkg/apk/apk/testdata/rsa256-signed/test-rsa256.rsa.pub");
	char *index_path = fixture_or_skip("apko/pkg/apk/apk/testdata/rsa256-signed/APKINDEX.tar.gz");
	struct mint_apk_index_file f;
	assert_ok(mint_apk_index_file_read(index_path, &kr, NULL, MINT_APK_REQUIRE_TRUST, &f, &err),
		  &err);
	const struct mint_apk_pkg *listed = find_pkg(&f.index, "alpine-baselayout", "3.2.0-r23");
	assert_non_null(listed);
	assert_string_equal(listed->identity, p.identity);
	assert_int_equal(listed->file_size, p.file_size);
	print_message("conformance: alpine-baselayout %s verified with the Alpine key, index C: matches\n",
		      p.identity);
	mint_apk_index_file_free(&f);
	mint_apk_package_free(&p);
	free(path);
	free(index_path);
	mint_apk_keyring_free(&kr);
}

/* The signature member's gzip header carries the FTEXT hint bit of FLG,
 * mtime (4 bytes), XFL and OS: fields that no signature or digest in the apk
 * v2 format covers, and that producers fill differently; a change there
 * cannot be detected by any reader. Every other byte is covered. */
static bool uncovered_byte(const struct mint_apk_package *p, size_t at)
{
	return p->sig_member.size && at >= 3 && at < 10;
}

static void test_alpine_package_any_single_byte_change_fails(void **state)
{
	(void)state;
	struct mint_apk_keyring kr = { 0 };
	load_keyring(&kr, ALPINE_KEYS);
	char *path = fixture_or_skip(ALPINE);
	struct mint_buf file = MINT_BUF_INIT;
	read_file_or_fail(path, &file);
	struct mint_apk_package good;
	struct mint_err err = { 0 };
	assert_ok(mint_apk_package_read_mem(mint_buf_span(&file), &kr, NULL, 0, &good, &err), &err);
	size_t detected = 0, uncovered = 0;
	const unsigned flags = MINT_APK_HASH_FILES | MINT_APK_REQUIRE_TRUST;
	for (size_t at = 0; at < file.len; at++) {
		if (uncovered_byte(&good, at)) {
			uncovered++;
			continue;
		}
		file.data[at] ^= 0x01;
		struct mint_apk_package p;
		mint_err_clear(&err);
		int rc = mint_apk_package_read_mem(mint_buf_span(&file), &kr, NULL, flags, &p, &err);
		file.data[at] ^= 0x01;
		if (rc == 0)
			fail_msg("flipping byte %zu went unnoticed", at);
		assert_true(err.msg[0] != '\0');
		detected++;
	}
	print_message("conformance: alpine-baselayout single-byte changes: %zu of %zu detected, "
		      "%zu in the unsigned gzip header of the signature member\n",
		      detected, file.len, uncovered);
	mint_apk_package_free(&good);
	mint_buf_free(&file);
	free(path);
	mint_apk_keyring_free(&kr);
}

/* Every .apk of a repository arch dir verifies and matches its index record. */
static void check_repo_arch(const char *repo, const char *arch, const struct mint_apk_keyring *kr,
			    size_t *n_pkgs)
{
	char rel[512];
	snprintf(rel, sizeof(rel), "%s/%s/APKINDEX.tar.gz", repo, arch);
	char *index_path = fixture_or_skip(rel);
	struct mint_apk_index_file f;
	struct mint_err err = { 0 };
	assert_ok(mint_apk_index_file_read(index_path, kr, NULL, MINT_APK_REQUIRE_TRUST, &f, &err),
		  &err);
	assert_true(f.index.n > 0);
	for (size_t i = 0; i < f.index.n; i++) {
		const struct mint_apk_pkg *rec = &f.index.pkgs[i];
		snprintf(rel, sizeof(rel), "%s/%s/%s-%s.apk", repo, arch, rec->name, rec->version);
		char *pkg_path = fixture_or_skip(rel);
		struct mint_apk_package p;
		assert_ok(mint_apk_package_read(pkg_path, kr, NULL,
						MINT_APK_HASH_FILES | MINT_APK_REQUIRE_TRUST, &p, &err),
			  &err);
		assert_string_equal(p.identity, rec->identity);
		assert_int_equal(p.file_size, rec->file_size);
		assert_string_equal(p.info.arch, arch);
		mint_apk_package_free(&p);
		free(pkg_path);
		(*n_pkgs)++;
	}
	mint_apk_index_file_free(&f);
	free(index_path);
}

static void test_melange_rsa256_repository_verifies_for_both_arches(void **state)
{
	(void)state;
	struct mint_apk_keyring kr = { 0 };
	load_keyring(&kr, MELANGE_KEY);
	size_t n = 0;
	check_repo_arch(MELANGE_REPO, "x86_64", &kr, &n);
	check_repo_arch(MELANGE_REPO, "aarch64", &kr, &n);
	print_message("conformance: melange RSA256 repository: 2 indexes and %zu packages verified\n", n);
	mint_apk_keyring_free(&kr);
}

static void test_melange_sha1_private_repository_verifies(void **state)
{
	(void)state;
	struct mint_apk_keyring kr = { 0 };
	load_keyring(&kr, PRIVATE_KEY);
	size_t n = 0;
	check_repo_arch(PRIVATE_REPO, "x86_64", &kr, &n);
	check_repo_arch(PRIVATE_REPO, "aarch64", &kr, &n);
	print_message("conformance: melange RSA (SHA-1) repository: 2 indexes and %zu packages verified\n",
		      n);
	mint_apk_keyring_free(&kr);
}

static void test_rsa256_index_verifies_and_wrong_key_does_not(void **state)
{
	(void)state;
	struct mint_apk_keyring kr = { 0 }, wrong = { 0 };
	load_keyring(&kr, "apko/pkg/apk/apk/testdata/rsa256-signed/test-rsa256.rsa.pub");
	load_keyring(&wrong, MELANGE_KEY);
	char *path = fixture_or_skip("apko/pkg/apk/apk/testdata/rsa256-signed/APKINDEX.tar.gz");
	struct mint_apk_index_file f;
	struct mint_err err = { 0 };
	assert_ok(mint_apk_index_file_read(path, &kr, NULL, MINT_APK_REQUIRE_TRUST, &f, &err), &err);
	assert_int_equal(f.sigs[0].alg, MINT_HASH_SHA256);
	mint_apk_index_file_free(&f);
	assert_int_equal(mint_apk_index_file_read(path, &wrong, NULL, MINT_APK_REQUIRE_TRUST, &f, &err),
			 MINT_EUNTRUSTED);
	free(path);
	mint_apk_keyring_free(&kr);
	mint_apk_keyring_free(&wrong);
}

static void test_three_signature_index_verifies_with_each_key(void **state)
{
	(void)state;
	const char *dir = "apko/pkg/apk/apk/testdata/signing/keys";
	char *keys_dir = fixture_or_skip(dir);
	char *path = fixture_or_skip("apko/pkg/apk/apk/testdata/signing/APKINDEX.tar.gz");
	DIR *d = opendir(keys_dir);
	struct dirent *e;
	int verified = 0;
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		char rel[512];
		snprintf(rel, sizeof(rel), "%s/%s", dir, e->d_name);
		struct mint_apk_keyring kr = { 0 };
		load_keyring(&kr, rel);
		struct mint_apk_index_file f;
		struct mint_err err = { 0 };
		assert_ok(mint_apk_index_file_read(path, &kr, NULL, MINT_APK_REQUIRE_TRUST, &f, &err),
			  &err);
		assert_int_equal(f.n_sigs, 3);
		mint_apk_index_file_free(&f);
		mint_apk_keyring_free(&kr);
		verified++;
	}
	closedir(d);
	assert_int_equal(verified, 3);
	print_message("conformance: three-signature index verified with each of its 3 keys\n");
	free(keys_dir);
	free(path);
}

static void test_signature_inside_index_member_is_refused(void **state)
{
	(void)state;
	char *path = fixture_or_skip("apko/pkg/apk/apk/testdata/APKINDEX.tar.gz");
	struct mint_apk_index_file f;
	struct mint_err err = { 0 };
	assert_int_equal(mint_apk_index_file_read(path, NULL, NULL, 0, &f, &err), MINT_EFORMAT);
	free(path);
}

struct walk_totals {
	size_t read, failed_integrity, other_failures;
};

static void read_every_apk(const char *dir, struct walk_totals *t)
{
	DIR *d = opendir(dir);
	if (!d)
		return;
	struct dirent *e;
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		char path[4096];
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		struct stat st;
		if (lstat(path, &st))
			continue;
		if (S_ISDIR(st.st_mode)) {
			read_every_apk(path, t);
			continue;
		}
		size_t n = strlen(e->d_name);
		if (n < 4 || strcmp(e->d_name + n - 4, ".apk"))
			continue;
		struct mint_apk_package p;
		struct mint_err err = { 0 };
		int rc = mint_apk_package_read(path, NULL, NULL, MINT_APK_HASH_FILES, &p, &err);
		bool trimmed = strstr(path, "aws-c-s3-0.4.9-r0.apk") || strstr(path, "neon-4604-r0.apk");
		if (trimmed && rc == MINT_EINTEGRITY) {
			t->failed_integrity++;
		} else if (rc) {
			char line[2048];
			mint_err_format(&err, line, sizeof(line));
			print_message("unexpected failure: %s\n", line);
			t->other_failures++;
		} else {
			mint_apk_package_free(&p);
			t->read++;
		}
	}
	closedir(d);
}

static void test_every_fixture_package_reads_and_trimmed_ones_fail_datahash(void **state)
{
	(void)state;
	char *root = fixture_or_skip("apko");
	free(root);
	struct walk_totals t = { 0 };
	const char *roots[] = { "apko", "melange" };
	for (int i = 0; i < 2; i++) {
		char *dir = fixture_path(roots[i]);
		if (dir)
			read_every_apk(dir, &t);
		free(dir);
	}
	print_message("conformance: fixture packages: %zu read, %zu rejected for datahash as expected, "
		      "%zu failed\n", t.read, t.failed_integrity, t.other_failures);
	assert_int_equal(t.other_failures, 0);
	assert_int_equal(t.failed_integrity, 2);
	assert_true(t.read >= 30);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_alpine_package_verifies_and_matches_signed_index_identity),
		cmocka_unit_test(test_alpine_package_any_single_byte_change_fails),
		cmocka_unit_test(test_melange_rsa256_repository_verifies_for_both_arches),
		cmocka_unit_test(test_melange_sha1_private_repository_verifies),
		cmocka_unit_test(test_rsa256_index_verifies_and_wrong_key_does_not),
		cmocka_unit_test(test_three_signature_index_verifies_with_each_key),
		cmocka_unit_test(test_signature_inside_index_member_is_refused),
		cmocka_unit_test(test_every_fixture_package_reads_and_trimmed_ones_fail_datahash),
	};
	return tests_exit(cmocka_run_group_tests(tests, NULL, NULL));
}
