/* SPDX-License-Identifier: Apache-2.0 */
#include "apk_solver_fixture.h"

struct two_archs {
	struct fx x86, arm;
	struct mint_apk_arch_db archs[2];
	struct mint_apk_dep *world;
	size_t n_world;
	struct mint_apk_solution *out[2];
};

static void setup(struct two_archs *t, const char *x86_repo, const char *arm_repo,
		  const char *world)
{
	struct mint_err err = { 0 };
	fx_init(&t->x86, "x86_64");
	fx_init(&t->arm, "aarch64");
	fx_repo(&t->x86, NULL, x86_repo);
	fx_repo(&t->arm, NULL, arm_repo);
	t->archs[0] = (struct mint_apk_arch_db){ "x86_64", t->x86.db };
	t->archs[1] = (struct mint_apk_arch_db){ "aarch64", t->arm.db };
	assert_ok(mint_apk_deps_parse(mint_span_str(world), &t->world, &t->n_world, &err), &err);
}

static void teardown(struct two_archs *t)
{
	mint_apk_solution_free(t->out[0]);
	mint_apk_solution_free(t->out[1]);
	mint_apk_deps_free(t->world, t->n_world);
	fx_free(&t->x86);
	fx_free(&t->arm);
}

static const char x86_index[] =
	"C:Q1AAAAAAAAAAAAAAAAAAAAAAAAAAA=\nP:app\nV:1.0-r0\nA:x86_64\nI:1\nD:lib\n\n"
	"C:Q1AQAAAAAAAAAAAAAAAAAAAAAAAAA=\nP:lib\nV:2\nA:x86_64\nI:1\n\n";

static void test_archs_same_versions_give_one_solution_per_arch(void **state)
{
	(void)state;
	struct two_archs t = { 0 };
	struct mint_err err = { 0 };
	setup(&t, x86_index,
	      "C:Q1AgAAAAAAAAAAAAAAAAAAAAAAAAA=\nP:app\nV:1.0-r0\nA:aarch64\nI:1\nD:lib\n\n"
	      "C:Q1AwAAAAAAAAAAAAAAAAAAAAAAAAA=\nP:lib\nV:3\nA:aarch64\nI:1\n\n",
	      "app");
	assert_ok(mint_apk_solve_archs(t.archs, 2, t.world, t.n_world, NULL, t.out, &err), &err);
	assert_int_equal(t.out[0]->n_changes, 2);
	assert_string_equal(t.out[1]->changes[0].new_pkg->version, "3");
	teardown(&t);
}

static void test_archs_version_mismatch_reported(void **state)
{
	(void)state;
	struct two_archs t = { 0 };
	struct mint_err err = { 0 };
	setup(&t, x86_index,
	      "C:Q1AgAAAAAAAAAAAAAAAAAAAAAAAAA=\nP:app\nV:1.1-r0\nA:aarch64\nI:1\nD:lib\n\n"
	      "C:Q1AwAAAAAAAAAAAAAAAAAAAAAAAAA=\nP:lib\nV:2\nA:aarch64\nI:1\n\n",
	      "app");
	assert_int_equal(mint_apk_solve_archs(t.archs, 2, t.world, t.n_world, NULL, t.out, &err),
			 MINT_ENOTFOUND);
	assert_string_equal(err.msg, "unable to lock packages to a consistent version: "
				     "app is 1.0-r0 on x86_64 but 1.1-r0 on aarch64");
	assert_null(t.out[0]);
	assert_null(t.out[1]);
	teardown(&t);
}

static void test_archs_unsatisfiable_arch_is_named(void **state)
{
	(void)state;
	struct two_archs t = { 0 };
	struct mint_err err = { 0 };
	setup(&t, x86_index, "C:Q1AgAAAAAAAAAAAAAAAAAAAAAAAAA=\nP:other\nV:1\nA:aarch64\n\n",
	      "app");
	assert_int_equal(mint_apk_solve_archs(t.archs, 2, t.world, t.n_world, NULL, t.out, &err),
			 MINT_ENOTFOUND);
	assert_string_equal(err.msg,
			    "aarch64: unable to select packages: app (no such package)");
	assert_null(t.out[0]);
	teardown(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_archs_same_versions_give_one_solution_per_arch),
		cmocka_unit_test(test_archs_version_mismatch_reported),
		cmocka_unit_test(test_archs_unsatisfiable_arch_is_named),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
