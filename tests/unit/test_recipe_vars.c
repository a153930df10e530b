/* SPDX-License-Identifier: Apache-2.0 */
/* lib/recipe/recipe_vars.c: vars, var-transforms (RE2 on ERE), package vars. */
#include "recipe_testlib.h"

#include <stdlib.h>

static const char *var(const struct mint_image_kvs *kv, const char *key)
{
	for (size_t i = 0; i < kv->n; i++)
		if (!strcmp(kv->v[i].key, key))
			return kv->v[i].value;
	fail_msg("no variable %s", key);
	return NULL;
}

/* The value of vars.out after one transform of from. */
static void assert_transform(const char *from, const char *match, const char *replace,
			     const char *want)
{
	char text[1024];
	struct mint_recipe r;
	snprintf(text, sizeof(text),
		 PKG "var-transforms:\n  - from: '%s'\n    match: '%s'\n    replace: '%s'\n"
		     "    to: out\n", from, match, replace);
	recipe_ok(text, &r);
	assert_string_equal(var(&r.vars, "out"), want);
	mint_recipe_free(&r);
}

static const char *transform_fails(const char *match, int code)
{
	char text[1024];
	snprintf(text, sizeof(text),
		 PKG "var-transforms:\n  - from: x\n    match: '%s'\n    replace: y\n    to: out\n",
		 match);
	return recipe_fails(text, code);
}

static void test_vars_values_substitute_package_fields(void **state)
{
	(void)state;
	struct mint_recipe r;
	recipe_ok(PKG "vars:\n  a: ${{package.name}}-${{package.full-version}}\n  b: ${{x.y}}\n",
		  &r);
	assert_string_equal(var(&r.vars, "a"), "hello-1.2.3-r2");
	assert_string_equal(var(&r.vars, "b"), "${{x.y}}");
	mint_recipe_free(&r);
}

static void test_var_transform_digit_class_and_group(void **state)
{
	(void)state;
	assert_transform("${{package.version}}", "\\.(\\d+)$", "+$1", "1.2+3");
	assert_transform("1.2.3", "^(\\d+\\.\\d+)\\.\\d+$", "${1}", "1.2");
	assert_transform("a_b_c", "_", "-", "a-b-c");
	assert_transform("abc", "b", "$$", "a$c");
	assert_transform("abc", "(b)", "$1x", "ac");
	assert_transform("abc", "x*", "-", "-a-b-c-");
	assert_transform("a b\tc", "\\s", "", "abc");
	assert_transform("v1.0", "[\\d.]+", "N", "vN");
}

static void test_var_transform_from_earlier_transform_and_vars(void **state)
{
	(void)state;
	struct mint_recipe r;
	recipe_ok(PKG "vars:\n  base: 1-2\nvar-transforms:\n"
		      "  - from: ${{vars.base}}\n    match: '-'\n    replace: .\n    to: dotted\n"
		      "  - from: ${{vars.dotted}}\n    match: '\\.'\n    replace: _\n    to: under\n",
		  &r);
	assert_string_equal(var(&r.vars, "dotted"), "1.2");
	assert_string_equal(var(&r.vars, "under"), "1_2");
	mint_recipe_free(&r);
}

static void test_var_transform_refuses_what_ere_cannot_express(void **state)
{
	(void)state;
	assert_contains(transform_fails("(?i)x", MINT_EUNSUPPORTED), "(?...)");
	assert_contains(transform_fails("a+?", MINT_EUNSUPPORTED), "non-greedy");
	assert_contains(transform_fails("\\bx", MINT_EUNSUPPORTED), "word boundaries");
	assert_contains(transform_fails("\\pL", MINT_EUNSUPPORTED), "Unicode");
	assert_contains(transform_fails("(", MINT_EFORMAT), "not a valid regular expression");
	assert_contains(recipe_fails(PKG "var-transforms:\n  - from: x\n    match: x\n"
					 "    replace: y\n", MINT_EFORMAT),
			"'var-transforms[0].to' is required");
}

static void test_recipe_vars_for_an_arch(void **state)
{
	(void)state;
	struct mint_recipe r;
	struct mint_image_kvs kv;
	struct mint_err err = { 0 };
	recipe_ok(PKG "vars:\n  v: 1\n", &r);
	assert_ok(mint_recipe_vars(&r, "aarch64", &kv, &err), &err);
	assert_string_equal(var(&kv, "package.name"), "hello");
	assert_string_equal(var(&kv, "package.epoch"), "2");
	assert_string_equal(var(&kv, "package.full-version"), "1.2.3-r2");
	assert_string_equal(var(&kv, "targets.destdir"), "/home/build/melange-out/hello");
	assert_string_equal(var(&kv, "targets.outdir"), "/home/build/melange-out");
	assert_string_equal(var(&kv, "build.arch"), "aarch64");
	assert_string_equal(var(&kv, "build.goarch"), "arm64");
	assert_string_equal(var(&kv, "host.triplet.gnu"), "aarch64-unknown-linux-gnu");
	assert_string_equal(var(&kv, "cross.triplet.gnu.musl"), "aarch64-unknown-linux-musl");
	assert_string_equal(var(&kv, "vars.v"), "1");
	for (size_t i = 1; i < kv.n; i++)
		assert_true(strcmp(kv.v[i - 1].key, kv.v[i].key) < 0);
	mint_recipe_kvs_free(&kv);
	assert_ok(mint_recipe_vars(&r, "amd64", &kv, &err), &err);
	assert_string_equal(var(&kv, "build.arch"), "x86_64");
	assert_string_equal(var(&kv, "host.triplet.rust"), "x86_64-unknown-linux-gnu");
	mint_recipe_kvs_free(&kv);
	assert_int_equal(mint_recipe_vars(&r, "pdp11", &kv, &err), MINT_EINVAL);
	mint_recipe_free(&r);
}

static void test_var_transform_result_is_bounded(void **state)
{
	(void)state;
	size_t n = 40000;
	char *text = malloc(n + 256);
	assert_non_null(text);
	int at = snprintf(text, 256, PKG "vars:\n  a: ");
	memset(text + at, 'x', n);
	strcpy(text + at + n, "\nvar-transforms:\n  - from: ${{vars.a}}${{vars.a}}\n"
			      "    match: y\n    replace: z\n    to: b\n");
	assert_contains(recipe_fails(text, MINT_ELIMIT), "longer than 64 KiB");
	free(text);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_vars_values_substitute_package_fields),
		cmocka_unit_test(test_var_transform_digit_class_and_group),
		cmocka_unit_test(test_var_transform_from_earlier_transform_and_vars),
		cmocka_unit_test(test_var_transform_refuses_what_ere_cannot_express),
		cmocka_unit_test(test_recipe_vars_for_an_arch),
		cmocka_unit_test(test_var_transform_result_is_bounded),
	};
	return tests_exit(cmocka_run_group_tests(tests, NULL, NULL));
}
