/* SPDX-License-Identifier: Apache-2.0 */
/* lib/recipe/recipe_subpackages.c: subpackages, range over data. */
#include "recipe_testlib.h"

#define DATA "data:\n  - name: colors\n    items:\n      red: warm\n      blue: cold\n"

static void test_subpackages_plain_fields(void **state)
{
	(void)state;
	struct mint_recipe r;
	recipe_ok(PKG "subpackages:\n  - name: hello-doc\n    description: docs\n"
		      "    if: ${{build.arch}} == 'x86_64'\n    url: u\n    commit: c\n"
		      "    dependencies:\n      runtime: [hello]\n    options:\n      no-provides: true\n"
		      "    annotations:\n      a: b\n"
		      "    pipeline:\n      - uses: split/manpages\n"
		      "    test:\n      pipeline:\n        - runs: man hello\n", &r);
	assert_int_equal(r.n_subpackages, 1);
	const struct mint_recipe_subpackage *s = &r.subpackages[0];
	assert_string_equal(s->meta.name, "hello-doc");
	assert_string_equal(s->meta.description, "docs");
	assert_string_equal(s->if_expr, "${{build.arch}} == 'x86_64'");
	assert_string_equal(s->meta.dependencies.runtime.v[0], "hello");
	assert_true(s->meta.options.no_provides);
	assert_string_equal(s->pipeline[0].uses, "split/manpages");
	assert_true(s->meta.test.present);
	assert_null(s->range_key);
	mint_recipe_free(&r);
}

static void test_subpackages_range_expands_in_key_order(void **state)
{
	(void)state;
	struct mint_recipe r;
	recipe_ok(PKG DATA "subpackages:\n  - range: colors\n    name: paint-${{range.key}}\n"
		      "    description: ${{range.value}} ${{package.name}}\n"
		      "    pipeline:\n      - runs: echo ${{range.key}} is ${{range.value}}\n"
		      "      - uses: go/build\n        with:\n          packages: ${{range.value}}\n"
		      "  - name: other\n", &r);
	assert_int_equal(r.n_subpackages, 3);
	assert_string_equal(r.subpackages[0].meta.name, "paint-blue");
	assert_string_equal(r.subpackages[0].range_key, "blue");
	assert_string_equal(r.subpackages[0].range_value, "cold");
	assert_string_equal(r.subpackages[0].meta.description, "cold ${{package.name}}");
	assert_string_equal(r.subpackages[0].pipeline[0].runs, "echo blue is cold");
	assert_string_equal(r.subpackages[0].pipeline[1].with.v[0].value, "cold");
	assert_string_equal(r.subpackages[1].meta.name, "paint-red");
	assert_string_equal(r.subpackages[2].meta.name, "other");
	mint_recipe_free(&r);
}

static void test_subpackages_range_errors(void **state)
{
	(void)state;
	assert_contains(recipe_fails(PKG DATA "subpackages:\n  - range: shapes\n"
					      "    name: x-${{range.key}}\n", MINT_EFORMAT),
			"no data named \"shapes\"");
	assert_contains(recipe_fails(PKG DATA "subpackages:\n  - range: colors\n    name: same\n",
				     MINT_EFORMAT),
			"must use ${{range.key}}");
	assert_contains(recipe_fails(PKG DATA "subpackages:\n  - range: colors\n"
					      "    name: t-\"${{range.key}}\"\n", MINT_EFORMAT),
			"\"t-\"blue\"\" is not a valid package name");
	assert_contains(recipe_fails(PKG DATA DATA, MINT_EFORMAT), "duplicate");
	assert_contains(recipe_fails(PKG "data:\n  - name: a\n    items: {}\n  - name: a\n"
					 "    items: {}\n", MINT_EDUPLICATE),
			"defined twice");
}

static void test_subpackages_names_are_unique_and_not_the_package(void **state)
{
	(void)state;
	assert_contains(recipe_fails(PKG "subpackages:\n  - name: hello\n", MINT_EDUPLICATE),
			"r.yaml:6:11: 'subpackages[0].name': \"hello\" is the name of the package");
	assert_contains(recipe_fails(PKG "subpackages:\n  - name: a\n  - name: a\n",
				     MINT_EDUPLICATE),
			"subpackage \"a\" is defined twice");
	assert_contains(recipe_fails(PKG "subpackages:\n  - description: x\n", MINT_EFORMAT),
			"'subpackages[0].name' is required");
	assert_contains(recipe_fails(PKG "subpackages:\n  -\n", MINT_EFORMAT),
			"subpackages[0]");
}

static void test_subpackages_names_substitute_package_and_vars(void **state)
{
	(void)state;
	struct mint_recipe r;
	recipe_ok(PKG "vars:\n  v: x\nsubpackages:\n  - name: ${{package.name}}-${{vars.v}}\n",
		  &r);
	assert_string_equal(r.subpackages[0].meta.name, "hello-x");
	mint_recipe_free(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_subpackages_plain_fields),
		cmocka_unit_test(test_subpackages_range_expands_in_key_order),
		cmocka_unit_test(test_subpackages_range_errors),
		cmocka_unit_test(test_subpackages_names_are_unique_and_not_the_package),
		cmocka_unit_test(test_subpackages_names_substitute_package_and_vars),
	};
	return tests_exit(cmocka_run_group_tests(tests, NULL, NULL));
}
