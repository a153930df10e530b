/* SPDX-License-Identifier: Apache-2.0 */
#include "testutil.h"

#include <stdlib.h>
#include <string.h>

#include "mint/buf.h"

static void test_buf_grows_and_stays_nul_terminated(void **state)
{
	(void)state;
	struct mint_buf b = MINT_BUF_INIT;
	assert_string_equal(mint_buf_cstr(&b), "");
	for (int i = 0; i < 1000; i++)
		assert_int_equal(mint_buf_printf(&b, "%d,", i % 10), 0);
	assert_int_equal(b.len, 2000);
	assert_int_equal(b.data[b.len], '\0');
	assert_memory_equal(b.data, "0,1,2,", 6);
	mint_buf_free(&b);
}

static void test_buf_grow_zero_fills_and_detach_hands_over(void **state)
{
	(void)state;
	struct mint_buf b = MINT_BUF_INIT;
	assert_int_equal(mint_buf_puts(&b, "ab"), 0);
	char *z = mint_buf_grow(&b, 3);
	assert_non_null(z);
	assert_memory_equal(b.data, "ab\0\0\0", 5);
	size_t len;
	char *p = mint_buf_detach(&b, &len);
	assert_int_equal(len, 5);
	assert_null(b.data);
	free(p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_buf_grows_and_stays_nul_terminated),
		cmocka_unit_test(test_buf_grow_zero_fills_and_detach_hands_over),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
