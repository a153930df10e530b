/* SPDX-License-Identifier: Apache-2.0 */
#include "testutil.h"

#include "mint/image_rootfs.h"

static struct mint_image_plan *plan_owned(void)
{
	struct mint_image_plan *p;
	struct mint_err err = { 0 };
	assert_ok(mint_image_plan_new(&p, NULL, &err), &err);
	assert_ok(mint_image_plan_put_dir(p, "home", 0755, 0, 0, 0, &err), &err);
	assert_ok(mint_image_plan_put_dir(p, "home/app", 0700, 65532, 65532, 0, &err), &err);
	assert_ok(mint_image_plan_put_file(p, "home/app/f", "x", 1, 0644, 1000, 4242, 0, &err),
		  &err);
	return p;
}

static void test_rootfs_owner_names_from_passwd_and_group(void **state)
{
	(void)state;
	struct mint_image_plan *p = plan_owned();
	struct mint_err err = { 0 };
	const char passwd[] = "root:x:0:0:root:/root:/bin/sh\n"
			      "# comment\n\n"
			      "nonroot:x:65532:65532:Account created by apko:/home/app:/bin/sh\n";
	const char group[] = "root:x:0:root\nnonroot:x:65532:\n";
	assert_ok(mint_image_rootfs_owner_names(p, MINT_SPAN_LIT(passwd), MINT_SPAN_LIT(group),
						&err), &err);
	assert_string_equal(mint_image_plan_lookup(p, "home")->uname, "root");
	assert_string_equal(mint_image_plan_lookup(p, "home")->gname, "root");
	assert_string_equal(mint_image_plan_lookup(p, "home/app")->uname, "nonroot");
	assert_string_equal(mint_image_plan_lookup(p, "home/app")->gname, "nonroot");
	assert_string_equal(mint_image_plan_lookup(p, "home/app/f")->uname, "");
	assert_string_equal(mint_image_plan_lookup(p, "home/app/f")->gname, "");
	mint_image_plan_free(p);
}

static void test_rootfs_owner_names_last_line_wins_and_bad_line_stops(void **state)
{
	(void)state;
	struct mint_image_plan *p = plan_owned();
	struct mint_err err = { 0 };
	const char passwd[] = "first:x:0:0::/:/bin/sh\n"
			      "second:x:+0:0::/:/bin/sh\n"
			      "broken:x:1000\n"
			      "late:x:1000:0::/:/bin/sh\n";
	const char group[] = "toolongtoolongtoolongtoolongtoolong:x:0:\nbig:x:4242:\n";
	assert_ok(mint_image_rootfs_owner_names(p, MINT_SPAN_LIT(passwd), MINT_SPAN_LIT(group),
						&err), &err);
	assert_string_equal(mint_image_plan_lookup(p, "home")->uname, "second");
	assert_string_equal(mint_image_plan_lookup(p, "home")->gname, "");
	assert_string_equal(mint_image_plan_lookup(p, "home/app/f")->uname, "");
	assert_string_equal(mint_image_plan_lookup(p, "home/app/f")->gname, "big");
	mint_image_plan_free(p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rootfs_owner_names_from_passwd_and_group),
		cmocka_unit_test(test_rootfs_owner_names_last_line_wins_and_bad_line_stops),
	};
	return tests_exit(cmocka_run_group_tests(tests, NULL, NULL));
}
