/* SPDX-License-Identifier: Apache-2.0 */
/* lib/recipe/recipe_subst.c: ${{ name }} substitution and the sorted map. */
#include "testutil.h"

#include <stdlib.h>
#include <string.h>

#include "mint/recipe.h"

static struct mint_image_kvs vars;

static int setup(void **state)
{
	(void)state;
	assert_int_equal(mint_recipe_kvs_set(&vars, "package.name", "hello"), 0);
	assert_int_equal(mint_recipe_kvs_set(&vars, "inputs.expected-sha256", "ab12"), 0);
	assert_int_equal(mint_recipe_kvs_set(&vars, "targets.destdir", "/home/build/melange-out/hello"), 0);
	assert_int_equal(mint_recipe_kvs_set(&vars, "vars.loop", "${{package.name}}"), 0);
	assert_int_equal(mint_recipe_kvs_set(&vars, "inputs.empty", ""), 0);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	mint_recipe_kvs_free(&vars);
	return 0;
}

static int subst(const char *text, bool keep, struct mint_buf *out, struct mint_err *err)
{
	mint_buf_reset(out);
	mint_err_clear(err);
	return mint_recipe_subst(text, &vars, keep, out, err);
}

static void assert_subst(const char *text, const char *want)
{
	struct mint_buf out = MINT_BUF_INIT;
	struct mint_err err;
	assert_ok(subst(text, false, &out, &err), &err);
	assert_string_equal(mint_buf_cstr(&out), want);
	mint_buf_free(&out);
}

static const char *subst_fails(const char *text)
{
	static char msg[1024];
	struct mint_buf out = MINT_BUF_INIT;
	struct mint_err err;
	assert_int_equal(subst(text, false, &out, &err), MINT_EFORMAT);
	mint_buf_free(&out);
	mint_err_format(&err, msg, sizeof(msg));
	return msg;
}

static void test_subst_replaces_with_and_without_spaces(void **state)
{
	(void)state;
	assert_subst("${{package.name}}-${{ package.name }}-${{\tpackage.name  }}",
		     "hello-hello-hello");
	assert_subst("sum=${{inputs.expected-sha256}}!", "sum=ab12!");
	assert_subst("cd ${{targets.destdir}}/usr", "cd /home/build/melange-out/hello/usr");
}

static void test_subst_plain_text_and_empty_values(void **state)
{
	(void)state;
	assert_subst("", "");
	assert_subst("no refs, $HOME ${x} {{ y }}", "no refs, $HOME ${x} {{ y }}");
	assert_subst("[${{inputs.empty}}]", "[]");
}

static void test_subst_values_are_not_scanned_again(void **state)
{
	(void)state;
	assert_subst("${{vars.loop}}", "${{package.name}}");
}

static void test_subst_unknown_variable_is_named(void **state)
{
	(void)state;
	const char *m = subst_fails("a ${{ inputs.nope }} b");
	assert_non_null(strstr(m, "unknown variable 'inputs.nope'"));
}

static void test_subst_keep_unknown_leaves_reference(void **state)
{
	(void)state;
	struct mint_buf out = MINT_BUF_INIT;
	struct mint_err err;
	assert_ok(subst("${{ range.key }}/${{package.name}}", true, &out, &err), &err);
	assert_string_equal(mint_buf_cstr(&out), "${{ range.key }}/hello");
	mint_buf_free(&out);
}

static void test_subst_unclosed_reference_is_error(void **state)
{
	(void)state;
	assert_non_null(strstr(subst_fails("x ${{package.name"), "no closing"));
	assert_non_null(strstr(subst_fails("x ${{package.name}"), "no closing"));
}

static void test_subst_malformed_name_is_error(void **state)
{
	(void)state;
	assert_non_null(strstr(subst_fails("${{ }}"), "not a variable reference"));
	assert_non_null(strstr(subst_fails("${{a b}}"), "not a variable reference"));
	assert_non_null(strstr(subst_fails("${{a$b}}"), "not a variable reference"));
}

static void test_subst_appends_to_output(void **state)
{
	(void)state;
	struct mint_buf out = MINT_BUF_INIT;
	struct mint_err err;
	assert_int_equal(mint_buf_puts(&out, "pre:"), 0);
	assert_ok(mint_recipe_subst("${{package.name}}", &vars, false, &out, &err), &err);
	assert_string_equal(mint_buf_cstr(&out), "pre:hello");
	mint_buf_free(&out);
}

static void test_kvs_set_keeps_sorted_and_replaces(void **state)
{
	(void)state;
	struct mint_image_kvs kv = { 0 };
	assert_int_equal(mint_recipe_kvs_set(&kv, "b", "1"), 0);
	assert_int_equal(mint_recipe_kvs_set(&kv, "a", "2"), 0);
	assert_int_equal(mint_recipe_kvs_set(&kv, "c", "3"), 0);
	assert_int_equal(mint_recipe_kvs_set(&kv, "b", "4"), 0);
	assert_int_equal(kv.n, 3);
	assert_string_equal(kv.v[0].key, "a");
	assert_string_equal(kv.v[1].key, "b");
	assert_string_equal(kv.v[1].value, "4");
	assert_string_equal(kv.v[2].key, "c");
	mint_recipe_kvs_free(&kv);
	assert_null(kv.v);
	assert_int_equal(kv.n, 0);
}

static void test_subst_prefix_names_are_distinct(void **state)
{
	(void)state;
	struct mint_image_kvs kv = { 0 };
	struct mint_buf out = MINT_BUF_INIT;
	struct mint_err err;
	assert_int_equal(mint_recipe_kvs_set(&kv, "a.b", "1"), 0);
	assert_int_equal(mint_recipe_kvs_set(&kv, "a.bc", "2"), 0);
	assert_int_equal(mint_recipe_kvs_set(&kv, "a", "3"), 0);
	assert_ok(mint_recipe_subst("${{a}}${{a.b}}${{a.bc}}", &kv, false, &out, &err), &err);
	assert_string_equal(mint_buf_cstr(&out), "312");
	mint_buf_free(&out);
	mint_recipe_kvs_free(&kv);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_subst_replaces_with_and_without_spaces),
		cmocka_unit_test(test_subst_plain_text_and_empty_values),
		cmocka_unit_test(test_subst_values_are_not_scanned_again),
		cmocka_unit_test(test_subst_unknown_variable_is_named),
		cmocka_unit_test(test_subst_keep_unknown_leaves_reference),
		cmocka_unit_test(test_subst_unclosed_reference_is_error),
		cmocka_unit_test(test_subst_malformed_name_is_error),
		cmocka_unit_test(test_subst_appends_to_output),
		cmocka_unit_test(test_kvs_set_keeps_sorted_and_replaces),
		cmocka_unit_test(test_subst_prefix_names_are_distinct),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
