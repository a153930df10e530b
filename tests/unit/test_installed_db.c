/* SPDX-License-Identifier: Apache-2.0 */
#include "testutil.h"

#include <string.h>

#include "mint/apk_scripts.h"
#include "mint/hash.h"
#include "mint/image_files.h"

static unsigned char xattr_cap[] = { 1, 0, 0, 2 };
static unsigned char xattr_user[] = { 'x', 'y', 'z' };
static struct mint_xattr xattrs[] = {
	{ "security.capability", xattr_cap, sizeof(xattr_cap) },
	{ "user.a", xattr_user, sizeof(xattr_user) },
};

static struct mint_apk_entry entry(const char *path, enum mint_tar_type type, uint32_t mode)
{
	struct mint_apk_entry e;
	memset(&e, 0, sizeof(e));
	e.path = (char *)path;
	e.type = type;
	e.mode = mode;
	return e;
}

static struct mint_apk_entry file_with(const char *path, const char *content, uint32_t mode)
{
	struct mint_apk_entry e = entry(path, MINT_TAR_REG, mode);
	unsigned char md[MINT_HASH_MAX_BYTES];
	mint_hash_bytes(MINT_HASH_SHA1, content, strlen(content), md);
	memcpy(e.apk_sha1, md, 20);
	e.has_apk_sha1 = true;
	return e;
}

static void test_xattr_digest_is_sha1_of_length_prefixed_pairs(void **state)
{
	(void)state;
	char out[32];
	assert_int_equal(mint_image_xattr_digest(xattrs, 2, out), 0);
	assert_string_equal(out, "Q1s6pUl2IKrgURI+w8pcb9DDHVFjw=");
}

static void test_installed_db_groups_files_by_directory_and_drops_overwritten(void **state)
{
	(void)state;
	struct mint_apk_entry a[6], b[2];
	a[0] = entry("etc", MINT_TAR_DIR, 0755);
	a[1] = file_with("etc/os-release", "hello\n", 0644);
	a[1].uid = 501;
	a[1].gid = 20;
	a[2] = entry("usr", MINT_TAR_DIR, 0755);
	a[3] = entry("usr/bin", MINT_TAR_DIR, 0755);
	a[4] = entry("usr/bin/sh", MINT_TAR_SYMLINK, 0777);
	a[4].link_target = "busybox";
	a[5] = file_with("usr/bin/x", "hello\n", 0755);
	a[5].xattrs = xattrs;
	a[5].n_xattrs = 2;
	b[0] = file_with("etc/os-release", "hello\n", 0644);
	b[1] = entry("var", MINT_TAR_DIR, 0700);
	struct mint_apk_pkg ia = { .name = "a", .version = "1-r0", .identity = "Q1aaaa" };
	struct mint_apk_pkg ib = { .name = "b", .version = "2-r0", .identity = "Q1bbbb" };
	struct mint_image_pkg pkgs[] = { { &ia, a, 6, NULL, 0 }, { &ib, b, 2, NULL, 0 } };
	struct mint_buf out = MINT_BUF_INIT;
	struct mint_err err = { 0 };
	assert_ok(mint_image_installed_db(pkgs, 2, &out, &err), &err);
	assert_string_equal(mint_buf_cstr(&out),
			    "C:Q1aaaa\nP:a\nV:1-r0\nS:0\nI:0\nT:\nU:\nL:\n"
			    "F:etc\n"
			    "F:usr\n"
			    "F:usr/bin\n"
			    "R:sh\na:0:0:777\nZ:Q1LxBvJ/ofKKik4CrrENc7ePnJsko=\n"
			    "R:x\na:0:0:755:Q1s6pUl2IKrgURI+w8pcb9DDHVFjw=\n"
			    "Z:Q19XLTlvrpIGYocU+yzgD3LpTyJY8=\n"
			    "\n"
			    "C:Q1bbbb\nP:b\nV:2-r0\nS:0\nI:0\nT:\nU:\nL:\n"
			    "F:etc\n"
			    "R:os-release\nZ:Q19XLTlvrpIGYocU+yzgD3LpTyJY8=\n"
			    "F:var\nM:0:0:700\n"
			    "\n");
	mint_buf_free(&out);
}

static void test_installed_db_owner_other_than_root_writes_acl(void **state)
{
	(void)state;
	struct mint_apk_entry a[1] = { file_with("etc/os-release", "hello\n", 0644) };
	a[0].uid = 501;
	a[0].gid = 20;
	struct mint_apk_pkg ia = { .name = "a", .version = "1", .identity = "Q1aaaa" };
	struct mint_image_pkg pkgs[] = { { &ia, a, 1, NULL, 0 } };
	struct mint_apk_installed_db db;
	struct mint_err err = { 0 };
	assert_ok(mint_image_installed_db_build(pkgs, 1, &db, &err), &err);
	assert_int_equal(db.n, 1);
	assert_int_equal(db.pkgs[0].n_dirs, 1);
	assert_string_equal(db.pkgs[0].dirs[0].path, "etc");
	assert_false(db.pkgs[0].dirs[0].has_acl);
	assert_true(db.pkgs[0].dirs[0].files[0].has_acl);
	assert_int_equal(db.pkgs[0].dirs[0].files[0].uid, 501);
	mint_image_installed_db_free(&db);
}

static void test_installed_db_refuses_package_without_version(void **state)
{
	(void)state;
	struct mint_apk_pkg ia = { .name = "a" };
	struct mint_image_pkg pkgs[] = { { &ia, NULL, 0, NULL, 0 } };
	struct mint_buf out = MINT_BUF_INIT;
	assert_int_equal(mint_image_installed_db(pkgs, 1, &out, NULL), MINT_EINVAL);
	assert_int_equal(out.len, 0);
}

static void test_scripts_tar_names_entries_and_uses_build_time(void **state)
{
	(void)state;
	struct mint_apk_script sc[] = { { ".post-install", (unsigned char *)"#!/bin/sh\n", 10 } };
	struct mint_apk_pkg ia = { .name = "a", .version = "1-r0", .identity = "Q1aa/a",
				   .has_build_time = true, .build_time = 1700000000 };
	struct mint_apk_pkg ib = { .name = "b", .version = "1", .identity = "Q1bb" };
	struct mint_image_pkg pkgs[] = { { &ia, NULL, 0, sc, 1 }, { &ib, NULL, 0, NULL, 0 } };
	struct mint_buf out = MINT_BUF_INIT;
	struct mint_apk_scripts s;
	struct mint_err err = { 0 };
	assert_ok(mint_image_scripts_tar(pkgs, 2, &out, &err), &err);
	assert_ok(mint_apk_scripts_parse(mint_buf_span(&out), &s, &err), &err);
	assert_int_equal(s.n, 1);
	assert_string_equal(s.items[0].package, "a-1-r0");
	assert_string_equal(s.items[0].identity, "Q1aa/a");
	assert_string_equal(s.items[0].action, "post-install");
	assert_int_equal(s.items[0].mtime, 1700000000);
	assert_memory_equal(s.items[0].data, "#!/bin/sh\n", 10);
	mint_apk_scripts_free(&s);
	mint_buf_free(&out);
}

static void test_scripts_tar_without_scripts_is_end_of_archive(void **state)
{
	(void)state;
	struct mint_buf out = MINT_BUF_INIT;
	assert_int_equal(mint_image_scripts_tar(NULL, 0, &out, NULL), 0);
	assert_int_equal(out.len, 1024);
	mint_buf_free(&out);
}

static void test_triggers_lists_packages_with_globs(void **state)
{
	(void)state;
	char *globs_a[] = { "/usr/share/fonts/*", "/bin" };
	struct mint_apk_pkg ia = { .name = "a", .version = "1", .identity = "Q1aaaa",
				   .triggers = { globs_a, 2, 2 } };
	struct mint_apk_pkg ib = { .name = "b", .version = "1", .identity = "Q1bbbb" };
	struct mint_image_pkg pkgs[] = { { &ia, NULL, 0, NULL, 0 }, { &ib, NULL, 0, NULL, 0 } };
	struct mint_buf out = MINT_BUF_INIT;
	assert_int_equal(mint_image_triggers(pkgs, 2, &out, NULL), 0);
	assert_string_equal(mint_buf_cstr(&out), "Q1aaaa /usr/share/fonts/* /bin\n");
	mint_buf_free(&out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_xattr_digest_is_sha1_of_length_prefixed_pairs),
		cmocka_unit_test(test_installed_db_groups_files_by_directory_and_drops_overwritten),
		cmocka_unit_test(test_installed_db_owner_other_than_root_writes_acl),
		cmocka_unit_test(test_installed_db_refuses_package_without_version),
		cmocka_unit_test(test_scripts_tar_names_entries_and_uses_build_time),
		cmocka_unit_test(test_scripts_tar_without_scripts_is_end_of_archive),
		cmocka_unit_test(test_triggers_lists_packages_with_globs),
	};
	return tests_exit(cmocka_run_group_tests(tests, NULL, NULL));
}
