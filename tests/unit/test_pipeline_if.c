/* SPDX-License-Identifier: Apache-2.0 */
/* lib/recipe/pipeline_if.c: melange's `if:` conditions. */
#include "testutil.h"

#include <string.h>

#include "mint/pipeline.h"

static bool eval(const char *expr)
{
	struct mint_err err;
	bool v = false;
	mint_err_clear(&err);
	assert_ok(mint_pipeline_eval_if(expr, &v, &err), &err);
	return v;
}

static const char *eval_fails(const char *expr)
{
	static char msg[1024];
	struct mint_err err;
	bool v = false;
	mint_err_clear(&err);
	assert_int_equal(mint_pipeline_eval_if(expr, &v, &err), MINT_EFORMAT);
	mint_err_format(&err, msg, sizeof(msg));
	return msg;
}

static void test_if_compares_quoted_and_bare_words(void **state)
{
	(void)state;
	assert_true(eval("'x86_64' == 'x86_64'"));
	assert_false(eval("\"x86_64\" == 'aarch64'"));
	assert_true(eval("x86_64 != aarch64"));
	assert_true(eval("/home/build/melange-out/a != /home/build/melange-out/a-dev"));
	assert_false(eval("/home/build/melange-out/a != /home/build/melange-out/a"));
	assert_true(eval("'' == ''"));
	assert_true(eval("'a b'=='a b'"));
}

static void test_if_boolean_operators_and_precedence(void **state)
{
	(void)state;
	assert_true(eval("a == a || a == b && b == c"));
	assert_false(eval("(a == a || a == b) && b == c"));
	assert_true(eval("!(a == b)"));
	assert_false(eval("!a == a"));
	assert_true(eval("!!true"));
	assert_false(eval("false"));
	assert_true(eval("  true  "));
}

static void test_if_rejects_malformed_text(void **state)
{
	(void)state;
	assert_non_null(strstr(eval_fails(""), "expected a value"));
	assert_non_null(strstr(eval_fails("a"), "expected '==' or '!='"));
	assert_non_null(strstr(eval_fails(" == 'x'"), "expected a value"));
	assert_non_null(strstr(eval_fails("'a == a"), "unterminated"));
	assert_non_null(strstr(eval_fails("(a == a"), "expected ')'"));
	assert_non_null(strstr(eval_fails("a == a)"), "unexpected text"));
	assert_non_null(strstr(eval_fails("a == a &&"), "expected a value"));
	assert_non_null(strstr(eval_fails("a = a"), "expected '==' or '!='"));
	assert_non_null(strstr(eval_fails("a == b == c"), "unexpected text"));
}

static void test_if_deep_nesting_is_refused(void **state)
{
	(void)state;
	char deep[400];
	memset(deep, '(', 300);
	strcpy(deep + 300, "true");
	assert_non_null(strstr(eval_fails(deep), "nested too deeply"));
	memset(deep, '!', 300);
	strcpy(deep + 300, "true");
	assert_non_null(strstr(eval_fails(deep), "nested too deeply"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_if_compares_quoted_and_bare_words),
		cmocka_unit_test(test_if_boolean_operators_and_precedence),
		cmocka_unit_test(test_if_rejects_malformed_text),
		cmocka_unit_test(test_if_deep_nesting_is_refused),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
