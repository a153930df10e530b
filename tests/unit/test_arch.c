/* SPDX-License-Identifier: Apache-2.0 */
/* lib/image/arch.c: apko's arch names in both spellings. */
#include "testutil.h"

#include <string.h>

#include "mint/image_config.h"

static void test_arch_parse_accepts_apk_and_oci_spellings(void **state)
{
	(void)state;
	static const struct {
		const char *name;
		enum mint_arch want;
	} cases[] = {
		{ "x86", MINT_ARCH_386 },          { "386", MINT_ARCH_386 },
		{ "x86_64", MINT_ARCH_AMD64 },     { "amd64", MINT_ARCH_AMD64 },
		{ "aarch64", MINT_ARCH_ARM64 },    { "arm64", MINT_ARCH_ARM64 },
		{ "armhf", MINT_ARCH_ARMV6 },      { "arm/v6", MINT_ARCH_ARMV6 },
		{ "armv7", MINT_ARCH_ARMV7 },      { "arm/v7", MINT_ARCH_ARMV7 },
		{ "loongarch64", MINT_ARCH_LOONG64 }, { "loong64", MINT_ARCH_LOONG64 },
		{ "ppc64le", MINT_ARCH_PPC64LE },  { "riscv64", MINT_ARCH_RISCV64 },
		{ "s390x", MINT_ARCH_S390X },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		enum mint_arch a;
		assert_true(mint_arch_parse(cases[i].name, &a));
		assert_int_equal(a, cases[i].want);
	}
}

static void test_arch_parse_refuses_unknown_and_cli_words(void **state)
{
	(void)state;
	enum mint_arch a;
	assert_false(mint_arch_parse("sparc", &a));
	assert_false(mint_arch_parse("all", &a));
	assert_false(mint_arch_parse("host", &a));
	assert_false(mint_arch_parse("AMD64", &a));
	assert_false(mint_arch_parse("", &a));
}

static void test_arch_names_round_trip(void **state)
{
	(void)state;
	assert_string_equal(mint_arch_to_oci(MINT_ARCH_ARMV6), "arm/v6");
	assert_string_equal(mint_arch_to_apk(MINT_ARCH_ARMV6), "armhf");
	assert_string_equal(mint_arch_to_apk(MINT_ARCH_386), "x86");
	assert_string_equal(mint_arch_to_apk(MINT_ARCH_LOONG64), "loongarch64");
	for (int i = 0; i < MINT_ARCH_COUNT; i++) {
		enum mint_arch a;
		assert_true(mint_arch_parse(mint_arch_to_apk((enum mint_arch)i), &a));
		assert_int_equal(a, i);
		assert_true(mint_arch_parse(mint_arch_to_oci((enum mint_arch)i), &a));
		assert_int_equal(a, i);
	}
}

static void test_arch_oci_platform_splits_arm_variants(void **state)
{
	(void)state;
	const char *arch, *variant;
	mint_arch_oci_platform(MINT_ARCH_ARMV7, &arch, &variant);
	assert_string_equal(arch, "arm");
	assert_string_equal(variant, "v7");
	mint_arch_oci_platform(MINT_ARCH_AMD64, &arch, &variant);
	assert_string_equal(arch, "amd64");
	assert_null(variant);
}

static void test_arch_compare_is_byte_order_of_oci_names(void **state)
{
	(void)state;
	/* "arm/v6" < "arm/v7" < "arm64": '/' sorts before '6'. */
	assert_true(mint_arch_compare(MINT_ARCH_ARMV6, MINT_ARCH_ARMV7) < 0);
	assert_true(mint_arch_compare(MINT_ARCH_ARMV7, MINT_ARCH_ARM64) < 0);
	assert_true(mint_arch_compare(MINT_ARCH_386, MINT_ARCH_AMD64) < 0);
	assert_int_equal(mint_arch_compare(MINT_ARCH_S390X, MINT_ARCH_S390X), 0);
}

static void test_arch_host_is_one_of_the_nine_here(void **state)
{
	(void)state;
	enum mint_arch a;
#if defined(__x86_64__)
	assert_true(mint_arch_host(&a));
	assert_int_equal(a, MINT_ARCH_AMD64);
#elif defined(__aarch64__)
	assert_true(mint_arch_host(&a));
	assert_int_equal(a, MINT_ARCH_ARM64);
#else
	if (mint_arch_host(&a))
		assert_true((unsigned)a < MINT_ARCH_COUNT);
#endif
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_arch_parse_accepts_apk_and_oci_spellings),
		cmocka_unit_test(test_arch_parse_refuses_unknown_and_cli_words),
		cmocka_unit_test(test_arch_names_round_trip),
		cmocka_unit_test(test_arch_oci_platform_splits_arm_variants),
		cmocka_unit_test(test_arch_compare_is_byte_order_of_oci_names),
		cmocka_unit_test(test_arch_host_is_one_of_the_nine_here),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
