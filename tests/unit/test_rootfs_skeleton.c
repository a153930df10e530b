/* SPDX-License-Identifier: Apache-2.0 */
#include "testutil.h"

#include <string.h>

#include "mint/image_rootfs.h"
#include "planbuild.h"

static struct mint_image_plan *new_plan(void)
{
	struct mint_image_plan *p;
	struct mint_err err = { 0 };
	assert_ok(mint_image_plan_new(&p, NULL, &err), &err);
	return p;
}

static void expect_dir(struct mint_image_plan *p, const char *path, uint32_t mode, int64_t mtime)
{
	const struct mint_plan_node *n = mint_image_plan_lookup(p, path);
	assert_non_null(n);
	assert_int_equal(n->type, MINT_TAR_DIR);
	assert_int_equal(n->mode, mode);
	assert_int_equal(n->mtime, mtime);
	assert_int_equal(n->uid, 0);
}

static void test_rootfs_skeleton_on_an_empty_plan_matches_apko_golden(void **state)
{
	(void)state;
	struct mint_image_plan *p = new_plan();
	struct mint_err err = { 0 };
	assert_ok(mint_image_rootfs_skeleton(p, &err), &err);
	expect_dir(p, "tmp", 01777, 0);
	expect_dir(p, "proc", 0555, 0);
	expect_dir(p, "usr/lib/apk/exec", 0755, 0);
	expect_dir(p, "var/cache/misc", 0755, 0);
	expect_dir(p, "etc/apk/keys", 0755, 0);
	expect_dir(p, "opt", 0755, 0);
	expect_dir(p, "lib", 0755, 0);
	const struct mint_plan_node *lock = mint_image_plan_lookup(p, "usr/lib/apk/db/lock");
	assert_non_null(lock);
	assert_int_equal(lock->mode, 0600);
	assert_int_equal(lock->size, 0);
	const struct mint_plan_node *l = mint_image_plan_lookup(p, "lib/apk");
	assert_int_equal(l->type, MINT_TAR_SYMLINK);
	assert_string_equal(l->link_target, "../usr/lib/apk");
	assert_int_equal(l->mode, 0777);
	mint_image_plan_free(p);
}

static void test_rootfs_skeleton_keeps_package_mtime_but_sets_its_mode(void **state)
{
	(void)state;
	static const struct test_entry files[] = {
		{ .path = "tmp", .type = MINT_TAR_DIR, .mode = 0755, .mtime = 42 },
		{ .path = "var/log", .type = MINT_TAR_DIR, .mtime = 7 },
		{ .path = "lib", .type = MINT_TAR_DIR, .mtime = 9 },
	};
	struct mint_image_plan *p = new_plan();
	struct mint_err err = { 0 };
	plan_add_test_package(p, 0, "baselayout", NULL, 0, files, 3);
	assert_true(mint_image_plan_lookup(p, "var")->implicit);
	assert_ok(mint_image_rootfs_skeleton(p, &err), &err);
	expect_dir(p, "tmp", 01777, 42);
	expect_dir(p, "var", 0755, 0);
	assert_false(mint_image_plan_lookup(p, "var")->implicit);
	expect_dir(p, "var/log", 0755, 7);
	/* lib/apk is created in the package's lib and takes its mtime */
	assert_int_equal(mint_image_plan_lookup(p, "lib/apk")->mtime, 9);
	mint_image_plan_free(p);
}

static void test_rootfs_skeleton_usr_merged_lib_gets_no_lib_apk(void **state)
{
	(void)state;
	static const struct test_entry files[] = {
		{ .path = "usr", .type = MINT_TAR_DIR },
		{ .path = "usr/lib", .type = MINT_TAR_DIR },
		{ .path = "lib", .type = MINT_TAR_SYMLINK, .link = "usr/lib" },
	};
	struct mint_image_plan *p = new_plan();
	struct mint_err err = { 0 };
	plan_add_test_package(p, 0, "wolfi-baselayout", NULL, 0, files, 3);
	assert_ok(mint_image_rootfs_skeleton(p, &err), &err);
	assert_int_equal(mint_image_plan_lookup(p, "lib")->type, MINT_TAR_SYMLINK);
	/* lib/apk resolves to the real usr/lib/apk directory, no symlink was added */
	assert_int_equal(mint_image_plan_lookup(p, "lib/apk")->type, MINT_TAR_DIR);
	assert_string_equal(mint_image_plan_lookup(p, "lib/apk")->path, "usr/lib/apk");
	mint_image_plan_free(p);
}

static void test_rootfs_skeleton_merged_lib_provider_gets_lib_symlink(void **state)
{
	(void)state;
	static const char *const provides[] = { "merged-lib" };
	static const struct test_entry files[] = {
		{ .path = "etc", .type = MINT_TAR_DIR },
	};
	struct mint_image_plan *p = new_plan();
	struct mint_err err = { 0 };
	plan_add_test_package(p, 0, "wolfi-baselayout", provides, 1, files, 1);
	assert_ok(mint_image_rootfs_skeleton(p, &err), &err);
	const struct mint_plan_node *lib = mint_image_plan_lookup(p, "lib");
	assert_int_equal(lib->type, MINT_TAR_SYMLINK);
	assert_string_equal(lib->link_target, "usr/lib");
	mint_image_plan_free(p);
}

static void test_rootfs_skeleton_replaces_empty_lib_apk_refuses_files(void **state)
{
	(void)state;
	static const struct test_entry empty[] = {
		{ .path = "lib/apk/db", .type = MINT_TAR_DIR },
	};
	static const struct test_entry full[] = {
		{ .path = "lib/apk/db/installed", .content = "x" },
	};
	struct mint_image_plan *p = new_plan();
	struct mint_err err = { 0 };
	plan_add_test_package(p, 0, "apk-tools", NULL, 0, empty, 1);
	assert_ok(mint_image_rootfs_skeleton(p, &err), &err);
	assert_int_equal(mint_image_plan_lookup(p, "lib/apk")->type, MINT_TAR_SYMLINK);
	mint_image_plan_free(p);

	p = new_plan();
	plan_add_test_package(p, 0, "apk-tools", NULL, 0, full, 1);
	assert_int_equal(mint_image_rootfs_skeleton(p, &err), MINT_EINVAL);
	assert_non_null(strstr(err.msg, "not empty"));
	mint_image_plan_free(p);
}

static void test_rootfs_skeleton_refuses_a_file_where_a_directory_belongs(void **state)
{
	(void)state;
	static const struct test_entry files[] = {
		{ .path = "opt", .content = "oops" },
	};
	struct mint_image_plan *p = new_plan();
	struct mint_err err = { 0 };
	plan_add_test_package(p, 0, "odd", NULL, 0, files, 1);
	assert_int_equal(mint_image_rootfs_skeleton(p, &err), MINT_EINVAL);
	assert_non_null(strstr(err.msg, "opt"));
	mint_image_plan_free(p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rootfs_skeleton_on_an_empty_plan_matches_apko_golden),
		cmocka_unit_test(test_rootfs_skeleton_keeps_package_mtime_but_sets_its_mode),
		cmocka_unit_test(test_rootfs_skeleton_usr_merged_lib_gets_no_lib_apk),
		cmocka_unit_test(test_rootfs_skeleton_merged_lib_provider_gets_lib_symlink),
		cmocka_unit_test(test_rootfs_skeleton_replaces_empty_lib_apk_refuses_files),
		cmocka_unit_test(test_rootfs_skeleton_refuses_a_file_where_a_directory_belongs),
	};
	return tests_exit(cmocka_run_group_tests(tests, NULL, NULL));
}
