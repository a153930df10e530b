/* SPDX-License-Identifier: Apache-2.0 */
#include "testutil.h"

#include "mint/apk_dep.h"
#include "mint/apk_version.h"

#define S(x) mint_span_str(x)

static int cmp(const char *a, const char *b)
{
	return mint_apk_version_compare(S(a), S(b));
}

static int fuzzy(const char *a, const char *b)
{
	return mint_apk_version_compare_fuzzy(S(a), S(b));
}

static void assert_less(const char *a, const char *b)
{
	if (cmp(a, b) != MINT_APK_VERSION_LESS || cmp(b, a) != MINT_APK_VERSION_GREATER)
		fail_msg("want %s < %s (got %d, reverse %d)", a, b, cmp(a, b), cmp(b, a));
}

static void test_version_result_bits_match_dep_ops(void **state)
{
	(void)state;
	assert_int_equal(MINT_APK_VERSION_EQUAL, 1);
	assert_int_equal(MINT_APK_VERSION_LESS, 2);
	assert_int_equal(MINT_APK_VERSION_GREATER, 4);
	assert_int_equal(MINT_APK_DEP_LESS, MINT_APK_VERSION_LESS);
}

static void test_version_valid_accepts_full_grammar(void **state)
{
	(void)state;
	const char *ok[] = { "0", "1.2.3", "1.2a", "1.0_alpha", "1.0_beta2", "1.0_pre3_rc1",
			     "1.0_p1_pre2", "1.0_git20240101", "1.0~1234abcd", "1.0-r0",
			     "2.1.3b_rc1_p2~deadbeef-r12", "01.02" };
	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++)
		if (!mint_apk_version_valid(S(ok[i])))
			fail_msg("'%s' should be valid", ok[i]);
}

static void test_version_valid_rejects_grammar_breaks(void **state)
{
	(void)state;
	const char *bad[] = { "", "a", ".1", "1.", "1..2", "1.0bc", "1.0a1", "1.0a.1",
			      "1.0_pre1a", "1.0_foo", "1.0_", "1.0__alpha", "1.0~",
			      "1.0~12x4", "1.0~ABCD", "1.0~ab_pre1", "1.0-r", "1.0-1",
			      "1.0-r1_p1", "1.0-r1-r2", "1.0-r1.1", "1.0-r1~ab", "1.0 ",
			      "1.0A", "-r1", "_pre1" };
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (mint_apk_version_valid(S(bad[i])))
			fail_msg("'%s' should be invalid", bad[i]);
	assert_false(mint_apk_version_valid(MINT_SPAN_NULL));
	assert_false(mint_apk_version_valid(MINT_SPAN("1.0\0", 4)));
}

static void test_version_cmp_numbers_numerically(void **state)
{
	(void)state;
	assert_less("1.2", "1.10");
	assert_less("9", "10");
	assert_less("1.0", "1.0.1");
	assert_int_equal(cmp("1.2.3", "1.2.3"), MINT_APK_VERSION_EQUAL);
	/* the first group is numeric even with leading zeros */
	assert_int_equal(cmp("01.0", "1.0"), MINT_APK_VERSION_EQUAL);
}

static void test_version_cmp_leading_zero_group_as_text(void **state)
{
	(void)state;
	assert_less("8.2.0015", "8.2.002");
	assert_less("1.001", "1.01");
	assert_less("1.0", "1.00");
}

static void test_version_cmp_huge_numbers_without_overflow(void **state)
{
	(void)state;
	assert_less("1.18446744073709551615", "1.18446744073709551616");
	assert_less("1.99999999999999999999999", "1.100000000000000000000000");
	assert_less("1_p99999999999999999999", "1_p100000000000000000000");
}

static void test_version_cmp_letter_after_number(void **state)
{
	(void)state;
	assert_less("1.0", "1.0a");
	assert_less("1.0a", "1.0b");
	assert_less("1.0z", "1.0.1");
}

static void test_version_cmp_suffix_rc_before_release(void **state)
{
	(void)state;
	assert_less("1.0_rc1", "1.0");
	assert_less("1.0_alpha", "1.0_beta");
	assert_less("1.0_beta", "1.0_pre");
	assert_less("1.0_pre", "1.0_rc");
	assert_less("1.0_rc9", "1.0");
}

static void test_version_cmp_post_suffix_after_release(void **state)
{
	(void)state;
	assert_less("1.0", "1.0_cvs");
	assert_less("1.0_cvs", "1.0_svn");
	assert_less("1.0_svn", "1.0_git");
	assert_less("1.0_git", "1.0_hg");
	assert_less("1.0_hg", "1.0_p");
	assert_less("1.0_p9", "1.0_p10");
}

static void test_version_cmp_revision_and_hash(void **state)
{
	(void)state;
	assert_less("1.0", "1.0-r1");
	assert_less("1.0-r9", "1.0-r10");
	assert_less("1.0~1234", "1.0~2345");
	assert_less("1.0~1234-r0", "1.0~1234-r1");
	/* whoever goes on with an earlier kind of token is greater */
	assert_less("1.0", "1.0~ab");
	assert_less("1.0-r0", "1.0~ab");
}

static void test_version_cmp_invalid_tail_ranks_below_end(void **state)
{
	(void)state;
	assert_less("1.0_foo", "1.0");
	assert_less("1.0-x", "1.0");
	/* the letter still counts before the invalid tail */
	assert_less("1.0", "1.0bc");
	assert_int_equal(cmp("1.0X", "1.0Y"), MINT_APK_VERSION_EQUAL);
	assert_int_equal(cmp("", ""), MINT_APK_VERSION_EQUAL);
	assert_int_equal(cmp("23_foo", "4_beta"), MINT_APK_VERSION_GREATER);
}

static void test_version_fuzzy_b_ending_first_is_equal(void **state)
{
	(void)state;
	assert_int_equal(fuzzy("3.6.9", "3.6"), MINT_APK_VERSION_EQUAL);
	assert_int_equal(fuzzy("3.6_pre1", "3.6"), MINT_APK_VERSION_EQUAL);
	assert_int_equal(fuzzy("3.6", "3.6.0"), MINT_APK_VERSION_LESS);
	assert_int_equal(fuzzy("3.7", "3.6"), MINT_APK_VERSION_GREATER);
	assert_int_equal(cmp("3.6.9", "3.6"), MINT_APK_VERSION_GREATER);
}

static void test_version_match_applies_op_mask(void **state)
{
	(void)state;
	unsigned le = MINT_APK_DEP_LESS | MINT_APK_DEP_EQUAL;
	unsigned fz = MINT_APK_DEP_FUZZY | MINT_APK_DEP_EQUAL;
	assert_true(mint_apk_version_match(S("1.0"), le, S("1.0")));
	assert_true(mint_apk_version_match(S("0.9"), le, S("1.0")));
	assert_false(mint_apk_version_match(S("1.1"), le, S("1.0")));
	assert_true(mint_apk_version_match(S("1.6.9_p1"), fz, S("1.6")));
	assert_false(mint_apk_version_match(S("1.7"), fz, S("1.6")));
	assert_true(mint_apk_version_match(S("1.7"), fz | MINT_APK_DEP_GREATER, S("1.6")));
	assert_true(mint_apk_version_match(S("x"), MINT_APK_DEP_ANY, S("y")));
}

static void test_version_match_conflict_inverts(void **state)
{
	(void)state;
	unsigned c = MINT_APK_DEP_CONFLICT;
	assert_false(mint_apk_version_match(S("1.0"), c | MINT_APK_DEP_EQUAL, S("1.0")));
	assert_true(mint_apk_version_match(S("1.1"), c | MINT_APK_DEP_EQUAL, S("1.0")));
	assert_false(mint_apk_version_match(S("1.1"), c | MINT_APK_DEP_ANY, S("1.0")));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_version_result_bits_match_dep_ops),
		cmocka_unit_test(test_version_valid_accepts_full_grammar),
		cmocka_unit_test(test_version_valid_rejects_grammar_breaks),
		cmocka_unit_test(test_version_cmp_numbers_numerically),
		cmocka_unit_test(test_version_cmp_leading_zero_group_as_text),
		cmocka_unit_test(test_version_cmp_huge_numbers_without_overflow),
		cmocka_unit_test(test_version_cmp_letter_after_number),
		cmocka_unit_test(test_version_cmp_suffix_rc_before_release),
		cmocka_unit_test(test_version_cmp_post_suffix_after_release),
		cmocka_unit_test(test_version_cmp_revision_and_hash),
		cmocka_unit_test(test_version_cmp_invalid_tail_ranks_below_end),
		cmocka_unit_test(test_version_fuzzy_b_ending_first_is_equal),
		cmocka_unit_test(test_version_match_applies_op_mask),
		cmocka_unit_test(test_version_match_conflict_inverts),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
