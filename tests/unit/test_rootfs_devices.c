/* SPDX-License-Identifier: Apache-2.0 */
#include "testutil.h"

#include "mint/image_rootfs.h"
#include "planbuild.h"

static void test_rootfs_devices_are_added_with_apko_numbers(void **state)
{
	(void)state;
	struct mint_image_plan *p;
	struct mint_err err = { 0 };
	assert_ok(mint_image_plan_new(&p, NULL, &err), &err);
	assert_ok(mint_image_rootfs_devices(p, &err), &err);
	const struct mint_plan_node *n = mint_image_plan_lookup(p, "dev/urandom");
	assert_int_equal(n->type, MINT_TAR_CHAR);
	assert_int_equal(n->devmajor, 1);
	assert_int_equal(n->devminor, 9);
	assert_int_equal(n->mode, 0666);
	n = mint_image_plan_lookup(p, "dev/console");
	assert_int_equal(n->devmajor, 5);
	assert_int_equal(n->devminor, 1);
	assert_int_equal(n->mode, 0620);
	assert_int_equal(mint_image_plan_lookup(p, "dev")->mode, 0755);
	assert_int_equal(mint_image_plan_count(p), 6);
	mint_image_plan_free(p);
}

static void test_rootfs_devices_leave_what_packages_put_there(void **state)
{
	(void)state;
	static const struct test_entry files[] = {
		{ .path = "dev", .type = MINT_TAR_DIR, .mtime = 1234 },
		{ .path = "dev/null", .content = "not a device" },
		{ .path = "dev/zero", .type = MINT_TAR_SYMLINK, .link = "null" },
	};
	struct mint_image_plan *p;
	struct mint_err err = { 0 };
	assert_ok(mint_image_plan_new(&p, NULL, &err), &err);
	plan_add_test_package(p, 0, "odd", NULL, 0, files, 3);
	assert_ok(mint_image_rootfs_devices(p, &err), &err);
	assert_int_equal(mint_image_plan_lookup(p, "dev/null")->type, MINT_TAR_REG);
	assert_int_equal(mint_image_plan_lookup(p, "dev/zero")->type, MINT_TAR_SYMLINK);
	/* made before any package in apko, when dev still had mtime 0 */
	assert_int_equal(mint_image_plan_lookup(p, "dev/random")->mtime, 0);
	mint_image_plan_free(p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rootfs_devices_are_added_with_apko_numbers),
		cmocka_unit_test(test_rootfs_devices_leave_what_packages_put_there),
	};
	return tests_exit(cmocka_run_group_tests(tests, NULL, NULL));
}
