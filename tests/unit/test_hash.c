/* SPDX-License-Identifier: Apache-2.0 */
#include "testutil.h"

#include "mint/encode.h"
#include "mint/hash.h"

static void check(enum mint_hash_alg alg, const char *want_hex)
{
	unsigned char d[MINT_HASH_MAX_BYTES];
	char hex[2 * MINT_HASH_MAX_BYTES + 1];
	struct mint_hash h;
	assert_int_equal(mint_hash_init(&h, alg), 0);
	assert_int_equal(mint_hash_update(&h, "a", 1), 0);
	assert_int_equal(mint_hash_update(&h, "bc", 2), 0);
	assert_int_equal(mint_hash_final(&h, d), 0);
	mint_hex_encode(d, mint_hash_len(alg), hex);
	assert_string_equal(hex, want_hex);
	assert_int_equal(mint_hash_bytes(alg, "abc", 3, d), 0);
	mint_hex_encode(d, mint_hash_len(alg), hex);
	assert_string_equal(hex, want_hex);
}

static void test_hash_abc_vectors_streamed_and_oneshot(void **state)
{
	(void)state;
	check(MINT_HASH_SHA1, "a9993e364706816aba3e25717850c26c9cd0d89d");
	check(MINT_HASH_SHA256, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	check(MINT_HASH_SHA512,
	      "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a"
	      "2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hash_abc_vectors_streamed_and_oneshot),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
