/* SPDX-License-Identifier: Apache-2.0 */
#include "testutil.h"

#include <stdlib.h>
#include <string.h>

#include "mint/path.h"

static int clean(const char *in, bool abs_ok, struct mint_buf *out)
{
	struct mint_err err = { 0 };
	return mint_path_clean(mint_span_str(in), abs_ok, out, &err);
}

static void test_path_clean_normalises_dots_and_slashes(void **state)
{
	(void)state;
	struct mint_buf out = MINT_BUF_INIT;
	assert_int_equal(clean("./usr//bin/./x/", false, &out), 0);
	assert_string_equal(mint_buf_cstr(&out), "usr/bin/x");
	assert_int_equal(clean(".", false, &out), 0);
	assert_string_equal(mint_buf_cstr(&out), "");
	assert_int_equal(clean("/etc/passwd", true, &out), 0);
	assert_string_equal(mint_buf_cstr(&out), "etc/passwd");
	mint_buf_free(&out);
}

/* The root into a buffer that never held anything is still a C string. */
static void test_path_clean_of_the_root_into_a_fresh_buffer_is_empty(void **state)
{
	(void)state;
	const char *roots[] = { "", ".", "./" };
	for (size_t i = 0; i < 3; i++) {
		struct mint_buf out = MINT_BUF_INIT;
		assert_int_equal(clean(roots[i], false, &out), 0);
		assert_int_equal(out.len, 0);
		assert_string_equal(mint_buf_cstr(&out), "");
		mint_buf_free(&out);
	}
}

static void test_path_clean_rejects_escapes(void **state)
{
	(void)state;
	struct mint_buf out = MINT_BUF_INIT;
	assert_int_equal(clean("../etc", false, &out), MINT_EUNSAFE);
	assert_int_equal(clean("a/../../b", false, &out), MINT_EUNSAFE);
	assert_int_equal(clean("a/..", false, &out), MINT_EUNSAFE);
	assert_int_equal(clean("/etc", false, &out), MINT_EUNSAFE);
	struct mint_err err = { 0 };
	assert_int_equal(mint_path_clean(MINT_SPAN("a\0b", 3), false, &out, &err), MINT_EUNSAFE);
	mint_buf_free(&out);
}

static void test_path_clean_limits_component_and_total_length(void **state)
{
	(void)state;
	struct mint_buf out = MINT_BUF_INIT;
	char name[300];
	memset(name, 'n', sizeof(name) - 1);
	name[sizeof(name) - 1] = '\0';
	assert_int_equal(clean(name, false, &out), MINT_ELIMIT);
	char *big = malloc(MINT_PATH_MAX + 10);
	for (int i = 0; i < MINT_PATH_MAX + 9; i++)
		big[i] = i % 2 ? '/' : 'a';
	big[MINT_PATH_MAX + 9] = '\0';
	assert_int_equal(clean(big, false, &out), MINT_ELIMIT);
	free(big);
	mint_buf_free(&out);
}

static void test_path_join_stays_under_root(void **state)
{
	(void)state;
	struct mint_buf out = MINT_BUF_INIT;
	struct mint_err err = { 0 };
	assert_int_equal(mint_path_join("/tmp/root/", MINT_SPAN_LIT("./a/b"), &out, &err), 0);
	assert_string_equal(mint_buf_cstr(&out), "/tmp/root/a/b");
	assert_int_equal(mint_path_join("/tmp/root", MINT_SPAN_LIT("a/../../x"), &out, &err),
			 MINT_EUNSAFE);
	mint_buf_free(&out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_path_clean_normalises_dots_and_slashes),
		cmocka_unit_test(test_path_clean_of_the_root_into_a_fresh_buffer_is_empty),
		cmocka_unit_test(test_path_clean_rejects_escapes),
		cmocka_unit_test(test_path_clean_limits_component_and_total_length),
		cmocka_unit_test(test_path_join_stays_under_root),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
