/* SPDX-License-Identifier: Apache-2.0 */
#include "testutil.h"

#include <string.h>

#include "lib/sbom/writer.h"

static void test_json_out_lays_out_like_go_marshal_indent(void **state)
{
	(void)state;
	struct mint_buf out = MINT_BUF_INIT;
	struct sbom_json w;
	sbom_json_begin(&w, &out);
	sbom_json_object(&w);
	sbom_json_field(&w, "a", "x");
	sbom_json_field(&w, "skipped", NULL);
	sbom_json_key(&w, "list");
	sbom_json_array(&w);
	sbom_json_uint(&w, 1);
	sbom_json_object(&w);
	sbom_json_key(&w, "b");
	sbom_json_bool(&w, false);
	sbom_json_end_object(&w);
	sbom_json_end_array(&w);
	sbom_json_key(&w, "empty");
	sbom_json_array(&w);
	sbom_json_end_array(&w);
	sbom_json_key(&w, "none");
	sbom_json_object(&w);
	sbom_json_end_object(&w);
	sbom_json_end_object(&w);
	assert_int_equal(sbom_json_end(&w, NULL), 0);
	assert_string_equal(out.data, "{\n  \"a\": \"x\",\n  \"list\": [\n    1,\n    {\n"
			    "      \"b\": false\n    }\n  ],\n  \"empty\": [],\n  \"none\": {}\n}\n");
	mint_buf_free(&out);
}

static void test_json_out_escapes_html_characters_and_line_separators(void **state)
{
	(void)state;
	struct mint_buf out = MINT_BUF_INIT;
	struct sbom_json w;
	sbom_json_begin(&w, &out);
	sbom_json_string(&w, "<a href=\"x\">&</a>\\ \xe2\x80\xa8\xe2\x80\xa9 \xc3\xa9");
	assert_int_equal(sbom_json_end(&w, NULL), 0);
	assert_string_equal(out.data, "\"\\u003ca href=\\\"x\\\"\\u003e\\u0026\\u003c/a\\u003e\\\\ "
			    "\\u2028\\u2029 \xc3\xa9\"\n");
	mint_buf_free(&out);
}

static void test_json_out_escapes_control_characters_as_go_does(void **state)
{
	(void)state;
	struct mint_buf out = MINT_BUF_INIT;
	struct sbom_json w;
	sbom_json_begin(&w, &out);
	sbom_json_string(&w, "\n\r\t\b\f\x01\x1f\x7f");
	assert_int_equal(sbom_json_end(&w, NULL), 0);
	assert_string_equal(out.data, "\"\\n\\r\\t\\b\\f\\u0001\\u001f\x7f\"\n");
	mint_buf_free(&out);
}

static void test_json_out_replaces_invalid_utf8_with_replacement_character(void **state)
{
	(void)state;
	struct mint_buf out = MINT_BUF_INIT;
	struct sbom_json w;
	sbom_json_begin(&w, &out);
	/* a stray continuation byte, an overlong '/', a surrogate, a cut sequence */
	sbom_json_string(&w, "a\x80" "b\xc0\xaf" "c\xed\xa0\x80" "d\xe2\x82");
	assert_int_equal(sbom_json_end(&w, NULL), 0);
	assert_string_equal(out.data, "\"a\\ufffdb\\ufffd\\ufffdc\\ufffd\\ufffd\\ufffdd\\ufffd"
			    "\\ufffd\"\n");
	mint_buf_free(&out);
}

static void test_json_out_begin_replaces_what_the_buffer_held(void **state)
{
	(void)state;
	struct mint_buf out = MINT_BUF_INIT;
	struct sbom_json w;
	assert_int_equal(mint_buf_puts(&out, "old"), 0);
	sbom_json_begin(&w, &out);
	sbom_json_uint(&w, 18446744073709551615ull);
	assert_int_equal(sbom_json_end(&w, NULL), 0);
	assert_string_equal(out.data, "18446744073709551615\n");
	mint_buf_free(&out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_json_out_lays_out_like_go_marshal_indent),
		cmocka_unit_test(test_json_out_escapes_html_characters_and_line_separators),
		cmocka_unit_test(test_json_out_escapes_control_characters_as_go_does),
		cmocka_unit_test(test_json_out_replaces_invalid_utf8_with_replacement_character),
		cmocka_unit_test(test_json_out_begin_replaces_what_the_buffer_held),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
