/* SPDX-License-Identifier: Apache-2.0 */
#include "testutil.h"

#include <string.h>

#include "mint/image_rootfs.h"
#include "planbuild.h"

static struct mint_image_plan *plan_with_files(void)
{
	static const struct test_entry files[] = {
		{ .path = "etc", .type = MINT_TAR_DIR },
		{ .path = "etc/pkg.txt", .content = "from the package" },
		{ .path = "etc/link", .type = MINT_TAR_SYMLINK, .link = "pkg.txt" },
		{ .path = "etc/hard", .type = MINT_TAR_HARDLINK, .link = "etc/pkg.txt" },
		{ .path = "etc/empty" },
		{ .path = "etc/dangling", .type = MINT_TAR_SYMLINK, .link = "/nowhere" },
	};
	struct mint_image_plan *p;
	struct mint_err err = { 0 };
	assert_ok(mint_image_plan_new(&p, NULL, &err), &err);
	plan_add_test_package(p, 0, "pkg", NULL, 0, files, sizeof(files) / sizeof(files[0]));
	assert_ok(mint_image_plan_put_file(p, "etc/owned", "mint's", 6, 0644, 0, 0, 0, &err), &err);
	return p;
}

static void test_rootfs_read_package_content_through_the_reader(void **state)
{
	(void)state;
	struct mint_image_plan *p = plan_with_files();
	struct mint_buf out = MINT_BUF_INIT;
	struct mint_err err = { 0 };
	assert_ok(mint_image_plan_read_file(p, "/etc/pkg.txt", &test_plan_reader, 100, &out, &err),
		  &err);
	assert_string_equal(mint_buf_cstr(&out), "from the package");
	assert_ok(mint_image_plan_read_file(p, "etc/owned", NULL, 100, &out, &err), &err);
	assert_string_equal(mint_buf_cstr(&out), "mint's");
	assert_ok(mint_image_plan_read_file(p, "etc/empty", NULL, 100, &out, &err), &err);
	assert_int_equal(out.len, 0);
	mint_buf_free(&out);
	mint_image_plan_free(p);
}

static void test_rootfs_read_follows_symlinks_and_hardlinks(void **state)
{
	(void)state;
	struct mint_image_plan *p = plan_with_files();
	struct mint_buf out = MINT_BUF_INIT;
	struct mint_err err = { 0 };
	assert_ok(mint_image_plan_read_file(p, "etc/link", &test_plan_reader, 100, &out, &err),
		  &err);
	assert_string_equal(mint_buf_cstr(&out), "from the package");
	assert_ok(mint_image_plan_read_file(p, "etc/hard", &test_plan_reader, 100, &out, &err),
		  &err);
	assert_string_equal(mint_buf_cstr(&out), "from the package");
	mint_buf_free(&out);
	mint_image_plan_free(p);
}

static void test_rootfs_read_refuses_missing_directories_and_big_files(void **state)
{
	(void)state;
	struct mint_image_plan *p = plan_with_files();
	struct mint_buf out = MINT_BUF_INIT;
	struct mint_err err = { 0 };
	assert_int_equal(mint_image_plan_read_file(p, "etc/nope", NULL, 100, &out, &err),
			 MINT_ENOTFOUND);
	assert_int_equal(mint_image_plan_read_file(p, "etc/dangling", NULL, 100, &out, &err),
			 MINT_ENOTFOUND);
	assert_int_equal(mint_image_plan_read_file(p, "etc", NULL, 100, &out, &err), MINT_EINVAL);
	assert_non_null(strstr(err.msg, "not a regular file"));
	assert_int_equal(mint_image_plan_read_file(p, "etc/pkg.txt", &test_plan_reader, 3, &out,
						   &err), MINT_ELIMIT);
	assert_int_equal(mint_image_plan_read_file(p, "etc/pkg.txt", NULL, 100, &out, &err),
			 MINT_EINVAL);
	assert_int_equal(out.len, 0);
	mint_buf_free(&out);
	mint_image_plan_free(p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rootfs_read_package_content_through_the_reader),
		cmocka_unit_test(test_rootfs_read_follows_symlinks_and_hardlinks),
		cmocka_unit_test(test_rootfs_read_refuses_missing_directories_and_big_files),
	};
	return tests_exit(cmocka_run_group_tests(tests, NULL, NULL));
}
