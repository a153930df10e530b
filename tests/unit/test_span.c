/* SPDX-License-Identifier: Apache-2.0 */
#include "testutil.h"

#include <stdlib.h>

#include "mint/span.h"

static void test_span_split_walks_fields_and_ends(void **state)
{
	(void)state;
	struct mint_span rest = MINT_SPAN_LIT("a:bc::d"), head;
	const char *want[] = { "a", "bc", "", "d" };
	int i = 0;
	while (mint_span_split(&rest, ':', &head)) {
		assert_true(i < 4);
		assert_true(mint_span_eq_str(head, want[i]));
		i++;
	}
	assert_int_equal(i, 4);
}

static void test_span_to_u64_rejects_sign_space_and_overflow(void **state)
{
	(void)state;
	uint64_t v;
	assert_true(mint_span_to_u64(MINT_SPAN_LIT("18446744073709551615"), &v));
	assert_true(v == UINT64_MAX);
	assert_false(mint_span_to_u64(MINT_SPAN_LIT("18446744073709551616"), &v));
	assert_false(mint_span_to_u64(MINT_SPAN_LIT("-1"), &v));
	assert_false(mint_span_to_u64(MINT_SPAN_LIT(" 1"), &v));
	assert_false(mint_span_to_u64(MINT_SPAN_LIT(""), &v));
}

static void test_span_octal_accepts_tar_padding(void **state)
{
	(void)state;
	uint64_t v;
	assert_true(mint_span_octal_to_u64(MINT_SPAN("0000644\0", 8), &v));
	assert_int_equal(v, 0644);
	assert_true(mint_span_octal_to_u64(MINT_SPAN("   17 \0", 7), &v));
	assert_int_equal(v, 017);
	assert_false(mint_span_octal_to_u64(MINT_SPAN("0008\0", 5), &v));
	assert_false(mint_span_octal_to_u64(MINT_SPAN("12 3", 4), &v));
}

static void test_span_trim_and_affixes(void **state)
{
	(void)state;
	struct mint_span s = mint_span_trim(MINT_SPAN_LIT(" \tkey = v\n"));
	assert_true(mint_span_eq_str(s, "key = v"));
	assert_true(mint_span_starts_with(s, "key"));
	assert_true(mint_span_ends_with(s, "= v"));
	assert_false(mint_span_ends_with(s, "xkey = v"));
	char *d = mint_span_dup(s);
	assert_string_equal(d, "key = v");
	free(d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_span_split_walks_fields_and_ends),
		cmocka_unit_test(test_span_to_u64_rejects_sign_space_and_overflow),
		cmocka_unit_test(test_span_octal_accepts_tar_padding),
		cmocka_unit_test(test_span_trim_and_affixes),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
