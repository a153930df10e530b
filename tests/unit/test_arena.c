/* SPDX-License-Identifier: Apache-2.0 */
#include "testutil.h"

#include <stdalign.h>
#include <stdint.h>
#include <string.h>

#include "mint/arena.h"

static void test_arena_allocations_are_aligned_and_disjoint(void **state)
{
	(void)state;
	struct mint_arena a = { 0 };
	char *s = mint_arena_strdup(&a, MINT_SPAN_LIT("abc"));
	uint64_t *n = mint_arena_alloc(&a, sizeof(*n) * 4);
	assert_non_null(s);
	assert_non_null(n);
	assert_int_equal((uintptr_t)n % alignof(max_align_t), 0);
	n[0] = UINT64_MAX;
	n[3] = 7;
	assert_string_equal(s, "abc");
	mint_arena_free(&a);
	assert_null(a.head);
}

static void test_arena_large_request_gets_its_own_block(void **state)
{
	(void)state;
	struct mint_arena a = { 0 };
	size_t big = 3u << 20;
	char *p = mint_arena_alloc(&a, big);
	assert_non_null(p);
	memset(p, 1, big);
	char *s = mint_arena_strdup(&a, MINT_SPAN_LIT("after"));
	assert_string_equal(s, "after");
	for (int i = 0; i < 100000; i++)
		assert_non_null(mint_arena_strdup(&a, MINT_SPAN_LIT("some text that fills blocks")));
	mint_arena_free(&a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_arena_allocations_are_aligned_and_disjoint),
		cmocka_unit_test(test_arena_large_request_gets_its_own_block),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
