/* SPDX-License-Identifier: Apache-2.0 */
#include "apk_solver_fixture.h"

static void expect_size(uint64_t bytes, const char *want)
{
	struct mint_buf b = MINT_BUF_INIT;
	assert_int_equal(mint_apk_format_size(bytes, &b), 0);
	assert_string_equal(mint_buf_cstr(&b), want);
	mint_buf_free(&b);
}

static void test_format_size_like_apk(void **state)
{
	(void)state;
	expect_size(0, "0 B");
	expect_size(2, "2 B");
	expect_size(9999, "9999 B");
	expect_size(10000, "9 KiB");
	expect_size(10239999, "9999 KiB");
	expect_size(10240000, "9.8 MiB");
	expect_size(5ull << 30, "5120.0 MiB");
	expect_size(50ull << 30, "50.0 GiB");
}

static const char versions[] =
	"C:Q1AAAAAAAAAAAAAAAAAAAAAAAAAAA=\nP:a\nV:1\nI:1\nD:b\n\n"
	"C:Q1AQAAAAAAAAAAAAAAAAAAAAAAAAA=\nP:a\nV:2\nI:3\nD:b\n\n"
	"C:Q1AgAAAAAAAAAAAAAAAAAAAAAAAAA=\nP:b\nV:1\nI:5\n\n"
	"C:Q1AwAAAAAAAAAAAAAAAAAAAAAAAAA=\nP:c\nV:1\nI:7\n\n";

static void test_changes_formatted_as_apk_prints_them(void **state)
{
	(void)state;
	struct fx f;
	struct mint_buf b = MINT_BUF_INIT;
	struct mint_apk_solve_opts up = { .flags = MINT_APK_SOLVE_UPGRADE };
	fx_init(&f, "x86_64");
	fx_installed(&f, "C:Q1AAAAAAAAAAAAAAAAAAAAAAAAAAA=\nP:a\nV:1\nI:1\nD:b\n\n"
			 "C:Q1AwAAAAAAAAAAAAAAAAAAAAAAAAA=\nP:c\nV:1\nI:7\n\n");
	fx_repo(&f, NULL, versions);
	fx_solve_opts(&f, "a", &up);
	assert_int_equal(mint_apk_solution_format_changes(f.sol, false, &b), 0);
	assert_string_equal(mint_buf_cstr(&b), "(1/3) Purging c (1)\n"
					       "(2/3) Installing b (1)\n"
					       "(3/3) Upgrading a (1 -> 2)\n");
	size_t n;
	uint64_t bytes;
	mint_apk_solution_totals(f.sol, &n, &bytes);
	assert_int_equal(n, 2);
	assert_int_equal(bytes, 8);
	mint_buf_free(&b);
	fx_free(&f);
}

static void test_change_kinds_for_same_and_other_packages(void **state)
{
	(void)state;
	struct fx f;
	struct mint_apk_name_flags again[] = { { "b", MINT_APK_SOLVE_REINSTALL, 0 } };
	struct mint_apk_solve_opts fix = { .names = again, .n_names = 1 };
	struct mint_buf b = MINT_BUF_INIT;
	fx_init(&f, "x86_64");
	fx_installed(&f, "C:Q1BAAAAAAAAAAAAAAAAAAAAAAAAAA=\nP:a\nV:2\nI:1\n\n"
			 "C:Q1AgAAAAAAAAAAAAAAAAAAAAAAAAA=\nP:b\nV:1\nI:5\n\n");
	fx_repo(&f, NULL, versions);
	fx_solve_opts(&f, "a<2 b", &fix);
	assert_int_equal(fx_change(&f, "a")->kind, MINT_APK_CHANGE_DOWNGRADE);
	assert_int_equal(fx_change(&f, "b")->kind, MINT_APK_CHANGE_REINSTALL);
	fx_solve(&f, "a b");
	assert_int_equal(fx_change(&f, "a")->kind, MINT_APK_CHANGE_KEEP);
	assert_int_equal(mint_apk_solution_format_changes(f.sol, false, &b), 0);
	assert_string_equal(mint_buf_cstr(&b), "");
	mint_buf_free(&b);
	fx_free(&f);
}

static void test_change_numbers_are_padded_to_the_total(void **state)
{
	(void)state;
	struct fx f;
	char repo[4096], world[256];
	size_t used = 0, wused = 0;
	struct mint_buf b = MINT_BUF_INIT;
	for (int i = 0; i < 10; i++) {
		used += (size_t)snprintf(repo + used, sizeof(repo) - used,
					 "C:Q1%cAAAAAAAAAAAAAAAAAAAAAAAAAA=\nP:p%d\nV:1\nI:1\n\n",
					 'A' + i, i);
		wused += (size_t)snprintf(world + wused, sizeof(world) - wused, "p%d ", i);
	}
	fx_init(&f, "x86_64");
	fx_repo(&f, NULL, repo);
	fx_solve(&f, world);
	assert_int_equal(mint_apk_solution_format_changes(f.sol, false, &b), 0);
	assert_true(mint_span_starts_with(mint_buf_span(&b), "( 1/10) Installing p0 (1)\n"));
	assert_non_null(strstr(mint_buf_cstr(&b), "(10/10) Installing p9 (1)\n"));
	mint_buf_free(&b);
	fx_free(&f);
}

static void test_verbose_lists_packages_no_repository_has(void **state)
{
	(void)state;
	struct fx f;
	struct mint_buf b = MINT_BUF_INIT;
	fx_init(&f, "x86_64");
	fx_installed(&f, "C:Q1AAAAAAAAAAAAAAAAAAAAAAAAAAA=\nP:a\nV:1\nI:1\nD:b\n\n"
			 "C:Q1AgAAAAAAAAAAAAAAAAAAAAAAAAA=\nP:b\nV:1\nI:5\n\n");
	fx_solve(&f, "a");
	assert_int_equal(mint_apk_solution_format_changes(f.sol, true, &b), 0);
	assert_string_equal(mint_buf_cstr(&b),
			    "NOTE: Consider running apk upgrade with --prune and/or --available.\n"
			    "The following packages are no longer available from a repository:\n"
			    "  a b\n");
	mint_buf_free(&b);
	fx_free(&f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_format_size_like_apk),
		cmocka_unit_test(test_changes_formatted_as_apk_prints_them),
		cmocka_unit_test(test_change_kinds_for_same_and_other_packages),
		cmocka_unit_test(test_change_numbers_are_padded_to_the_total),
		cmocka_unit_test(test_verbose_lists_packages_no_repository_has),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
