/* SPDX-License-Identifier: Apache-2.0 */
#include "testutil.h"

#include <stdlib.h>
#include <string.h>

#include "mint/apk_triggers.h"

static void parse_ok(struct mint_span text, struct mint_apk_triggers *t)
{
	struct mint_err err = { 0 };
	assert_ok(mint_apk_triggers_parse(text, t, &err), &err);
}

static void expect_error(struct mint_span text, unsigned line, unsigned column)
{
	struct mint_apk_triggers t;
	struct mint_err err = { 0 };
	assert_int_equal(mint_apk_triggers_parse(text, &t, &err), MINT_EFORMAT);
	assert_int_equal(err.line, line);
	assert_int_equal(err.column, column);
	assert_int_equal(t.n, 0);
}

static void test_triggers_parse_and_write_round_trip_apk_tools_lines(void **state)
{
	(void)state;
	const char text[] = "Q1Meo+LHGPSi3uY9gIouEVb9z8Fbo= /bin /usr/bin /lib/modules/*\n"
			    "X1deadbeef /usr/share/fonts/*\n"
			    "Q2abc\n";
	struct mint_apk_triggers t;
	struct mint_buf out = MINT_BUF_INIT;
	parse_ok(MINT_SPAN_LIT(text), &t);
	assert_int_equal(t.n, 3);
	assert_string_equal(t.items[0].identity, "Q1Meo+LHGPSi3uY9gIouEVb9z8Fbo=");
	assert_int_equal(t.items[0].globs.n, 3);
	assert_string_equal(t.items[0].globs.items[2], "/lib/modules/*");
	assert_int_equal(t.items[2].globs.n, 0);
	assert_int_equal(mint_apk_triggers_write(&t, &out), 0);
	assert_string_equal(mint_buf_cstr(&out), text);
	mint_apk_triggers_free(&t);
	mint_buf_free(&out);
}

static void test_triggers_parse_skips_blank_lines_and_extra_spaces(void **state)
{
	(void)state;
	struct mint_apk_triggers t;
	struct mint_buf out = MINT_BUF_INIT;
	parse_ok(MINT_SPAN_LIT("\nQ1a  /x   /y \n\n"), &t);
	assert_int_equal(t.n, 1);
	assert_int_equal(t.items[0].globs.n, 2);
	assert_int_equal(mint_apk_triggers_write(&t, &out), 0);
	assert_string_equal(mint_buf_cstr(&out), "Q1a /x /y\n");
	mint_apk_triggers_free(&t);
	mint_buf_free(&out);
	parse_ok(MINT_SPAN_LIT(""), &t);
	assert_int_equal(t.n, 0);
}

static void test_triggers_parse_bad_identity_or_nul_reports_position(void **state)
{
	(void)state;
	expect_error(MINT_SPAN_LIT("Q1a /x\n /y\n"), 2, 1);
	expect_error(MINT_SPAN_LIT("Q1a /x\nZ1abc /y\n"), 2, 1);
	expect_error(MINT_SPAN_LIT("Q1 /y\n"), 1, 1);
	expect_error(MINT_SPAN("Q1a /x\0y\n", 9), 1, 7);
}

static void test_triggers_write_rejects_glob_with_space_leaving_buffer_unchanged(void **state)
{
	(void)state;
	struct mint_apk_triggers t;
	struct mint_buf out = MINT_BUF_INIT;
	parse_ok(MINT_SPAN_LIT("Q1a /x\n"), &t);
	mint_buf_puts(&out, "keep");
	mint_strlist_add(&t.items[0].globs, "a b", 3);
	assert_int_equal(mint_apk_triggers_write(&t, &out), MINT_EINVAL);
	assert_string_equal(mint_buf_cstr(&out), "keep");
	mint_apk_triggers_free(&t);
	mint_buf_free(&out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_triggers_parse_and_write_round_trip_apk_tools_lines),
		cmocka_unit_test(test_triggers_parse_skips_blank_lines_and_extra_spaces),
		cmocka_unit_test(test_triggers_parse_bad_identity_or_nul_reports_position),
		cmocka_unit_test(test_triggers_write_rejects_glob_with_space_leaving_buffer_unchanged),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
