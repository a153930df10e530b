/* SPDX-License-Identifier: Apache-2.0 */
#include "testutil.h"

#include <string.h>

#include "mint/image_rootfs.h"
#include "planbuild.h"

static const struct test_entry busybox_pkg[] = {
	{ .path = "bin", .type = MINT_TAR_DIR, .mtime = 11 },
	{ .path = "bin/busybox", .content = "ELF...", .mode = 0755, .mtime = 1700000000 },
	{ .path = "bin/sh", .type = MINT_TAR_SYMLINK, .link = "/bin/busybox" },
	{ .path = "etc", .type = MINT_TAR_DIR },
	{ .path = "etc/busybox-paths.d", .type = MINT_TAR_DIR },
	{ .path = "etc/busybox-paths.d/busybox",
	  .content = "/bin/busybox\n/bin/sh\n/bin/ls\n/usr/sbin/chroot\n\n/bin/cat" },
	{ .path = "etc/busybox-paths.d/busybox-extras", .content = "/sbin/ifconfig\n" },
};

static struct mint_image_plan *plan_with(const struct test_entry *e, size_t n)
{
	struct mint_image_plan *p;
	struct mint_err err = { 0 };
	assert_ok(mint_image_plan_new(&p, NULL, &err), &err);
	plan_add_test_package(p, 0, "busybox", NULL, 0, e, n);
	return p;
}

static void expect_link(struct mint_image_plan *p, const char *path, int64_t mtime)
{
	const struct mint_plan_node *n = mint_image_plan_lookup(p, path);
	assert_non_null(n);
	assert_int_equal(n->type, MINT_TAR_SYMLINK);
	assert_string_equal(n->link_target, "/bin/busybox");
	assert_int_equal(n->mode, 0777);
	assert_int_equal(n->mtime, mtime);
}

static void test_rootfs_busybox_links_every_manifest_line(void **state)
{
	(void)state;
	struct mint_image_plan *p = plan_with(busybox_pkg, 7);
	struct mint_err err = { 0 };
	assert_ok(mint_image_rootfs_busybox(p, &test_plan_reader, &err), &err);
	expect_link(p, "bin/ls", 11);
	expect_link(p, "bin/cat", 11);
	/* new directories take busybox's mtime, links their directory's */
	assert_int_equal(mint_image_plan_lookup(p, "usr/sbin")->mtime, 1700000000);
	assert_int_equal(mint_image_plan_lookup(p, "usr/sbin")->mode, 0755);
	expect_link(p, "usr/sbin/chroot", 1700000000);
	expect_link(p, "sbin/ifconfig", 1700000000);
	assert_int_equal(mint_image_plan_lookup(p, "bin/busybox")->type, MINT_TAR_REG);
	mint_image_plan_free(p);
}

static void test_rootfs_busybox_without_binary_or_manifest_does_nothing(void **state)
{
	(void)state;
	struct mint_err err = { 0 };
	struct mint_image_plan *p = plan_with(busybox_pkg + 3, 4);
	size_t before = mint_image_plan_count(p);
	assert_ok(mint_image_rootfs_busybox(p, &test_plan_reader, &err), &err);
	assert_int_equal(mint_image_plan_count(p), before);
	mint_image_plan_free(p);

	p = plan_with(busybox_pkg, 3);
	before = mint_image_plan_count(p);
	assert_ok(mint_image_rootfs_busybox(p, &test_plan_reader, &err), &err);
	assert_int_equal(mint_image_plan_count(p), before);
	mint_image_plan_free(p);
}

static void test_rootfs_busybox_directory_in_the_way_is_an_error(void **state)
{
	(void)state;
	static const struct test_entry e[] = {
		{ .path = "bin/busybox", .content = "x" },
		{ .path = "bin/ls", .type = MINT_TAR_DIR },
		{ .path = "etc/busybox-paths.d/busybox", .content = "/bin/true\n/bin/ls\n" },
	};
	struct mint_image_plan *p = plan_with(e, 3);
	struct mint_err err = { 0 };
	assert_int_equal(mint_image_rootfs_busybox(p, &test_plan_reader, &err), MINT_EDUPLICATE);
	assert_string_equal(err.file, "etc/busybox-paths.d/busybox");
	assert_int_equal(err.line, 2);
	expect_link(p, "bin/true", 0);
	mint_image_plan_free(p);
}

static void test_rootfs_busybox_refuses_paths_leaving_the_root(void **state)
{
	(void)state;
	static const struct test_entry e[] = {
		{ .path = "bin/busybox", .content = "x" },
		{ .path = "etc/busybox-paths.d/busybox", .content = "/../../bin/evil\n" },
	};
	struct mint_image_plan *p = plan_with(e, 2);
	struct mint_err err = { 0 };
	assert_int_equal(mint_image_rootfs_busybox(p, &test_plan_reader, &err), MINT_EUNSAFE);
	mint_image_plan_free(p);
}

static void test_rootfs_busybox_links_at_the_top_of_the_root(void **state)
{
	(void)state;
	static const struct test_entry e[] = {
		{ .path = "bin/busybox", .content = "x", .mode = 0755, .mtime = 42 },
		{ .path = "etc/busybox-paths.d/busybox", .content = "/linuxrc\n" },
	};
	struct mint_image_plan *p = plan_with(e, 2);
	struct mint_err err = { 0 };
	assert_ok(mint_image_rootfs_busybox(p, &test_plan_reader, &err), &err);
	expect_link(p, "linuxrc", 42);
	mint_image_plan_free(p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rootfs_busybox_links_every_manifest_line),
		cmocka_unit_test(test_rootfs_busybox_without_binary_or_manifest_does_nothing),
		cmocka_unit_test(test_rootfs_busybox_directory_in_the_way_is_an_error),
		cmocka_unit_test(test_rootfs_busybox_refuses_paths_leaving_the_root),
		cmocka_unit_test(test_rootfs_busybox_links_at_the_top_of_the_root),
	};
	return tests_exit(cmocka_run_group_tests(tests, NULL, NULL));
}
