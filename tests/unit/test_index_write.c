/* SPDX-License-Identifier: Apache-2.0 */
/* APKINDEX.tar.gz writing, merging and signing (lib/apk/index_write.c). */
#include "testutil.h"

#include "apk_write_fixture.h"
#include "mint/apk_index_file.h"

/* Writes an empty package name-version (arch) as tmp/<name>-<version>.apk. */
static char *empty_package(const char *tmp, const char *name, const char *version,
			   const char *arch)
{
	char *root = tw_join(tmp, "empty-root");
	mkdir(root, 0755);
	char *out = NULL;
	assert_true(asprintf(&out, "%s/%s-%s.apk", tmp, name, version) > 0);
	struct mint_apk_pkg info;
	tw_pkginfo(&info);
	info.name = (char *)name;
	info.version = (char *)version;
	info.arch = (char *)arch;
	struct mint_apk_write_opts o = { .pkginfo = &info, .destdir = root, .out_path = out };
	struct mint_err err = { 0 };
	assert_ok(mint_apk_write(&o, NULL, &err), &err);
	free(root);
	return out;
}

static void read_index(const char *path, const struct mint_apk_keyring *kr,
		       struct mint_apk_index_file *f)
{
	struct mint_err err = { 0 };
	assert_ok(mint_apk_index_file_read(path, kr, NULL, kr ? MINT_APK_REQUIRE_TRUST : 0, f, &err),
		  &err);
}

static void test_index_write_sorts_by_name_then_version_and_skips_other_arches(void **state)
{
	(void)state;
	char *tmp = make_tmpdir();
	char *apks[] = {
		empty_package(tmp, "zlib", "1.10-r0", "x86_64"),
		empty_package(tmp, "abc", "2.0-r0", "x86_64"),
		empty_package(tmp, "zlib", "1.9-r0", "x86_64"),
		empty_package(tmp, "other", "1-r0", "aarch64"),
	};
	char *out = tw_join(tmp, "APKINDEX.tar.gz");
	struct mint_apk_index_opts o = { .apk_paths = (const char *const *)apks, .n_apks = 4,
					 .description = "my repo", .mtime = 5, .out_path = out,
					 .only_arch = "x86_64" };
	struct mint_err err = { 0 };
	assert_ok(mint_apk_index_write(&o, &err), &err);
	struct mint_apk_index_file f;
	read_index(out, NULL, &f);
	assert_int_equal(f.index.n, 3);
	assert_string_equal(f.index.pkgs[0].name, "abc");
	assert_string_equal(f.index.pkgs[1].version, "1.9-r0");
	assert_string_equal(f.index.pkgs[2].version, "1.10-r0");
	assert_true(f.index.pkgs[0].has_build_time);
	assert_int_equal(f.index.pkgs[0].build_time, 0);
	assert_string_equal(f.index.description, "my repo");
	assert_int_equal(f.n_sigs, 0);
	mint_apk_index_file_free(&f);
	for (int i = 0; i < 4; i++)
		free(apks[i]);
	free(out);
	cleanup_tmpdir(tmp);
}

static void test_index_write_merge_keeps_old_records_not_given_again(void **state)
{
	(void)state;
	char *tmp = make_tmpdir();
	char *a = empty_package(tmp, "a", "1-r0", "x86_64");
	char *b = empty_package(tmp, "b", "1-r0", "x86_64");
	char *out = tw_join(tmp, "APKINDEX.tar.gz");
	const char *both[] = { a, b };
	struct mint_apk_index_opts o = { .apk_paths = both, .n_apks = 2, .out_path = out };
	struct mint_err err = { 0 };
	assert_ok(mint_apk_index_write(&o, &err), &err);
	/* b is rebuilt with other contents; a new package c comes. */
	char *root = tw_join(tmp, "empty-root");
	tw_file(root, "new", "n", 0644);
	free(b);
	b = empty_package(tmp, "b", "1-r0", "x86_64");
	char *c = empty_package(tmp, "c", "1-r0", "x86_64");
	const char *fresh[] = { b, c };
	o = (struct mint_apk_index_opts){ .apk_paths = fresh, .n_apks = 2, .out_path = out,
					  .merge = true };
	assert_ok(mint_apk_index_write(&o, &err), &err);
	struct mint_apk_index_file f;
	read_index(out, NULL, &f);
	assert_int_equal(f.index.n, 3);
	assert_string_equal(f.index.pkgs[0].name, "a");
	assert_string_equal(f.index.pkgs[1].name, "b");
	assert_string_equal(f.index.pkgs[2].name, "c");
	struct mint_apk_package pb;
	tw_read(b, &pb);
	assert_string_equal(f.index.pkgs[1].identity, pb.identity);
	mint_apk_package_free(&pb);
	mint_apk_index_file_free(&f);
	free(root);
	free(a);
	free(b);
	free(c);
	free(out);
	cleanup_tmpdir(tmp);
}

static void test_index_write_refuses_the_same_package_twice_and_writes_nothing(void **state)
{
	(void)state;
	char *tmp = make_tmpdir();
	char *a = empty_package(tmp, "a", "1-r0", "x86_64");
	char *out = tw_join(tmp, "APKINDEX.tar.gz");
	const char *twice[] = { a, a };
	struct mint_apk_index_opts o = { .apk_paths = twice, .n_apks = 2, .out_path = out };
	struct mint_err err = { 0 };
	assert_int_equal(mint_apk_index_write(&o, &err), MINT_EDUPLICATE);
	assert_int_equal(access(out, F_OK), -1);
	const char *missing[] = { "/nonexistent.apk" };
	o.apk_paths = missing;
	o.n_apks = 1;
	assert_int_equal(mint_apk_index_write(&o, &err), MINT_EIO);
	assert_int_equal(access(out, F_OK), -1);
	free(a);
	free(out);
	cleanup_tmpdir(tmp);
}

static void test_index_sign_replaces_an_existing_signature(void **state)
{
	(void)state;
	char *tmp = make_tmpdir();
	struct mint_apk_signer s1, s2;
	tw_signer(tmp, "one", &s1);
	tw_signer(tmp, "two", &s2);
	char *a = empty_package(tmp, "a", "1-r0", "x86_64");
	char *out = tw_join(tmp, "APKINDEX.tar.gz");
	const char *apks[] = { a };
	struct mint_apk_index_opts o = { .apk_paths = apks, .n_apks = 1, .out_path = out,
					 .signer = &s1 };
	struct mint_err err = { 0 };
	assert_ok(mint_apk_index_write(&o, &err), &err);
	assert_ok(mint_apk_index_sign(out, &s2, 0, &err), &err);
	struct mint_apk_keyring kr = { 0 };
	char *pub = tw_join(tmp, "two.rsa.pub");
	assert_ok(mint_apk_keyring_add_file(&kr, pub, &err), &err);
	struct mint_apk_index_file f;
	read_index(out, &kr, &f);
	assert_int_equal(f.n_sigs, 1);
	assert_string_equal(f.sigs[0].key_name, "two.rsa.pub");
	assert_int_equal(f.index.n, 1);
	mint_apk_index_file_free(&f);
	mint_apk_keyring_free(&kr);
	mint_apk_signer_free(&s1);
	mint_apk_signer_free(&s2);
	free(pub);
	free(a);
	free(out);
	cleanup_tmpdir(tmp);
}

static void test_index_sign_refuses_a_plain_text_index(void **state)
{
	(void)state;
	char *tmp = make_tmpdir();
	struct mint_apk_signer s;
	tw_signer(tmp, "k", &s);
	char *out = tw_join(tmp, "APKINDEX");
	struct mint_err err = { 0 };
	assert_ok(mint_file_write_atomic(out, "P:a\nV:1\n\n", 9, 0644, &err), &err);
	assert_int_equal(mint_apk_index_sign(out, &s, 0, &err), MINT_EFORMAT);
	assert_string_equal(err.file, out);
	mint_apk_signer_free(&s);
	free(out);
	cleanup_tmpdir(tmp);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_index_write_sorts_by_name_then_version_and_skips_other_arches),
		cmocka_unit_test(test_index_write_merge_keeps_old_records_not_given_again),
		cmocka_unit_test(test_index_write_refuses_the_same_package_twice_and_writes_nothing),
		cmocka_unit_test(test_index_sign_replaces_an_existing_signature),
		cmocka_unit_test(test_index_sign_refuses_a_plain_text_index),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
