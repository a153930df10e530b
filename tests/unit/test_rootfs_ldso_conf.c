/* SPDX-License-Identifier: Apache-2.0 */
#include "testutil.h"

#include <string.h>

#include "mint/image_rootfs.h"
#include "planbuild.h"

static struct mint_image_plan *plan_of(const struct test_entry *e, size_t n)
{
	struct mint_image_plan *p;
	struct mint_err err = { 0 };
	assert_ok(mint_image_plan_new(&p, NULL, &err), &err);
	plan_add_test_package(p, 0, "glibc", NULL, 0, e, n);
	return p;
}

static void expect_dirs(struct mint_image_plan *p, const char *const *want, size_t n)
{
	struct mint_image_ldso_dirs d;
	struct mint_err err = { 0 };
	assert_ok(mint_image_ldso_conf_dirs(p, &test_plan_reader, &d, &err), &err);
	for (size_t i = 0; i < d.n && i < n; i++)
		assert_string_equal(d.v[i], want[i]);
	assert_int_equal(d.n, n);
	mint_image_ldso_dirs_free(&d);
}

static void test_ldso_conf_comments_blanks_and_repeats(void **state)
{
	(void)state;
	static const struct test_entry e[] = {
		{ .path = "etc/ld.so.conf",
		  .content = "# glibc\n/usr/local/lib  # local\n\n  /opt/lib\r\n/usr/local/lib\n"
			     "include\n/usr/lib=libc6" },
	};
	static const char *const want[] = { "/usr/local/lib", "/opt/lib", "include",
					    "/usr/lib=libc6" };
	struct mint_image_plan *p = plan_of(e, 1);
	expect_dirs(p, want, 4);
	mint_image_plan_free(p);
}

static void test_ldso_conf_include_reads_matches_in_order_and_ends_the_file(void **state)
{
	(void)state;
	static const struct test_entry e[] = {
		{ .path = "etc/ld.so.conf",
		  .content = "/first\ninclude /etc/ld.so.conf.d/*.conf\n/never/read\n" },
		{ .path = "etc/ld.so.conf.d/b.conf", .content = "/b\n/first\n" },
		{ .path = "etc/ld.so.conf.d/a.conf", .content = "/a\n" },
		{ .path = "etc/ld.so.conf.d/c.txt", .content = "/c\n" },
		{ .path = "etc/ld.so.conf.d/dir.conf", .type = MINT_TAR_DIR },
	};
	static const char *const want[] = { "/first", "/a", "/b", "/first" };
	struct mint_image_plan *p = plan_of(e, 5);
	expect_dirs(p, want, 4);
	mint_image_plan_free(p);
}

static void test_ldso_conf_bad_glob_skipped_relative_glob_from_root(void **state)
{
	(void)state;
	static const struct test_entry e[] = {
		{ .path = "etc/ld.so.conf", .content = "include etc/[\n/x\ninclude c?nf/[a-b]*\n" },
		{ .path = "conf/a1", .content = "/from-a1\n" },
		{ .path = "conf/b2", .content = "/from-b2\n" },
		{ .path = "conf/c3", .content = "/from-c3\n" },
	};
	static const char *const want[] = { "/x", "/from-a1", "/from-b2" };
	struct mint_image_plan *p = plan_of(e, 4);
	expect_dirs(p, want, 3);
	mint_image_plan_free(p);
}

static void test_ldso_conf_self_include_stops_at_the_depth_bound(void **state)
{
	(void)state;
	static const struct test_entry e[] = {
		{ .path = "etc/ld.so.conf", .content = "/top\ninclude etc/loop.conf\n" },
		{ .path = "etc/loop.conf", .content = "/l\ninclude /etc/loop.conf\n" },
	};
	struct mint_image_plan *p = plan_of(e, 2);
	struct mint_image_ldso_dirs d;
	struct mint_err err = { 0 };
	assert_ok(mint_image_ldso_conf_dirs(p, &test_plan_reader, &d, &err), &err);
	/* each of the 16 levels allowed adds its line; the 17th is skipped */
	assert_int_equal(d.n, 17);
	assert_string_equal(d.v[0], "/top");
	assert_string_equal(d.v[16], "/l");
	mint_image_ldso_dirs_free(&d);
	mint_image_plan_free(p);
}

static void test_ldso_conf_missing_or_directory_is_an_error(void **state)
{
	(void)state;
	static const struct test_entry e[] = {
		{ .path = "etc/ld.so.conf", .type = MINT_TAR_DIR },
	};
	struct mint_image_plan *p = plan_of(e, 1);
	struct mint_image_ldso_dirs d;
	struct mint_err err = { 0 };
	assert_int_equal(mint_image_ldso_conf_dirs(p, &test_plan_reader, &d, &err), MINT_EINVAL);
	mint_image_plan_free(p);
	p = plan_of(e, 0);
	assert_int_equal(mint_image_ldso_conf_dirs(p, &test_plan_reader, &d, &err),
			 MINT_ENOTFOUND);
	mint_image_plan_free(p);
}

static void test_ldso_conf_glob_classes_escapes_and_negation(void **state)
{
	(void)state;
	static const struct test_entry e[] = {
		{ .path = "etc/ld.so.conf", .content = "include d/[^a]\\*x[0-9]\n" },
		{ .path = "d/a*x1", .content = "/no\n" },
		{ .path = "d/b*x2", .content = "/yes\n" },
		{ .path = "d/bQx3", .content = "/no-literal-star\n" },
	};
	static const char *const want[] = { "/yes" };
	struct mint_image_plan *p = plan_of(e, 4);
	expect_dirs(p, want, 1);
	mint_image_plan_free(p);
}

static void test_ldso_conf_file_bound_and_long_lines_skip_a_file(void **state)
{
	(void)state;
	static const struct test_entry fan[] = {
		{ .path = "etc/ld.so.conf", .content = "include f/*\n" },
		{ .path = "f/a", .content = "/a\ninclude f/*\n" },
		{ .path = "f/b", .content = "/b\ninclude f/*\n" },
	};
	struct mint_image_plan *p = plan_of(fan, 3);
	struct mint_image_ldso_dirs d;
	struct mint_err err = { 0 };
	assert_int_equal(mint_image_ldso_conf_dirs(p, &test_plan_reader, &d, &err), MINT_ELIMIT);
	assert_non_null(strstr(err.msg, "more than 1024 files"));
	mint_image_plan_free(p);

	static char longline[70000];
	memset(longline, 'x', sizeof(longline) - 1);
	longline[0] = '/';
	const struct test_entry lng[] = {
		{ .path = "etc/ld.so.conf", .content = "include etc/x/*\n" },
		{ .path = "etc/x/1", .content = longline },
		{ .path = "etc/x/2", .content = "/two\n" },
	};
	static const char *const want[] = { "/two" };
	p = plan_of(lng, 3);
	expect_dirs(p, want, 1);
	mint_image_plan_free(p);
	const struct test_entry top[] = { { .path = "etc/ld.so.conf", .content = longline } };
	p = plan_of(top, 1);
	assert_int_equal(mint_image_ldso_conf_dirs(p, &test_plan_reader, &d, &err), MINT_ELIMIT);
	assert_int_equal(err.line, 1);
	mint_image_plan_free(p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ldso_conf_comments_blanks_and_repeats),
		cmocka_unit_test(test_ldso_conf_include_reads_matches_in_order_and_ends_the_file),
		cmocka_unit_test(test_ldso_conf_bad_glob_skipped_relative_glob_from_root),
		cmocka_unit_test(test_ldso_conf_self_include_stops_at_the_depth_bound),
		cmocka_unit_test(test_ldso_conf_missing_or_directory_is_an_error),
		cmocka_unit_test(test_ldso_conf_glob_classes_escapes_and_negation),
		cmocka_unit_test(test_ldso_conf_file_bound_and_long_lines_skip_a_file),
	};
	return tests_exit(cmocka_run_group_tests(tests, NULL, NULL));
}
