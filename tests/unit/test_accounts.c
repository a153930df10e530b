/* SPDX-License-Identifier: Apache-2.0 */
#include "testutil.h"

#include <string.h>

#include "mint/image_files.h"

static const char *const wheel_members[] = { "root", "nonroot" };

static void test_accounts_append_users_and_groups_after_shipped_lines(void **state)
{
	(void)state;
	const struct mint_image_account_user users[] = {
		{ "nonroot", 65532, false, 0, NULL, NULL },
		{ "svc", 1000, true, 2000, "/sbin/nologin", "/var/lib/svc" },
	};
	const struct mint_image_account_group groups[] = {
		{ "nonroot", 65532, NULL, 0 },
		{ "wheel", 10, wheel_members, 2 },
	};
	struct mint_image_account_spec cfg = { users, 2, groups, 2, "nonroot" };
	struct mint_image_account_files f;
	struct mint_err err = { 0 };
	assert_ok(mint_image_accounts_build(&cfg, MINT_SPAN_LIT("root:x:0:0:root:/root:/bin/sh"),
					    MINT_SPAN_LIT("root:x:0:\n"), MINT_SPAN_NULL, &f, &err),
		  &err);
	assert_string_equal(mint_buf_cstr(&f.passwd),
			    "root:x:0:0:root:/root:/bin/sh\n"
			    "nonroot:x:65532:65532:Account created by apko:/home/nonroot:/bin/sh\n"
			    "svc:x:1000:2000:Account created by apko:/var/lib/svc:/sbin/nologin\n");
	assert_true(f.write_group);
	assert_string_equal(mint_buf_cstr(&f.group),
			    "root:x:0:\nnonroot:x:65532:\nwheel:x:10:root,nonroot\n");
	assert_true(f.write_shadow);
	assert_string_equal(mint_buf_cstr(&f.shadow), "nonroot:!:::::::\nsvc:!:::::::\n");
	assert_int_equal(f.n_homes, 2);
	assert_string_equal(f.homes[0].path, "/home/nonroot");
	assert_int_equal(f.homes[0].uid, 65532);
	assert_int_equal(f.homes[0].gid, 65532);
	assert_int_equal(f.homes[0].mode, 0700);
	assert_string_equal(f.homes[1].path, "/var/lib/svc");
	assert_int_equal(f.homes[1].gid, 2000);
	assert_true(f.has_run_as);
	assert_int_equal(f.run_as_uid, 65532);
	mint_image_account_files_free(&f);
}

static void test_accounts_nothing_configured_gives_empty_passwd_only(void **state)
{
	(void)state;
	struct mint_image_account_spec cfg = { 0 };
	struct mint_image_account_files f;
	assert_int_equal(mint_image_accounts_build(&cfg, MINT_SPAN_NULL, MINT_SPAN_NULL,
						   MINT_SPAN_NULL, &f, NULL), 0);
	assert_int_equal(f.passwd.len, 0);
	assert_false(f.write_group);
	assert_false(f.write_shadow);
	assert_false(f.has_run_as);
	mint_image_account_files_free(&f);
}

static int build_users(const struct mint_image_account_user *u, size_t n, const char *passwd,
		       const char *run_as, struct mint_err *err)
{
	struct mint_image_account_spec cfg = { u, n, NULL, 0, run_as };
	struct mint_image_account_files f;
	int rc = mint_image_accounts_build(&cfg, mint_span_str(passwd), MINT_SPAN_NULL,
					   MINT_SPAN_NULL, &f, err);
	mint_image_account_files_free(&f);
	return rc;
}

static void test_accounts_refuse_duplicate_name_and_uid(void **state)
{
	(void)state;
	const struct mint_image_account_user same_name[] = { { "a", 1, false, 0, NULL, NULL },
						     { "a", 2, false, 0, NULL, NULL } };
	const struct mint_image_account_user same_uid[] = { { "a", 1, false, 0, NULL, NULL },
						    { "b", 1, false, 0, NULL, NULL } };
	assert_int_equal(build_users(same_name, 2, "", NULL, NULL), MINT_EDUPLICATE);
	assert_int_equal(build_users(same_uid, 2, "", NULL, NULL), MINT_EDUPLICATE);
	assert_int_equal(build_users(same_uid, 1, "a:x:5:5::/:/bin/sh\n", NULL, NULL),
			 MINT_EDUPLICATE);
	assert_int_equal(build_users(same_uid, 1, "root:x:0:0::/:/bin/sh\n", NULL, NULL), 0);
}

static void test_accounts_refuse_duplicate_group(void **state)
{
	(void)state;
	const struct mint_image_account_group g[] = { { "g", 1, NULL, 0 }, { "g", 2, NULL, 0 } };
	struct mint_image_account_spec cfg = { NULL, 0, g, 2, NULL };
	struct mint_image_account_files f;
	assert_int_equal(mint_image_accounts_build(&cfg, MINT_SPAN_NULL, MINT_SPAN_NULL,
						   MINT_SPAN_NULL, &f, NULL), MINT_EDUPLICATE);
	assert_int_equal(f.group.len, 0);
}

static void test_accounts_refuse_uid_zero_and_bad_fields(void **state)
{
	(void)state;
	const struct mint_image_account_user zero[] = { { "a", 0, false, 0, NULL, NULL } };
	const struct mint_image_account_user colon[] = { { "a:b", 1, false, 0, NULL, NULL } };
	assert_int_equal(build_users(zero, 1, "", NULL, NULL), MINT_EINVAL);
	assert_int_equal(build_users(colon, 1, "", NULL, NULL), MINT_EINVAL);
}

static void test_accounts_run_as_by_name_uid_or_unknown(void **state)
{
	(void)state;
	const struct mint_image_account_user u[] = { { "a", 7, false, 0, NULL, NULL } };
	struct mint_image_account_spec cfg = { u, 1, NULL, 0, "root" };
	struct mint_image_account_files f;
	struct mint_err err = { 0 };
	assert_ok(mint_image_accounts_build(&cfg, MINT_SPAN_LIT("root:x:0:0::/root:/bin/sh\n"),
					    MINT_SPAN_NULL, MINT_SPAN_NULL, &f, &err), &err);
	assert_true(f.has_run_as);
	assert_int_equal(f.run_as_uid, 0);
	mint_image_account_files_free(&f);
	assert_int_equal(build_users(u, 1, "", "1234", NULL), 0);
	assert_int_equal(build_users(u, 1, "", "nobody", &err), MINT_ENOTFOUND);
	assert_non_null(strstr(err.msg, "nobody"));
}

static void test_accounts_malformed_shipped_line_has_position(void **state)
{
	(void)state;
	struct mint_err err = { 0 };
	assert_int_equal(build_users(NULL, 0, "# c\nroot:x:0:0::/:/bin/sh\nbad\n", NULL, &err),
			 MINT_EFORMAT);
	assert_int_equal(err.line, 3);
	assert_int_equal(build_users(NULL, 0, "r:x:abc:0::/:/bin/sh\n", NULL, NULL), MINT_EFORMAT);
}

static void test_accounts_home_dev_null_is_not_created(void **state)
{
	(void)state;
	const struct mint_image_account_user u[] = { { "d", 9, false, 0, NULL, "/dev/null" } };
	struct mint_image_account_spec cfg = { u, 1, NULL, 0, NULL };
	struct mint_image_account_files f;
	assert_int_equal(mint_image_accounts_build(&cfg, MINT_SPAN_NULL, MINT_SPAN_NULL,
						   MINT_SPAN_NULL, &f, NULL), 0);
	assert_int_equal(f.n_homes, 0);
	assert_string_equal(mint_buf_cstr(&f.passwd),
			    "d:x:9:9:Account created by apko:/dev/null:/bin/sh\n");
	mint_image_account_files_free(&f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_accounts_append_users_and_groups_after_shipped_lines),
		cmocka_unit_test(test_accounts_nothing_configured_gives_empty_passwd_only),
		cmocka_unit_test(test_accounts_refuse_duplicate_name_and_uid),
		cmocka_unit_test(test_accounts_refuse_duplicate_group),
		cmocka_unit_test(test_accounts_refuse_uid_zero_and_bad_fields),
		cmocka_unit_test(test_accounts_run_as_by_name_uid_or_unknown),
		cmocka_unit_test(test_accounts_malformed_shipped_line_has_position),
		cmocka_unit_test(test_accounts_home_dev_null_is_not_created),
	};
	return tests_exit(cmocka_run_group_tests(tests, NULL, NULL));
}
