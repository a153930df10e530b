/* SPDX-License-Identifier: Apache-2.0 */
/* Whole packages: mint_apk_write and mint_apk_resign (lib/apk/write.c). */
#include "testutil.h"

#include <time.h>

#include "apk_write_fixture.h"

/* A keyring holding s's public half under s's key name. */
static void keyring_of(const struct mint_apk_signer *s, const char *tmp,
		       struct mint_apk_keyring *kr)
{
	char *pub = NULL;
	struct mint_err err = { 0 };
	assert_true(asprintf(&pub, "%s/%s", tmp, s->key_name) > 0);
	assert_ok(mint_apk_keyring_add_file(kr, pub, &err), &err);
	free(pub);
}

static void test_write_signed_package_reads_back_verified_with_identity_and_datahash(void **state)
{
	(void)state;
	char *tmp = make_tmpdir();
	struct mint_apk_signer s;
	tw_signer(tmp, "test", &s);
	assert_string_equal(s.key_name, "test.rsa.pub");
	char *root = tw_join(tmp, "root");
	tw_mkdir(tmp, "root", 0755);
	tw_mkdir(root, "usr", 0755);
	tw_file(root, "usr/hello", "hello\n", 0644);
	char *out = tw_join(tmp, "hello-1.0-r0.apk");
	struct mint_apk_write_result res;
	tw_write(root, out, &s, &res);

	struct mint_apk_keyring kr = { 0 };
	keyring_of(&s, tmp, &kr);
	struct mint_apk_package p;
	struct mint_err err = { 0 };
	assert_ok(mint_apk_package_read(out, &kr, NULL, MINT_APK_HASH_FILES | MINT_APK_REQUIRE_TRUST,
					&p, &err), &err);
	assert_int_equal(p.trust, MINT_APK_TRUST_VERIFIED);
	assert_string_equal(p.identity, res.identity);
	assert_string_equal(p.info.datahash, res.datahash);
	assert_int_equal(p.file_size, res.file_size);
	assert_string_equal(p.info.name, "hello");
	assert_string_equal(p.info.license, "MIT");
	assert_true(p.info.has_build_time);
	assert_int_equal(p.info.build_time, 1700000000);
	assert_int_equal(p.n_sigs, 1);
	assert_string_equal(p.sigs[0].entry_name, ".SIGN.RSA256.test.rsa.pub");
	mint_apk_package_free(&p);
	mint_apk_keyring_free(&kr);
	mint_apk_signer_free(&s);
	free(out);
	free(root);
	cleanup_tmpdir(tmp);
}

static void test_write_puts_control_files_after_pkginfo_with_their_modes(void **state)
{
	(void)state;
	char *tmp = make_tmpdir();
	char *root = tw_join(tmp, "root");
	tw_mkdir(tmp, "root", 0755);
	char *out = tw_join(tmp, "p.apk");
	struct mint_apk_pkg info;
	tw_pkginfo(&info);
	const char script[] = "#!/bin/sh\nexit 0\n";
	struct mint_apk_control_file control[] = {
		{ ".post-install", MINT_SPAN_LIT(script), 0755 },
	};
	struct mint_apk_write_opts o = { .pkginfo = &info, .destdir = root, .control = control,
					 .n_control = 1, .out_path = out };
	struct mint_err err = { 0 };
	assert_ok(mint_apk_write(&o, NULL, &err), &err);
	struct mint_apk_package p;
	tw_read(out, &p);
	assert_int_equal(p.n_scripts, 1);
	assert_string_equal(p.scripts[0].name, ".post-install");
	assert_int_equal(p.scripts[0].len, sizeof(script) - 1);
	assert_false(p.info.has_build_time);
	assert_int_equal(p.n_entries, 0);
	mint_apk_package_free(&p);
	free(out);
	free(root);
	cleanup_tmpdir(tmp);
}

/* The same tree made in another order under another umask. */
static void make_tree(const char *tmp, const char *name, bool reverse)
{
	char *root = tw_join(tmp, name);
	tw_mkdir(tmp, name, 0755);
	if (reverse) {
		tw_mkdir(root, "b", 0755);
		tw_file(root, "b/z", "zz", 0644);
		tw_file(root, "b/y", "yy", 0755);
		tw_mkdir(root, "a", 0750);
		tw_symlink(root, "a/l", "../b/y");
	} else {
		tw_mkdir(root, "a", 0750);
		tw_symlink(root, "a/l", "../b/y");
		tw_mkdir(root, "b", 0755);
		tw_file(root, "b/y", "yy", 0755);
		tw_file(root, "b/z", "zz", 0644);
	}
	free(root);
}

static void test_write_same_tree_gives_identical_bytes_despite_umask_order_and_tz(void **state)
{
	(void)state;
	char *tmp = make_tmpdir();
	struct mint_apk_signer s;
	tw_signer(tmp, "k", &s);
	make_tree(tmp, "one", false);
	make_tree(tmp, "two", true);
	char *r1 = tw_join(tmp, "one"), *r2 = tw_join(tmp, "two");
	char *o1 = tw_join(tmp, "1.apk"), *o2 = tw_join(tmp, "2.apk");
	mode_t old = umask(022);
	setenv("TZ", "UTC", 1);
	tzset();
	tw_write(r1, o1, &s, NULL);
	umask(077);
	setenv("TZ", "Pacific/Chatham", 1);
	tzset();
	tw_write(r2, o2, &s, NULL);
	umask(old);
	unsetenv("TZ");
	tzset();
	struct mint_buf b1 = MINT_BUF_INIT, b2 = MINT_BUF_INIT;
	read_file_or_fail(o1, &b1);
	read_file_or_fail(o2, &b2);
	assert_int_equal(b1.len, b2.len);
	assert_memory_equal(b1.data, b2.data, b1.len);
	mint_buf_free(&b1);
	mint_buf_free(&b2);
	mint_apk_signer_free(&s);
	free(r1);
	free(r2);
	free(o1);
	free(o2);
	cleanup_tmpdir(tmp);
}

static void test_write_failure_keeps_an_existing_output_untouched(void **state)
{
	(void)state;
	char *tmp = make_tmpdir();
	char *out = tw_join(tmp, "p.apk");
	struct mint_err err = { 0 };
	assert_ok(mint_file_write_atomic(out, "old", 3, 0644, &err), &err);
	char *root = tw_join(tmp, "root");
	tw_mkdir(tmp, "root", 0755);
	struct mint_apk_pkg info;
	tw_pkginfo(&info);
	info.description = "two\nlines";
	struct mint_apk_write_opts o = { .pkginfo = &info, .destdir = root, .out_path = out };
	assert_int_equal(mint_apk_write(&o, NULL, &err), MINT_EINVAL);
	struct mint_buf b = MINT_BUF_INIT;
	read_file_or_fail(out, &b);
	assert_string_equal(mint_buf_cstr(&b), "old");
	mint_buf_free(&b);
	free(out);
	free(root);
	cleanup_tmpdir(tmp);
}

static void test_write_refuses_bad_control_names_and_missing_metadata(void **state)
{
	(void)state;
	struct mint_apk_pkg info;
	tw_pkginfo(&info);
	struct mint_apk_control_file bad[] = { { ".SIGN.RSA.x", MINT_SPAN_LIT(""), 0644 } };
	struct mint_apk_write_opts o = { .pkginfo = &info, .destdir = "/nonexistent",
					 .control = bad, .n_control = 1, .out_path = "/nonexistent/x" };
	struct mint_err err = { 0 };
	assert_int_equal(mint_apk_write(&o, NULL, &err), MINT_EINVAL);
	assert_non_null(strstr(err.msg, ".SIGN.RSA.x"));
	o.n_control = 0;
	info.arch = NULL;
	assert_int_equal(mint_apk_write(&o, NULL, &err), MINT_EINVAL);
}

static void test_resign_replaces_the_signature_and_keeps_identity(void **state)
{
	(void)state;
	char *tmp = make_tmpdir();
	struct mint_apk_signer a, b;
	tw_signer(tmp, "a", &a);
	tw_signer(tmp, "b", &b);
	char *root = tw_join(tmp, "root");
	tw_mkdir(tmp, "root", 0755);
	tw_file(root, "f", "f", 0644);
	char *out = tw_join(tmp, "p.apk");
	struct mint_apk_write_result res;
	tw_write(root, out, &a, &res);
	struct mint_err err = { 0 };
	assert_ok(mint_apk_resign(out, &b, &err), &err);
	struct mint_apk_keyring kr = { 0 };
	keyring_of(&b, tmp, &kr);
	struct mint_apk_package p;
	assert_ok(mint_apk_package_read(out, &kr, NULL, MINT_APK_REQUIRE_TRUST, &p, &err), &err);
	assert_int_equal(p.n_sigs, 1);
	assert_string_equal(p.sigs[0].key_name, "b.rsa.pub");
	assert_string_equal(p.identity, res.identity);
	mint_apk_package_free(&p);
	mint_apk_keyring_free(&kr);
	mint_apk_signer_free(&a);
	mint_apk_signer_free(&b);
	free(out);
	free(root);
	cleanup_tmpdir(tmp);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_write_signed_package_reads_back_verified_with_identity_and_datahash),
		cmocka_unit_test(test_write_puts_control_files_after_pkginfo_with_their_modes),
		cmocka_unit_test(test_write_same_tree_gives_identical_bytes_despite_umask_order_and_tz),
		cmocka_unit_test(test_write_failure_keeps_an_existing_output_untouched),
		cmocka_unit_test(test_write_refuses_bad_control_names_and_missing_metadata),
		cmocka_unit_test(test_resign_replaces_the_signature_and_keeps_identity),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
