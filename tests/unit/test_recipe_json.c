/* SPDX-License-Identifier: Apache-2.0 */
/* lib/recipe/recipe_json.c: the JSON `mint pkg show` prints. */
#include "recipe_testlib.h"

static void to_json(const char *text, const char *arch, struct mint_buf *out)
{
	struct mint_recipe r;
	struct mint_err err = { 0 };
	recipe_ok(text, &r);
	assert_ok(mint_recipe_to_json(&r, arch, out, &err), &err);
	mint_recipe_free(&r);
}

static void test_json_exact_bytes_of_a_small_recipe(void **state)
{
	(void)state;
	struct mint_buf out = MINT_BUF_INIT;
	to_json(PKG "  description: ${{package.name}} for ${{build.arch}}\n"
		    "  dependencies:\n    runtime: []\n"
		    "pipeline:\n  - runs: echo ${{targets.destdir}}\n"
		    "subpackages:\n  - name: hello-doc\n    description: ${{subpkg.name}}\n"
		    "update:\n  enabled: false\n",
		"aarch64", &out);
	assert_string_equal(mint_buf_cstr(&out),
			    "{\n"
			    "  \"package\": {\n"
			    "    \"name\": \"hello\",\n"
			    "    \"version\": \"1.2.3\",\n"
			    "    \"epoch\": 2,\n"
			    "    \"full-version\": \"1.2.3-r2\",\n"
			    "    \"description\": \"hello for aarch64\"\n"
			    "  },\n"
			    "  \"pipeline\": [\n"
			    "    {\n"
			    "      \"runs\": \"echo ${{targets.destdir}}\"\n"
			    "    }\n"
			    "  ],\n"
			    "  \"subpackages\": [\n"
			    "    {\n"
			    "      \"name\": \"hello-doc\",\n"
			    "      \"description\": \"hello-doc\"\n"
			    "    }\n"
			    "  ],\n"
			    "  \"update\": {\n"
			    "    \"enabled\": false\n"
			    "  }\n"
			    "}\n");
	mint_buf_free(&out);
}

static void test_json_environment_and_vars_and_escapes(void **state)
{
	(void)state;
	struct mint_buf out = MINT_BUF_INIT;
	to_json(PKG "environment:\n  contents:\n    packages: [busybox]\n"
		    "vars:\n  q: \"a\\\"b<\"\n", "x86_64", &out);
	const char *s = mint_buf_cstr(&out);
	assert_contains(s, "  \"environment\": {\n    \"contents\": {\n      \"packages\": [\n"
			   "        \"busybox\"\n");
	assert_contains(s, "\"q\": \"a\\\"b\\u003c\"");
	mint_buf_free(&out);
}

static void test_json_same_recipe_same_bytes(void **state)
{
	(void)state;
	struct mint_buf a = MINT_BUF_INIT, b = MINT_BUF_INIT;
	const char *text = PKG "subpackages:\n  - name: x\n    pipeline:\n      - uses: a\n"
			       "        with:\n          z: 1\n          a: 2\n";
	to_json(text, "x86_64", &a);
	to_json(text, "x86_64", &b);
	assert_int_equal(a.len, b.len);
	assert_memory_equal(a.data, b.data, a.len);
	mint_buf_free(&a);
	mint_buf_free(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_json_exact_bytes_of_a_small_recipe),
		cmocka_unit_test(test_json_environment_and_vars_and_escapes),
		cmocka_unit_test(test_json_same_recipe_same_bytes),
	};
	return tests_exit(cmocka_run_group_tests(tests, NULL, NULL));
}
