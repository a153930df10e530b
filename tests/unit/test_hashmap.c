/* SPDX-License-Identifier: Apache-2.0 */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mint/hashmap.h"

#define MANY 20000

static char (*make_keys(size_t n))[16]
{
	char (*keys)[16] = calloc(n, sizeof(*keys));
	assert_non_null(keys);
	for (size_t i = 0; i < n; i++)
		snprintf(keys[i], sizeof(keys[i]), "key-%u", (unsigned)(i % 1000000));
	return keys;
}

static void test_hashmap_finds_what_was_put_and_not_other_keys(void **state)
{
	(void)state;
	struct mint_hashmap m = MINT_HASHMAP_INIT;
	void *v = NULL;
	assert_false(mint_hashmap_get(&m, MINT_SPAN_LIT("a"), &v));
	assert_int_equal(mint_hashmap_put(&m, MINT_SPAN_LIT("a"), (void *)1), 0);
	assert_int_equal(mint_hashmap_put(&m, MINT_SPAN_LIT("ab"), (void *)2), 0);
	assert_true(mint_hashmap_get(&m, MINT_SPAN_LIT("a"), &v));
	assert_ptr_equal(v, (void *)1);
	assert_true(mint_hashmap_get(&m, MINT_SPAN_LIT("ab"), &v));
	assert_ptr_equal(v, (void *)2);
	assert_false(mint_hashmap_get(&m, MINT_SPAN_LIT("b"), &v));
	assert_int_equal(m.n, 2);
	mint_hashmap_free(&m);
}

static void test_hashmap_put_replaces_value_of_existing_key(void **state)
{
	(void)state;
	struct mint_hashmap m = MINT_HASHMAP_INIT;
	void *v = NULL;
	assert_int_equal(mint_hashmap_put(&m, MINT_SPAN_LIT("k"), (void *)1), 0);
	assert_int_equal(mint_hashmap_put(&m, MINT_SPAN_LIT("k"), (void *)7), 0);
	assert_int_equal(m.n, 1);
	assert_true(mint_hashmap_get(&m, MINT_SPAN_LIT("k"), &v));
	assert_ptr_equal(v, (void *)7);
	mint_hashmap_free(&m);
}

static void test_hashmap_null_value_is_found(void **state)
{
	(void)state;
	struct mint_hashmap m = MINT_HASHMAP_INIT;
	void *v = (void *)1;
	assert_int_equal(mint_hashmap_put(&m, MINT_SPAN_LIT(""), NULL), 0);
	assert_true(mint_hashmap_get(&m, MINT_SPAN_LIT(""), &v));
	assert_null(v);
	mint_hashmap_free(&m);
}

static void test_hashmap_grows_and_keeps_every_entry(void **state)
{
	(void)state;
	char (*keys)[16] = make_keys(MANY);
	struct mint_hashmap m = MINT_HASHMAP_INIT;
	for (size_t i = 0; i < MANY; i++)
		assert_int_equal(mint_hashmap_put(&m, mint_span_str(keys[i]), &keys[i]), 0);
	assert_int_equal(m.n, MANY);
	assert_true(m.n * 4 <= m.cap * 3);
	for (size_t i = 0; i < MANY; i++) {
		void *v = NULL;
		assert_true(mint_hashmap_get(&m, mint_span_str(keys[i]), &v));
		assert_ptr_equal(v, &keys[i]);
	}
	mint_hashmap_free(&m);
	free(keys);
}

static void test_hashmap_remove_keeps_colliding_runs_reachable(void **state)
{
	(void)state;
	char (*keys)[16] = make_keys(MANY);
	struct mint_hashmap m = MINT_HASHMAP_INIT;
	for (size_t i = 0; i < MANY; i++)
		assert_int_equal(mint_hashmap_put(&m, mint_span_str(keys[i]), &keys[i]), 0);
	for (size_t i = 0; i < MANY; i += 3) {
		void *v = NULL;
		assert_true(mint_hashmap_remove(&m, mint_span_str(keys[i]), &v));
		assert_ptr_equal(v, &keys[i]);
	}
	assert_false(mint_hashmap_remove(&m, mint_span_str(keys[0]), NULL));
	for (size_t i = 0; i < MANY; i++) {
		void *v = NULL;
		bool found = mint_hashmap_get(&m, mint_span_str(keys[i]), &v);
		assert_int_equal(found, i % 3 != 0);
		if (found)
			assert_ptr_equal(v, &keys[i]);
	}
	mint_hashmap_free(&m);
	free(keys);
}

static void test_hashmap_next_visits_each_entry_once(void **state)
{
	(void)state;
	char (*keys)[16] = make_keys(100);
	struct mint_hashmap m = MINT_HASHMAP_INIT;
	unsigned seen[100] = { 0 };
	for (size_t i = 0; i < 100; i++)
		assert_int_equal(mint_hashmap_put(&m, mint_span_str(keys[i]), (void *)(i + 1)), 0);
	size_t pos = 0, count = 0;
	struct mint_span k;
	void *v;
	while (mint_hashmap_next(&m, &pos, &k, &v)) {
		size_t i = (size_t)v - 1;
		assert_true(mint_span_eq_str(k, keys[i]));
		seen[i]++;
		count++;
	}
	assert_int_equal(count, 100);
	for (size_t i = 0; i < 100; i++)
		assert_int_equal(seen[i], 1);
	mint_hashmap_free(&m);
	free(keys);
}

static void test_hashmap_put_rejects_null_key(void **state)
{
	(void)state;
	struct mint_hashmap m = MINT_HASHMAP_INIT;
	assert_int_equal(mint_hashmap_put(&m, MINT_SPAN_NULL, NULL), MINT_EINVAL);
	assert_int_equal(m.n, 0);
	mint_hashmap_free(&m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hashmap_finds_what_was_put_and_not_other_keys),
		cmocka_unit_test(test_hashmap_put_replaces_value_of_existing_key),
		cmocka_unit_test(test_hashmap_null_value_is_found),
		cmocka_unit_test(test_hashmap_grows_and_keeps_every_entry),
		cmocka_unit_test(test_hashmap_remove_keeps_colliding_runs_reachable),
		cmocka_unit_test(test_hashmap_next_visits_each_entry_once),
		cmocka_unit_test(test_hashmap_put_rejects_null_key),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
