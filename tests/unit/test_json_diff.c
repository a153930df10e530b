/* SPDX-License-Identifier: Apache-2.0 */
#include "testutil.h"

#include <stdlib.h>
#include <string.h>

#include "lib/audit/audit_internal.h"

/* Every emitted difference as "path: old -> new" lines. */
struct seen {
	struct mint_buf text;
	int fail_at; /* return an error from this call (1-based); 0: never */
	int calls;
};

static int collect(void *ctx, const char *path, const json_t *a, const json_t *b,
		   struct mint_err *err)
{
	struct seen *s = ctx;
	if (++s->calls == s->fail_at)
		return mint_err_set(err, MINT_EINVAL, "stop");
	char *ta = a ? audit_json_text(a) : NULL, *tb = b ? audit_json_text(b) : NULL;
	mint_buf_printf(&s->text, "%s: %s -> %s\n", path, ta ? ta : "-", tb ? tb : "-");
	free(ta);
	free(tb);
	return 0;
}

static const char *diff_text(struct seen *s, const char *ja, const char *jb)
{
	json_t *a = json_loads(ja, 0, NULL), *b = json_loads(jb, 0, NULL);
	assert_non_null(a);
	assert_non_null(b);
	struct mint_err err = { 0 };
	assert_ok(audit_json_diff(a, b, collect, s, &err), &err);
	json_decref(a);
	json_decref(b);
	return mint_buf_cstr(&s->text);
}

static void test_json_diff_equal_documents_emit_nothing(void **state)
{
	(void)state;
	struct seen s = { 0 };
	assert_string_equal(diff_text(&s, "{\"a\":[1,{\"b\":2}],\"c\":null}",
				      "{\"c\":null,\"a\":[1,{\"b\":2}]}"), "");
	assert_int_equal(s.calls, 0);
	mint_buf_free(&s.text);
}

static void test_json_diff_nested_fields_are_dotted_and_sorted(void **state)
{
	(void)state;
	struct seen s = { 0 };
	assert_string_equal(diff_text(&s, "{\"z\":1,\"config\":{\"User\":\"a\",\"Cmd\":[\"x\"]}}",
				      "{\"z\":2,\"config\":{\"User\":\"b\",\"Cmd\":[\"y\"]}}"),
			    "config.Cmd[0]: \"x\" -> \"y\"\n"
			    "config.User: \"a\" -> \"b\"\n"
			    "z: 1 -> 2\n");
	mint_buf_free(&s.text);
}

static void test_json_diff_keys_that_are_not_words_are_quoted(void **state)
{
	(void)state;
	struct seen s = { 0 };
	assert_string_equal(diff_text(&s, "{\"l\":{\"org.a\":\"1\",\"q\\\"\":1}}",
				      "{\"l\":{\"org.a\":\"2\",\"q\\\"\":2}}"),
			    "l[\"org.a\"]: \"1\" -> \"2\"\n"
			    "l[\"q\\\"\"]: 1 -> 2\n");
	mint_buf_free(&s.text);
}

static void test_json_diff_absent_keys_are_null_on_their_side(void **state)
{
	(void)state;
	struct seen s = { 0 };
	assert_string_equal(diff_text(&s, "{\"a\":1,\"b\":{\"x\":1}}",
				      "{\"b\":{\"x\":1},\"c\":[]}"),
			    "a: 1 -> -\n"
			    "c: - -> []\n");
	mint_buf_free(&s.text);
}

static void test_json_diff_array_of_other_length_is_reported_whole(void **state)
{
	(void)state;
	struct seen s = { 0 };
	assert_string_equal(diff_text(&s, "{\"Env\":[\"A=1\",\"B=2\"]}",
				      "{\"Env\":[\"A=1\",\"A2=0\",\"B=2\"]}"),
			    "Env: [\"A=1\",\"B=2\"] -> [\"A=1\",\"A2=0\",\"B=2\"]\n");
	mint_buf_free(&s.text);
}

static void test_json_diff_type_change_is_reported_whole(void **state)
{
	(void)state;
	struct seen s = { 0 };
	assert_string_equal(diff_text(&s, "{\"a\":{\"b\":1}}", "{\"a\":[1]}"),
			    "a: {\"b\":1} -> [1]\n");
	mint_buf_free(&s.text);
	memset(&s, 0, sizeof(s));
	assert_string_equal(diff_text(&s, "[1]", "{}"), ": [1] -> {}\n");
	mint_buf_free(&s.text);
}

static void test_json_diff_deep_nesting_stops_descending(void **state)
{
	(void)state;
	struct mint_buf a = MINT_BUF_INIT, b = MINT_BUF_INIT;
	for (int i = 0; i < 100; i++) {
		mint_buf_puts(&a, "[");
		mint_buf_puts(&b, "[");
	}
	mint_buf_puts(&a, "1");
	mint_buf_puts(&b, "2");
	for (int i = 0; i < 100; i++) {
		mint_buf_puts(&a, "]");
		mint_buf_puts(&b, "]");
	}
	struct seen s = { 0 };
	const char *text = diff_text(&s, a.data, b.data);
	assert_int_equal(s.calls, 1);
	assert_true(!strncmp(text, "[0][0]", 6));
	assert_int_equal(strlen(strchr(text, ':')) > 100, true);
	mint_buf_free(&s.text);
	mint_buf_free(&a);
	mint_buf_free(&b);
}

static void test_json_diff_emit_error_stops_the_walk(void **state)
{
	(void)state;
	json_t *a = json_loads("{\"a\":1,\"b\":1,\"c\":1}", 0, NULL);
	json_t *b = json_loads("{\"a\":2,\"b\":2,\"c\":2}", 0, NULL);
	struct seen s = { .fail_at = 2 };
	struct mint_err err = { 0 };
	assert_int_equal(audit_json_diff(a, b, collect, &s, &err), MINT_EINVAL);
	assert_int_equal(s.calls, 2);
	json_decref(a);
	json_decref(b);
	mint_buf_free(&s.text);
}

static void test_json_diff_text_is_compact_with_sorted_keys(void **state)
{
	(void)state;
	json_t *v = json_loads("{ \"b\" : [1, 2], \"a\" : \"<&>\" }", 0, NULL);
	char *text = audit_json_text(v);
	assert_string_equal(text, "{\"a\":\"<&>\",\"b\":[1,2]}");
	free(text);
	json_decref(v);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_json_diff_equal_documents_emit_nothing),
		cmocka_unit_test(test_json_diff_nested_fields_are_dotted_and_sorted),
		cmocka_unit_test(test_json_diff_keys_that_are_not_words_are_quoted),
		cmocka_unit_test(test_json_diff_absent_keys_are_null_on_their_side),
		cmocka_unit_test(test_json_diff_array_of_other_length_is_reported_whole),
		cmocka_unit_test(test_json_diff_type_change_is_reported_whole),
		cmocka_unit_test(test_json_diff_deep_nesting_stops_descending),
		cmocka_unit_test(test_json_diff_emit_error_stops_the_walk),
		cmocka_unit_test(test_json_diff_text_is_compact_with_sorted_keys),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
