/* SPDX-License-Identifier: Apache-2.0 */
#include "testutil.h"

#include <string.h>

#include "mint/gojson.h"

static void expect(const char *in, size_t n, const char *want)
{
	struct mint_buf out = MINT_BUF_INIT;
	assert_int_equal(mint_gojson_quote(&out, in, n), 0);
	assert_string_equal(mint_buf_cstr(&out), want);
	mint_buf_free(&out);
}

static void test_gojson_plain_text_is_kept(void **state)
{
	(void)state;
	expect("name=1.0-r0 /usr/bin", 20, "\"name=1.0-r0 /usr/bin\"");
	expect("", 0, "\"\"");
}

static void test_gojson_escapes_as_go_with_html_escaping(void **state)
{
	(void)state;
	expect("a\"b\\c\n\t\r\b\f", 10, "\"a\\\"b\\\\c\\n\\t\\r\\b\\f\"");
	expect("<a&b>", 5, "\"\\u003ca\\u0026b\\u003e\"");
	expect("\x01\x1f\x7f", 3, "\"\\u0001\\u001f\x7f\"");
}

static void test_gojson_utf8_kept_line_separators_escaped(void **state)
{
	(void)state;
	expect("caf\xc3\xa9", 5, "\"caf\xc3\xa9\"");
	expect("\xe2\x80\xa8\xe2\x80\xa9", 6, "\"\\u2028\\u2029\"");
	expect("\xf0\x9f\x90\xb3", 4, "\"\xf0\x9f\x90\xb3\"");
}

static void test_gojson_invalid_utf8_becomes_replacement_per_byte(void **state)
{
	(void)state;
	expect("\xc0\xaf", 2, "\"\\ufffd\\ufffd\"");             /* overlong */
	expect("\xed\xa0\x80", 3, "\"\\ufffd\\ufffd\\ufffd\"");   /* surrogate */
	expect("\xf4\x90\x80\x80", 4, "\"\\ufffd\\ufffd\\ufffd\\ufffd\""); /* > U+10FFFF */
	expect("a\xe2\x82", 3, "\"a\\ufffd\\ufffd\"");            /* truncated */
}

static void test_gojson_embedded_nul_is_escaped(void **state)
{
	(void)state;
	expect("a\0b", 3, "\"a\\u0000b\"");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_gojson_plain_text_is_kept),
		cmocka_unit_test(test_gojson_escapes_as_go_with_html_escaping),
		cmocka_unit_test(test_gojson_utf8_kept_line_separators_escaped),
		cmocka_unit_test(test_gojson_invalid_utf8_becomes_replacement_per_byte),
		cmocka_unit_test(test_gojson_embedded_nul_is_escaped),
	};
	return tests_exit(cmocka_run_group_tests(tests, NULL, NULL));
}
