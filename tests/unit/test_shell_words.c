/* SPDX-License-Identifier: Apache-2.0 */
/*
 * lib/image/shell_words.c: entrypoint.command and cmd split into words as
 * apko splits them with github.com/google/shlex.
 */
#include "testutil.h"

#include <stdlib.h>
#include <string.h>

#include "mint/image_build.h"

static void free_words(struct mint_image_strs *w)
{
	for (size_t i = 0; i < w->n; i++)
		free(w->v[i]);
	free(w->v);
}

/* Splits s and checks the words against want (NULL-terminated). */
static void assert_split(const char *s, const char *const *want)
{
	struct mint_image_strs w;
	struct mint_err err = { 0 };
	assert_ok(mint_shell_split(s, &w, &err), &err);
	size_t n = 0;
	while (want[n])
		n++;
	if (w.n != n)
		fail_msg("'%s': %zu words, want %zu", s, w.n, n);
	for (size_t i = 0; i < n; i++)
		assert_string_equal(w.v[i], want[i]);
	assert_null(w.v ? w.v[w.n] : NULL);
	free_words(&w);
}

/* Splitting s fails with MINT_EFORMAT at byte offset want_offset. */
static void assert_split_fails_at(const char *s, uint64_t want_offset, const char *needle)
{
	struct mint_image_strs w = { (char **)1, 99 };
	struct mint_err err = { 0 };
	assert_int_equal(mint_shell_split(s, &w, &err), MINT_EFORMAT);
	assert_int_equal(err.code, MINT_EFORMAT);
	assert_true(err.has_offset);
	assert_int_equal(err.offset, want_offset);
	if (!strstr(err.msg, needle))
		fail_msg("'%s': error '%s' does not say '%s'", s, err.msg, needle);
	assert_null(w.v);
	assert_int_equal(w.n, 0);
}

static void test_shell_split_blanks_separate_words(void **state)
{
	(void)state;
	assert_split("/bin/sh -l", (const char *[]){ "/bin/sh", "-l", NULL });
	assert_split("  a\tb\r\nc  ", (const char *[]){ "a", "b", "c", NULL });
}

static void test_shell_split_empty_string_gives_no_words(void **state)
{
	(void)state;
	struct mint_image_strs w;
	assert_int_equal(mint_shell_split("", &w, NULL), 0);
	assert_int_equal(w.n, 0);
	free_words(&w);
	assert_int_equal(mint_shell_split(" \t\n ", &w, NULL), 0);
	assert_int_equal(w.n, 0);
	free_words(&w);
}

static void test_shell_split_single_quotes_keep_everything_literally(void **state)
{
	(void)state;
	assert_split("echo 'a  b \\n \"c\" #d'",
		     (const char *[]){ "echo", "a  b \\n \"c\" #d", NULL });
}

static void test_shell_split_in_double_quotes_backslash_escapes_any_char(void **state)
{
	(void)state;
	/* shlex drops the backslash before any character inside double quotes,
	 * not only before $ ` " \ as a POSIX shell does */
	assert_split("sh -c \"echo \\\"hi\\\" \\n 'x'\"",
		     (const char *[]){ "sh", "-c", "echo \"hi\" n 'x'", NULL });
}

static void test_shell_split_backslash_outside_quotes_escapes_next_char(void **state)
{
	(void)state;
	assert_split("a\\ b c\\\\d \\'e", (const char *[]){ "a b", "c\\d", "'e", NULL });
}

static void test_shell_split_quotes_join_the_surrounding_word(void **state)
{
	(void)state;
	assert_split("pre'mid dle'\"post\"fix", (const char *[]){ "premid dlepostfix", NULL });
}

static void test_shell_split_empty_quotes_are_an_empty_word(void **state)
{
	(void)state;
	assert_split("a '' \"\" b", (const char *[]){ "a", "", "", "b", NULL });
}

static void test_shell_split_hash_at_word_start_comments_to_end_of_line(void **state)
{
	(void)state;
	assert_split("run # the rest 'is' \"ignored\"", (const char *[]){ "run", NULL });
	assert_split("#only a comment", (const char *[]){ NULL });
	assert_split("a #c1\nb #c2\n c", (const char *[]){ "a", "b", "c", NULL });
}

static void test_shell_split_hash_inside_a_word_stays(void **state)
{
	(void)state;
	assert_split("a#b 'q'#r c# \\#d", (const char *[]){ "a#b", "q#r", "c#", "#d", NULL });
}

static void test_shell_split_unterminated_single_quote_fails_at_the_quote(void **state)
{
	(void)state;
	assert_split_fails_at("echo 'abc", 5, "unterminated ' quote");
}

static void test_shell_split_unterminated_double_quote_fails_at_the_quote(void **state)
{
	(void)state;
	assert_split_fails_at("a b\"c d", 3, "unterminated \" quote");
	/* the closing quote escaped away */
	assert_split_fails_at("\"abc\\\"", 0, "unterminated \" quote");
}

static void test_shell_split_trailing_backslash_is_format_error_at_backslash(void **state)
{
	(void)state;
	assert_split_fails_at("run it\\", 6, "backslash");
}

static void test_shell_split_error_after_words_leaves_no_words(void **state)
{
	(void)state;
	/* words before the error are freed, not returned */
	assert_split_fails_at("one two three 'four", 14, "unterminated");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_shell_split_blanks_separate_words),
		cmocka_unit_test(test_shell_split_empty_string_gives_no_words),
		cmocka_unit_test(test_shell_split_single_quotes_keep_everything_literally),
		cmocka_unit_test(test_shell_split_in_double_quotes_backslash_escapes_any_char),
		cmocka_unit_test(test_shell_split_backslash_outside_quotes_escapes_next_char),
		cmocka_unit_test(test_shell_split_quotes_join_the_surrounding_word),
		cmocka_unit_test(test_shell_split_empty_quotes_are_an_empty_word),
		cmocka_unit_test(test_shell_split_hash_at_word_start_comments_to_end_of_line),
		cmocka_unit_test(test_shell_split_hash_inside_a_word_stays),
		cmocka_unit_test(test_shell_split_unterminated_single_quote_fails_at_the_quote),
		cmocka_unit_test(test_shell_split_unterminated_double_quote_fails_at_the_quote),
		cmocka_unit_test(test_shell_split_trailing_backslash_is_format_error_at_backslash),
		cmocka_unit_test(test_shell_split_error_after_words_leaves_no_words),
	};
	return tests_exit(cmocka_run_group_tests(tests, NULL, NULL));
}
