/* SPDX-License-Identifier: Apache-2.0 */
#include "testutil.h"

#include "mint/err.h"

static void test_err_format_with_file_and_offset(void **state)
{
	(void)state;
	struct mint_err err = { 0 };
	assert_int_equal(mint_err_set(&err, MINT_EFORMAT, "bad magic %s", "xy"), MINT_EFORMAT);
	mint_err_prefix(&err, "control member");
	mint_err_set_offset(&err, 512);
	mint_err_set_offset(&err, 0); /* the inner location stays */
	mint_err_set_file(&err, "p.apk");
	char line[256];
	mint_err_format(&err, line, sizeof(line));
	assert_string_equal(line, "p.apk: at offset 512: control member: bad magic xy");
}

static void test_err_format_with_line_and_column(void **state)
{
	(void)state;
	struct mint_err err = { 0 };
	mint_err_set(&err, MINT_EINVAL, "unknown field");
	mint_err_set_pos(&err, 3, 7);
	mint_err_set_file(&err, "image.yaml");
	char line[256];
	mint_err_format(&err, line, sizeof(line));
	assert_string_equal(line, "image.yaml:3:7: unknown field");
	assert_string_equal(mint_strerror(MINT_EINTEGRITY), "integrity error");
	assert_int_equal(mint_err_set(NULL, MINT_EIO, "ignored"), MINT_EIO);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_err_format_with_file_and_offset),
		cmocka_unit_test(test_err_format_with_line_and_column),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
