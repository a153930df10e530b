/* SPDX-License-Identifier: Apache-2.0 */
#include "apk_solver_fixture.h"

static const char complicated[] =
	"C:Q1AAAAAAAAAAAAAAAAAAAAAAAAAAA=\nP:a\nV:3\nI:1\nD:b c d>1.5\n\n"
	"C:Q1AQAAAAAAAAAAAAAAAAAAAAAAAAA=\nP:b\nV:1\nI:1\nD:c d<2.0\n\n"
	"C:Q1AgAAAAAAAAAAAAAAAAAAAAAAAAA=\nP:c\nV:1\nI:1\nD:d>1.0\n\n"
	"C:Q1AwAAAAAAAAAAAAAAAAAAAAAAAAA=\nP:d\nV:1.0\nI:1\n\n"
	"C:Q1BAAAAAAAAAAAAAAAAAAAAAAAAAA=\nP:d\nV:1.5\nI:1\n\n"
	"C:Q1BQAAAAAAAAAAAAAAAAAAAAAAAAA=\nP:d\nV:2.0\nI:1\n\n";

static void test_explain_missing_name_lists_requirers(void **state)
{
	(void)state;
	struct fx f;
	fx_init(&f, "x86_64");
	fx_repo(&f, NULL, complicated);
	fx_solve(&f, "c nonexistent");
	assert_string_equal(f.sol->explanation, "ERROR: unable to select packages:\n"
						"  nonexistent (no such package):\n"
						"    required by: world[nonexistent]\n");
	fx_free(&f);
}

static void test_explain_breaks_and_satisfies_of_a_chosen_package(void **state)
{
	(void)state;
	struct fx f;
	fx_init(&f, "x86_64");
	fx_repo(&f, NULL, complicated);
	fx_solve(&f, "a d>1.5");
	assert_string_equal(f.sol->explanation,
			    "ERROR: unable to select packages:\n"
			    "  d-2.0:\n"
			    "    breaks: b-1[d<2.0]\n"
			    "    satisfies: world[d>1.5] a-3[d>1.5] c-1[d>1.0]\n");
	fx_free(&f);
}

static void test_explain_wraps_lists_at_fifty_columns(void **state)
{
	(void)state;
	struct fx f;
	fx_init(&f, "x86_64");
	fx_repo(&f, NULL,
		"C:Q1AAAAAAAAAAAAAAAAAAAAAAAAAAA=\nP:conflicted-provider-a\nV:0.1\n"
		"p:conflicted-provider\n\n"
		"C:Q1AQAAAAAAAAAAAAAAAAAAAAAAAAA=\nP:conflicted-provider-b\nV:0.1\n"
		"p:conflicted-provider\n\n");
	fx_solve(&f, "conflicted-provider");
	assert_string_equal(f.sol->explanation,
			    "ERROR: unable to select packages:\n"
			    "  conflicted-provider (virtual):\n"
			    "    note: please select one of the 'provided by'\n"
			    "          packages explicitly\n"
			    "    provided by: conflicted-provider-a\n"
			    "                 conflicted-provider-b\n"
			    "    required by: world[conflicted-provider]\n");
	fx_free(&f);
}

static void test_explain_two_packages_owning_one_name(void **state)
{
	(void)state;
	struct fx f;
	fx_init(&f, "x86_64");
	fx_repo(&f, NULL,
		"C:Q1AAAAAAAAAAAAAAAAAAAAAAAAAAA=\nP:server-a\nV:1\np:theservice=1\n\n"
		"C:Q1AQAAAAAAAAAAAAAAAAAAAAAAAAA=\nP:server-b\nV:1\np:theservice=2\n\n");
	fx_solve(&f, "server-a server-b");
	assert_string_equal(f.sol->explanation, "ERROR: unable to select packages:\n"
						"  server-a-1:\n"
						"    conflicts: server-b-1[theservice=1]\n"
						"    satisfies: world[server-a]\n"
						"  server-b-1:\n"
						"    conflicts: server-a-1[theservice=2]\n"
						"    satisfies: world[server-b]\n");
	fx_free(&f);
}

static void test_explain_kept_names_that_others_still_need(void **state)
{
	(void)state;
	struct fx f;
	const char *removing[] = { "busybox-binsh" };
	struct mint_apk_name_flags flags[] = { { "busybox-binsh", MINT_APK_SOLVE_REMOVE, 0 } };
	struct mint_apk_solve_opts del = { .names = flags, .n_names = 1, .removing = removing,
					   .n_removing = 1 };
	fx_init(&f, "x86_64");
	fx_installed(&f, "C:Q1AAAAAAAAAAAAAAAAAAAAAAAAAAA=\nP:busybox-binsh\nV:1.37.0-r23\nI:1\n"
			 "p:/bin/sh cmd:sh=1.37.0-r23\nk:100\n\n");
	fx_repo(&f, NULL,
		"C:Q1AAAAAAAAAAAAAAAAAAAAAAAAAAA=\nP:busybox-binsh\nV:1.37.0-r23\nI:1\n"
		"p:/bin/sh cmd:sh=1.37.0-r23\nk:100\n\n"
		"C:Q1AQAAAAAAAAAAAAAAAAAAAAAAAAA=\nP:dash-binsh\nV:0.5.12-r3\nI:1\n"
		"p:/bin/sh cmd:sh=0.5.12-r3\nk:60\n\n");
	fx_solve_opts(&f, "/bin/sh", &del);
	assert_int_equal(f.sol->errors, 0);
	assert_string_equal(f.sol->kept,
			    "World updated, but the following packages are not removed due to:\n"
			    "  busybox-binsh: /bin/sh\n\n");
	fx_free(&f);
}

static void test_explain_kept_is_null_when_everything_goes(void **state)
{
	(void)state;
	struct fx f;
	const char *removing[] = { "a" };
	struct mint_apk_solve_opts del = { .removing = removing, .n_removing = 1 };
	fx_init(&f, "x86_64");
	fx_installed(&f, "C:Q1AAAAAAAAAAAAAAAAAAAAAAAAAAA=\nP:a\nV:1\nI:1\n\n");
	fx_solve_opts(&f, "", &del);
	assert_null(f.sol->kept);
	assert_int_equal(fx_change(&f, "a")->kind, MINT_APK_CHANGE_REMOVE);
	fx_free(&f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_explain_missing_name_lists_requirers),
		cmocka_unit_test(test_explain_breaks_and_satisfies_of_a_chosen_package),
		cmocka_unit_test(test_explain_wraps_lists_at_fifty_columns),
		cmocka_unit_test(test_explain_two_packages_owning_one_name),
		cmocka_unit_test(test_explain_kept_names_that_others_still_need),
		cmocka_unit_test(test_explain_kept_is_null_when_everything_goes),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
