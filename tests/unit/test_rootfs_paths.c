/* SPDX-License-Identifier: Apache-2.0 */
#include "testutil.h"

#include <string.h>

#include "mint/image_rootfs.h"
#include "planbuild.h"

static struct mint_image_plan *base_plan(void)
{
	static const struct test_entry files[] = {
		{ .path = "etc", .type = MINT_TAR_DIR, .mtime = 50 },
		{ .path = "etc/conf", .content = "package content", .mtime = 60 },
		{ .path = "etc/conf-link", .type = MINT_TAR_SYMLINK, .link = "conf" },
		{ .path = "srv", .type = MINT_TAR_DIR },
		{ .path = "srv/data", .type = MINT_TAR_DIR },
		{ .path = "srv/data/a", .content = "a" },
		{ .path = "srv/data/b", .type = MINT_TAR_HARDLINK, .link = "srv/data/a" },
		{ .path = "srv/data/up", .type = MINT_TAR_SYMLINK, .link = "/etc/conf" },
	};
	struct mint_image_plan *p;
	struct mint_err err = { 0 };
	assert_ok(mint_image_plan_new(&p, NULL, &err), &err);
	plan_add_test_package(p, 0, "base", NULL, 0, files, sizeof(files) / sizeof(files[0]));
	return p;
}

static const struct mint_plan_node *node(struct mint_image_plan *p, const char *path)
{
	const struct mint_plan_node *n = mint_image_plan_lookup(p, path);
	assert_non_null(n);
	return n;
}

static void test_rootfs_paths_directory_creates_parents_with_its_mode(void **state)
{
	(void)state;
	struct mint_image_plan *p = base_plan();
	struct mint_err err = { 0 };
	struct mint_image_path m = { .path = "/var/lib/app", .type = MINT_IMAGE_PATH_DIRECTORY,
				     .permissions = 0700, .has_uid = true, .uid = 65532 };
	assert_ok(mint_image_rootfs_paths(p, &m, 1, &err), &err);
	assert_int_equal(node(p, "var")->mode, 0700);
	assert_int_equal(node(p, "var")->uid, 0);
	assert_int_equal(node(p, "var/lib/app")->mode, 0700);
	assert_int_equal(node(p, "var/lib/app")->uid, 65532);
	assert_int_equal(node(p, "var/lib/app")->gid, 0);
	assert_int_equal(node(p, "var/lib/app")->mtime, 0);
	mint_image_plan_free(p);
}

static void test_rootfs_paths_recursive_directory_follows_links_below_it(void **state)
{
	(void)state;
	struct mint_image_plan *p = base_plan();
	struct mint_err err = { 0 };
	struct mint_image_path m = { .path = "srv", .type = MINT_IMAGE_PATH_DIRECTORY,
				     .permissions = 0750, .has_uid = true, .uid = 7,
				     .has_gid = true, .gid = 8, .recursive = true };
	assert_ok(mint_image_rootfs_paths(p, &m, 1, &err), &err);
	assert_int_equal(node(p, "srv/data")->mode, 0750);
	assert_int_equal(node(p, "srv/data/a")->gid, 8);
	/* the hardlink shares the file's inode, the symlink's target is changed */
	assert_int_equal(node(p, "srv/data/b")->mode, 0750);
	assert_int_equal(node(p, "srv/data/b")->uid, 7);
	assert_int_equal(node(p, "etc/conf")->mode, 0750);
	assert_int_equal(node(p, "srv/data/up")->mode, 0777);
	mint_image_plan_free(p);
}

static void test_rootfs_paths_empty_file_truncates_through_a_symlink(void **state)
{
	(void)state;
	struct mint_image_plan *p = base_plan();
	struct mint_err err = { 0 };
	struct mint_image_path m[] = {
		{ .path = "etc/conf-link", .type = MINT_IMAGE_PATH_EMPTY_FILE,
		  .permissions = 0600 },
		{ .path = "new/dir/file", .type = MINT_IMAGE_PATH_EMPTY_FILE, .permissions = 0640 },
	};
	assert_ok(mint_image_rootfs_paths(p, m, 2, &err), &err);
	assert_int_equal(node(p, "etc/conf")->size, 0);
	assert_int_equal(node(p, "etc/conf")->mode, 0600);
	assert_int_equal(node(p, "etc/conf")->mtime, 60);
	assert_int_equal(node(p, "etc/conf-link")->type, MINT_TAR_SYMLINK);
	assert_int_equal(node(p, "new/dir")->mode, 0755);
	assert_int_equal(node(p, "new/dir/file")->mode, 0640);
	assert_int_equal(node(p, "new/dir/file")->type, MINT_TAR_REG);
	mint_image_plan_free(p);
}

static void test_rootfs_paths_hardlink_replaces_and_symlink_refuses(void **state)
{
	(void)state;
	struct mint_image_plan *p = base_plan();
	struct mint_err err = { 0 };
	struct mint_image_path hard = { .path = "etc/conf", .type = MINT_IMAGE_PATH_HARDLINK,
					.source = "/srv/data/a", .permissions = 0444 };
	assert_ok(mint_image_rootfs_paths(p, &hard, 1, &err), &err);
	assert_int_equal(node(p, "etc/conf")->type, MINT_TAR_HARDLINK);
	assert_string_equal(node(p, "etc/conf")->link_target, "srv/data/a");
	assert_int_equal(node(p, "srv/data/a")->mode, 0444);
	assert_int_equal(node(p, "srv/data/b")->mode, 0444);

	struct mint_image_path sym[] = {
		{ .path = "usr/bin/tool", .type = MINT_IMAGE_PATH_SYMLINK, .source = "/srv/data/a",
		  .permissions = 0755 },
		{ .path = "etc/conf", .type = MINT_IMAGE_PATH_SYMLINK, .source = "/x",
		  .permissions = 0755 },
	};
	assert_int_equal(mint_image_rootfs_paths(p, sym, 2, &err), MINT_EDUPLICATE);
	assert_non_null(strstr(err.msg, "paths[1] (symlink etc/conf)"));
	const struct mint_plan_node *l = node(p, "usr/bin/tool");
	assert_int_equal(l->type, MINT_TAR_SYMLINK);
	assert_int_equal(l->mode, 0777);
	/* chmod went through the link to the file (and its hardlinks) */
	assert_int_equal(node(p, "srv/data/b")->mode, 0755);
	mint_image_plan_free(p);
}

static void test_rootfs_paths_symlink_to_nothing_fails_like_apko(void **state)
{
	(void)state;
	struct mint_image_plan *p = base_plan();
	struct mint_err err = { 0 };
	struct mint_image_path m = { .path = "etc/later", .type = MINT_IMAGE_PATH_SYMLINK,
				     .source = "/not/yet", .permissions = 0777 };
	assert_int_equal(mint_image_rootfs_paths(p, &m, 1, &err), MINT_ENOTFOUND);
	assert_non_null(strstr(err.msg, "paths[0]"));
	assert_int_equal(node(p, "etc/later")->mtime, 50);
	mint_image_plan_free(p);
}

static void test_rootfs_paths_permissions_without_owner_leave_it(void **state)
{
	(void)state;
	struct mint_image_plan *p = base_plan();
	struct mint_err err = { 0 };
	assert_ok(mint_image_plan_chown(p, "etc/conf", 3, 4, &err), &err);
	struct mint_image_path m[] = {
		{ .path = "etc/conf", .type = MINT_IMAGE_PATH_PERMISSIONS, .permissions = 04755 },
		{ .path = "srv", .type = MINT_IMAGE_PATH_PERMISSIONS, .permissions = 0711,
		  .recursive = true, .has_gid = true, .gid = 9 },
		{ .path = "missing", .type = MINT_IMAGE_PATH_PERMISSIONS, .permissions = 0711 },
	};
	assert_int_equal(mint_image_rootfs_paths(p, m, 3, &err), MINT_ENOTFOUND);
	assert_non_null(strstr(err.msg, "paths[2] (permissions missing)"));
	assert_int_equal(node(p, "etc/conf")->mode, 0711); /* through srv/data/up */
	assert_int_equal(node(p, "etc/conf")->uid, 0);
	assert_int_equal(node(p, "srv/data/a")->gid, 9);
	assert_int_equal(node(p, "srv")->mode, 0711);
	mint_image_plan_free(p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rootfs_paths_directory_creates_parents_with_its_mode),
		cmocka_unit_test(test_rootfs_paths_recursive_directory_follows_links_below_it),
		cmocka_unit_test(test_rootfs_paths_empty_file_truncates_through_a_symlink),
		cmocka_unit_test(test_rootfs_paths_hardlink_replaces_and_symlink_refuses),
		cmocka_unit_test(test_rootfs_paths_symlink_to_nothing_fails_like_apko),
		cmocka_unit_test(test_rootfs_paths_permissions_without_owner_leave_it),
	};
	return tests_exit(cmocka_run_group_tests(tests, NULL, NULL));
}
