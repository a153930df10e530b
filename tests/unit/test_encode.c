/* SPDX-License-Identifier: Apache-2.0 */
#include "testutil.h"

#include <string.h>

#include "mint/encode.h"

static void test_hex_roundtrip_and_rejects_odd_or_bad_digits(void **state)
{
	(void)state;
	const unsigned char in[] = { 0x00, 0xab, 0xFF, 0x10 };
	char text[9];
	mint_hex_encode(in, 4, text);
	assert_string_equal(text, "00abff10");
	unsigned char out[4];
	size_t n;
	assert_int_equal(mint_hex_decode(MINT_SPAN_LIT("00ABff10"), out, 4, &n), 0);
	assert_int_equal(n, 4);
	assert_memory_equal(out, in, 4);
	assert_int_equal(mint_hex_decode(MINT_SPAN_LIT("abc"), out, 4, &n), MINT_EFORMAT);
	assert_int_equal(mint_hex_decode(MINT_SPAN_LIT("zz"), out, 4, &n), MINT_EFORMAT);
	assert_int_equal(mint_hex_decode(MINT_SPAN_LIT("0011223344"), out, 4, &n), MINT_EFORMAT);
}

static void test_base64_rfc4648_vectors(void **state)
{
	(void)state;
	const char *plain[] = { "", "f", "fo", "foo", "foob", "fooba", "foobar" };
	const char *coded[] = { "", "Zg==", "Zm8=", "Zm9v", "Zm9vYg==", "Zm9vYmE=", "Zm9vYmFy" };
	for (int i = 0; i < 7; i++) {
		char text[16];
		mint_base64_encode((const unsigned char *)plain[i], strlen(plain[i]), text);
		assert_string_equal(text, coded[i]);
		unsigned char out[8];
		size_t n = 99;
		assert_int_equal(mint_base64_decode(mint_span_str(coded[i]), out, sizeof(out), &n), 0);
		assert_int_equal(n, strlen(plain[i]));
		assert_memory_equal(out, plain[i], n);
	}
}

static void test_base64_rejects_bad_length_chars_and_inner_padding(void **state)
{
	(void)state;
	unsigned char out[16];
	size_t n;
	assert_int_equal(mint_base64_decode(MINT_SPAN_LIT("Zm9"), out, 16, &n), MINT_EFORMAT);
	assert_int_equal(mint_base64_decode(MINT_SPAN_LIT("Zm 9"), out, 16, &n), MINT_EFORMAT);
	assert_int_equal(mint_base64_decode(MINT_SPAN_LIT("Z=9v"), out, 16, &n), MINT_EFORMAT);
	assert_int_equal(mint_base64_decode(MINT_SPAN_LIT("Zm9vYmFy"), out, 5, &n), MINT_EFORMAT);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hex_roundtrip_and_rejects_odd_or_bad_digits),
		cmocka_unit_test(test_base64_rfc4648_vectors),
		cmocka_unit_test(test_base64_rejects_bad_length_chars_and_inner_padding),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
