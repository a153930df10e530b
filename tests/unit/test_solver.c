/* SPDX-License-Identifier: Apache-2.0 */
#include "apk_solver_fixture.h"

#include <stdio.h>

static const char chain_repo[] =
	"C:Q1AAAAAAAAAAAAAAAAAAAAAAAAAAA=\nP:app\nV:2\nI:10\nD:so:libfoo.so.1 tool\n\n"
	"C:Q1AQAAAAAAAAAAAAAAAAAAAAAAAAA=\nP:libfoo\nV:1\nI:20\np:so:libfoo.so.1=1\nD:base\n\n"
	"C:Q1AgAAAAAAAAAAAAAAAAAAAAAAAAA=\nP:tool\nV:3\nI:30\nD:base\n\n"
	"C:Q1AwAAAAAAAAAAAAAAAAAAAAAAAAA=\nP:base\nV:1\nI:40\n\n";

static void test_solve_orders_dependencies_before_dependents(void **state)
{
	(void)state;
	struct fx f;
	fx_init(&f, "x86_64");
	fx_repo(&f, NULL, chain_repo);
	fx_solve(&f, "app");
	assert_int_equal(f.sol->errors, 0);
	assert_string_equal(fx_selected(&f), "base-1 libfoo-1 tool-3 app-2");
	fx_free(&f);
}

static void test_solve_gives_the_reason_for_each_package(void **state)
{
	(void)state;
	struct fx f;
	fx_init(&f, "x86_64");
	fx_repo(&f, NULL, chain_repo);
	fx_solve(&f, "app");
	assert_string_equal(fx_change(&f, "app")->reason, "world: app");
	assert_string_equal(fx_change(&f, "libfoo")->reason,
			    "dependency of app-2: so:libfoo.so.1");
	assert_string_equal(fx_change(&f, "base")->reason, "dependency of libfoo-1: base");
	assert_int_equal(fx_change(&f, "app")->kind, MINT_APK_CHANGE_INSTALL);
	assert_int_equal(fx_change(&f, "app")->repo, 0);
	fx_free(&f);
}

static const char binsh_repo[] =
	"C:Q1BAAAAAAAAAAAAAAAAAAAAAAAAAA=\nP:busybox-binsh\nV:1.37.0-r23\nI:1\np:/bin/sh\nk:100\n\n"
	"C:Q1BQAAAAAAAAAAAAAAAAAAAAAAAAA=\nP:dash-binsh\nV:0.5.12-r3\nI:1\np:/bin/sh\nk:60\n\n"
	"C:Q1BgAAAAAAAAAAAAAAAAAAAAAAAAA=\nP:yash-binsh\nV:2.59-r0\nI:1\np:/bin/sh\n\n";

static void test_solve_virtual_provider_chosen_by_priority(void **state)
{
	(void)state;
	struct fx f;
	fx_init(&f, "x86_64");
	fx_repo(&f, NULL, binsh_repo);
	fx_solve(&f, "/bin/sh");
	assert_int_equal(f.sol->errors, 0);
	assert_string_equal(fx_selected(&f), "busybox-binsh-1.37.0-r23");
	fx_solve(&f, "/bin/sh dash-binsh");
	assert_string_equal(fx_selected(&f), "dash-binsh-0.5.12-r3");
	fx_free(&f);
}

static void test_solve_virtual_without_priority_is_not_picked(void **state)
{
	(void)state;
	struct fx f;
	fx_init(&f, "x86_64");
	fx_repo(&f, NULL,
		"C:Q1BwAAAAAAAAAAAAAAAAAAAAAAAAA=\nP:testp\nV:1\np:foopkg\n\n"
		"C:Q1CAAAAAAAAAAAAAAAAAAAAAAAAAA=\nP:testq\nV:1\np:foopkg\n\n");
	fx_solve(&f, "foopkg");
	assert_int_not_equal(f.sol->errors, 0);
	assert_non_null(strstr(f.sol->explanation, "foopkg (virtual):"));
	assert_non_null(strstr(f.sol->explanation, "provided by: testp testq"));
	fx_free(&f);
}

static void test_solve_conflict_reported(void **state)
{
	(void)state;
	struct fx f;
	fx_init(&f, "x86_64");
	fx_repo(&f, NULL,
		"C:Q1CQAAAAAAAAAAAAAAAAAAAAAAAAA=\nP:a\nV:1\nD:!b>1\n\n"
		"C:Q1CgAAAAAAAAAAAAAAAAAAAAAAAAA=\nP:b\nV:1\n\n"
		"C:Q1CwAAAAAAAAAAAAAAAAAAAAAAAAA=\nP:b\nV:2\n\n");
	fx_solve(&f, "a b");
	assert_int_equal(f.sol->errors, 0);
	assert_string_equal(fx_selected(&f), "b-1 a-1");
	fx_solve(&f, "a b>1");
	assert_int_not_equal(f.sol->errors, 0);
	assert_string_equal(f.sol->explanation, "ERROR: unable to select packages:\n"
						"  b-2:\n"
						"    breaks: a-1[!b>1]\n"
						"    satisfies: world[b>1]\n");
	fx_free(&f);
}

static const char iif_repo[] =
	"C:Q1DAAAAAAAAAAAAAAAAAAAAAAAAAA=\nP:app\nV:1\n\n"
	"C:Q1DQAAAAAAAAAAAAAAAAAAAAAAAAA=\nP:foo\nV:1\n\n"
	"C:Q1DgAAAAAAAAAAAAAAAAAAAAAAAAA=\nP:app-foo\nV:1\nD:app\ni:app foo\n\n";

static void test_solve_install_if_triggered_when_all_conditions_hold(void **state)
{
	(void)state;
	struct fx f;
	fx_init(&f, "x86_64");
	fx_repo(&f, NULL, iif_repo);
	fx_solve(&f, "app");
	assert_string_equal(fx_selected(&f), "app-1");
	fx_solve(&f, "app foo");
	assert_string_equal(fx_selected(&f), "app-1 foo-1 app-foo-1");
	assert_string_equal(fx_change(&f, "app-foo")->reason, "install_if: app foo");
	fx_free(&f);
}

/* Sizes matter: apk lets packages of size 0 (meta packages) past tag pinning. */
static const char basic_repo[] =
	"C:Q1EAAAAAAAAAAAAAAAAAAAAAAAAAA=\nP:a\nV:2\nI:1\nD:b\n\n"
	"C:Q1EQAAAAAAAAAAAAAAAAAAAAAAAAA=\nP:b\nV:2\nI:1\n\n"
	"C:Q1EgAAAAAAAAAAAAAAAAAAAAAAAAA=\nP:c\nV:2\nI:1\nD:a>=2\n\n";
static const char testing_repo[] =
	"C:Q1EwAAAAAAAAAAAAAAAAAAAAAAAAA=\nP:a\nV:3\nI:1\nD:b\n\n"
	"C:Q1FAAAAAAAAAAAAAAAAAAAAAAAAAA=\nP:b\nV:3\nI:1\n\n"
	"C:Q1FQAAAAAAAAAAAAAAAAAAAAAAAAA=\nP:c\nV:3\nI:1\nD:a>=3\n\n";

static void test_solve_tagged_repository_only_when_pinned(void **state)
{
	(void)state;
	struct fx f;
	fx_init(&f, "x86_64");
	fx_repo(&f, NULL, basic_repo);
	fx_repo(&f, "testing", testing_repo);
	fx_solve(&f, "a");
	assert_string_equal(fx_selected(&f), "b-2 a-2");
	fx_solve(&f, "a@testing");
	assert_string_equal(fx_selected(&f), "b-2 a-3");
	assert_string_equal(fx_change(&f, "a")->new_tag, "@testing");
	assert_string_equal(fx_change(&f, "b")->new_tag, "");
	fx_free(&f);
}

static void test_solve_pinning_inherited_by_dependencies(void **state)
{
	(void)state;
	struct fx f;
	fx_init(&f, "x86_64");
	fx_repo(&f, NULL, basic_repo);
	fx_repo(&f, "@testing", testing_repo);
	fx_solve(&f, "c@testing");
	assert_int_equal(f.sol->errors, 0);
	assert_string_equal(fx_selected(&f), "b-2 a-3 c-3");
	assert_string_equal(fx_change(&f, "a")->new_tag, "@testing");
	fx_solve(&f, "c>=3");
	assert_int_not_equal(f.sol->errors, 0);
	assert_non_null(strstr(f.sol->explanation, "masked in: @testing"));
	fx_free(&f);
}

static void test_solve_prefers_installed_unless_upgrading(void **state)
{
	(void)state;
	struct fx f;
	struct mint_apk_solve_opts up = { .flags = MINT_APK_SOLVE_UPGRADE };
	fx_init(&f, "x86_64");
	fx_installed(&f, "C:Q1FgAAAAAAAAAAAAAAAAAAAAAAAAA=\nP:b\nV:1\nI:1\n\n");
	fx_repo(&f, NULL,
		"C:Q1FgAAAAAAAAAAAAAAAAAAAAAAAAA=\nP:b\nV:1\nI:1\n\n"
		"C:Q1FwAAAAAAAAAAAAAAAAAAAAAAAAA=\nP:b\nV:2\nI:1\n\n");
	fx_solve(&f, "b");
	assert_int_equal(fx_change(&f, "b")->kind, MINT_APK_CHANGE_KEEP);
	fx_solve_opts(&f, "b", &up);
	assert_int_equal(fx_change(&f, "b")->kind, MINT_APK_CHANGE_UPGRADE);
	assert_string_equal(fx_change(&f, "b")->old_pkg->version, "1");
	fx_free(&f);
}

static void test_solve_removes_installed_packages_left_out_of_world(void **state)
{
	(void)state;
	struct fx f;
	fx_init(&f, "x86_64");
	fx_installed(&f, "C:Q1GAAAAAAAAAAAAAAAAAAAAAAAAAA=\nP:a\nV:1\nD:b\n\n"
			 "C:Q1GQAAAAAAAAAAAAAAAAAAAAAAAAA=\nP:b\nV:1\n\n");
	fx_solve(&f, "b");
	assert_int_equal(fx_change(&f, "a")->kind, MINT_APK_CHANGE_REMOVE);
	assert_null(fx_change(&f, "a")->reason);
	assert_int_equal(fx_change(&f, "b")->kind, MINT_APK_CHANGE_KEEP);
	assert_int_equal(fx_change(&f, "b")->repo, -1);
	fx_free(&f);
}

static void test_solve_fuzzy_version_matches_prefix(void **state)
{
	(void)state;
	struct fx f;
	fx_init(&f, "x86_64");
	fx_repo(&f, NULL,
		"C:Q1GgAAAAAAAAAAAAAAAAAAAAAAAAA=\nP:a\nV:2.2\n\n"
		"C:Q1GwAAAAAAAAAAAAAAAAAAAAAAAAA=\nP:a\nV:2.10\n\n");
	fx_solve(&f, "a~2.2");
	assert_string_equal(fx_selected(&f), "a-2.2");
	fx_solve(&f, "a");
	assert_string_equal(fx_selected(&f), "a-2.10");
	fx_free(&f);
}

static void test_solve_dependency_cycle_terminates(void **state)
{
	(void)state;
	struct fx f;
	fx_init(&f, "x86_64");
	fx_repo(&f, NULL,
		"C:Q1HAAAAAAAAAAAAAAAAAAAAAAAAAA=\nP:a\nV:1\nD:b a\n\n"
		"C:Q1HQAAAAAAAAAAAAAAAAAAAAAAAAA=\nP:b\nV:1\nD:c\n\n"
		"C:Q1HgAAAAAAAAAAAAAAAAAAAAAAAAA=\nP:c\nV:1\nD:a\n\n");
	fx_solve(&f, "a");
	assert_int_equal(f.sol->errors, 0);
	assert_string_equal(fx_selected(&f), "c-1 b-1 a-1");
	fx_free(&f);
}

static void test_solve_missing_arch_matches_any_but_foreign_arch_does_not(void **state)
{
	(void)state;
	struct fx f;
	fx_init(&f, "aarch64");
	fx_repo(&f, NULL,
		"C:Q1HwAAAAAAAAAAAAAAAAAAAAAAAAA=\nP:any\nV:1\n\n"
		"C:Q1IAAAAAAAAAAAAAAAAAAAAAAAAAA=\nP:x\nV:1\nA:x86_64\n\n"
		"C:Q1IQAAAAAAAAAAAAAAAAAAAAAAAAA=\nP:x\nV:0.9\nA:aarch64\n\n");
	fx_solve(&f, "any x");
	assert_int_equal(f.sol->errors, 0);
	assert_string_equal(fx_selected(&f), "any-1 x-0.9");
	fx_free(&f);
}

static void test_solve_force_broken_world_drops_what_cannot_be_met(void **state)
{
	(void)state;
	struct fx f;
	struct mint_apk_solve_opts force = { .force_broken_world = true };
	fx_init(&f, "x86_64");
	fx_repo(&f, NULL, basic_repo);
	fx_solve(&f, "a missing");
	assert_int_not_equal(f.sol->errors, 0);
	fx_solve_opts(&f, "a missing", &force);
	assert_int_equal(f.sol->errors, 0);
	assert_string_equal(fx_selected(&f), "b-2 a-2");
	fx_free(&f);
}

static void test_solve_step_bound_is_reported(void **state)
{
	(void)state;
	struct fx f;
	struct mint_apk_solve_opts tight = { .max_steps = 1 };
	struct mint_err err = { 0 };
	fx_init(&f, "x86_64");
	fx_repo(&f, NULL, chain_repo);
	assert_ok(mint_apk_deps_parse(MINT_SPAN_LIT("app"), &f.world, &f.n_world, &err), &err);
	assert_int_equal(mint_apk_solve(f.db, f.world, f.n_world, &tight, &f.sol, &err),
			 MINT_ELIMIT);
	assert_null(f.sol);
	assert_non_null(strstr(err.msg, "gave up"));
	fx_free(&f);
}

/* A small deterministic shuffle (xorshift). */
static void shuffle(struct mint_apk_pkg *p, size_t n, uint32_t seed)
{
	for (size_t i = n; i > 1; i--) {
		seed ^= seed << 13;
		seed ^= seed >> 17;
		seed ^= seed << 5;
		size_t j = seed % i;
		struct mint_apk_pkg t = p[i - 1];
		p[i - 1] = p[j];
		p[j] = t;
	}
}

static const char mixed_repo[] =
	"C:Q1JAAAAAAAAAAAAAAAAAAAAAAAAAA=\nP:mymailreader\nV:1\np:mail-reader\nk:1\n\n"
	"C:Q1JQAAAAAAAAAAAAAAAAAAAAAAAAA=\nP:mailreadplus\nV:1\np:mail-reader\nk:2\n\n"
	"C:Q1JgAAAAAAAAAAAAAAAAAAAAAAAAA=\nP:client\nV:1\nD:mail-reader so:libz.so.1 util\n\n"
	"C:Q1JwAAAAAAAAAAAAAAAAAAAAAAAAA=\nP:zlib\nV:1.3\np:so:libz.so.1=1.3\n\n"
	"C:Q1KAAAAAAAAAAAAAAAAAAAAAAAAAA=\nP:zlib\nV:1.2\np:so:libz.so.1=1.2\n\n"
	"C:Q1KQAAAAAAAAAAAAAAAAAAAAAAAAA=\nP:util\nV:1\nD:zlib\n\n"
	"C:Q1KgAAAAAAAAAAAAAAAAAAAAAAAAA=\nP:util-doc\nV:1\ni:util docs\n\n"
	"C:Q1KwAAAAAAAAAAAAAAAAAAAAAAAAA=\nP:docs\nV:1\n\n";

static void solve_text(struct mint_apk_pkg *pkgs, size_t n, const char *world, char *out,
		       size_t cap)
{
	struct mint_apk_db *db;
	struct mint_apk_dep *deps;
	size_t n_deps;
	struct mint_apk_solution *sol;
	struct mint_err err = { 0 };
	const char *arch = "x86_64";
	struct mint_buf b = MINT_BUF_INIT;
	assert_ok(mint_apk_db_new(&arch, 1, &db, &err), &err);
	assert_true(mint_apk_db_add_repo(db, pkgs, n, NULL, &err) >= 0);
	assert_ok(mint_apk_deps_parse(mint_span_str(world), &deps, &n_deps, &err), &err);
	assert_ok(mint_apk_solve(db, deps, n_deps, NULL, &sol, &err), &err);
	assert_int_equal(mint_apk_solution_format_changes(sol, false, &b), 0);
	snprintf(out, cap, "%s%s", mint_buf_cstr(&b), sol->explanation ? sol->explanation : "");
	mint_buf_free(&b);
	mint_apk_solution_free(sol);
	mint_apk_deps_free(deps, n_deps);
	mint_apk_db_free(db);
}

static void test_solve_same_result_for_shuffled_index_records(void **state)
{
	(void)state;
	static const char *const worlds[] = { "client docs", "client", "mail-reader",
					      "so:libz.so.1 util-doc" };
	struct mint_apk_index idx;
	char want[2048], got[2048];
	fx_parse(mixed_repo, &idx);
	for (size_t w = 0; w < sizeof(worlds) / sizeof(worlds[0]); w++) {
		solve_text(idx.pkgs, idx.n, worlds[w], want, sizeof(want));
		for (uint32_t seed = 1; seed <= 20; seed++) {
			shuffle(idx.pkgs, idx.n, seed * 2654435761u);
			solve_text(idx.pkgs, idx.n, worlds[w], got, sizeof(got));
			assert_string_equal(got, want);
		}
	}
	solve_text(idx.pkgs, idx.n, "client docs", got, sizeof(got));
	assert_string_equal(got, "(1/6) Installing mailreadplus (1)\n"
				 "(2/6) Installing zlib (1.3)\n"
				 "(3/6) Installing util (1)\n"
				 "(4/6) Installing client (1)\n"
				 "(5/6) Installing docs (1)\n"
				 "(6/6) Installing util-doc (1)\n");
	mint_apk_index_free(&idx);
}

static void test_solve_database_is_reusable_across_solves(void **state)
{
	(void)state;
	struct fx f;
	fx_init(&f, "x86_64");
	fx_repo(&f, NULL, chain_repo);
	for (int i = 0; i < 3; i++) {
		fx_solve(&f, "app");
		assert_string_equal(fx_selected(&f), "base-1 libfoo-1 tool-3 app-2");
		fx_solve(&f, "tool nothing-provides-this");
		assert_int_not_equal(f.sol->errors, 0);
	}
	fx_free(&f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_solve_orders_dependencies_before_dependents),
		cmocka_unit_test(test_solve_gives_the_reason_for_each_package),
		cmocka_unit_test(test_solve_virtual_provider_chosen_by_priority),
		cmocka_unit_test(test_solve_virtual_without_priority_is_not_picked),
		cmocka_unit_test(test_solve_conflict_reported),
		cmocka_unit_test(test_solve_install_if_triggered_when_all_conditions_hold),
		cmocka_unit_test(test_solve_tagged_repository_only_when_pinned),
		cmocka_unit_test(test_solve_pinning_inherited_by_dependencies),
		cmocka_unit_test(test_solve_prefers_installed_unless_upgrading),
		cmocka_unit_test(test_solve_removes_installed_packages_left_out_of_world),
		cmocka_unit_test(test_solve_fuzzy_version_matches_prefix),
		cmocka_unit_test(test_solve_dependency_cycle_terminates),
		cmocka_unit_test(test_solve_missing_arch_matches_any_but_foreign_arch_does_not),
		cmocka_unit_test(test_solve_force_broken_world_drops_what_cannot_be_met),
		cmocka_unit_test(test_solve_step_bound_is_reported),
		cmocka_unit_test(test_solve_same_result_for_shuffled_index_records),
		cmocka_unit_test(test_solve_database_is_reusable_across_solves),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
