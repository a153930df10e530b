/* SPDX-License-Identifier: Apache-2.0 */
/*
 * apk-tools' own version vectors (test/unit/version.data): every line must
 * hold for mint's version validation and comparison.
 *
 * Line forms: "a op b" (op one of < > = ~ <~ >~, or !op for "does not
 * hold"), "ver" (valid) and "!ver" (invalid); '#' starts a comment.
 */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>

#include "mint/apk_dep.h"
#include "mint/apk_version.h"
#include "mint/span.h"

#define MAX_FIELDS 4

struct tally {
	unsigned passed, failed;
};

static bool is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r';
}

/* Splits line on blanks into at most MAX_FIELDS fields; returns how many
 * there were (MAX_FIELDS + 1 means too many). */
static size_t split_fields(struct mint_span line, struct mint_span *f)
{
	size_t n = 0, i = 0;
	while (i < line.len) {
		while (i < line.len && is_blank(line.ptr[i]))
			i++;
		if (i == line.len)
			break;
		size_t start = i;
		while (i < line.len && !is_blank(line.ptr[i]))
			i++;
		if (n == MAX_FIELDS)
			return MAX_FIELDS + 1;
		f[n++] = MINT_SPAN(line.ptr + start, i - start);
	}
	return n;
}

static bool check_validity(struct mint_span v)
{
	if (v.len && v.ptr[0] == '!')
		return !mint_apk_version_valid(mint_span_skip(v, 1));
	return mint_apk_version_valid(v);
}

static bool check_comparison(const struct mint_span *f)
{
	struct mint_span op_text = f[1];
	bool negate = op_text.len && op_text.ptr[0] == '!';
	unsigned op;
	if (negate)
		op_text = mint_span_skip(op_text, 1);
	if (!mint_apk_dep_op_parse(op_text, &op))
		return false;
	return mint_apk_version_match(f[0], op, f[2]) != negate;
}

static void check_line(struct mint_span line, unsigned lineno, struct tally *t)
{
	struct mint_span f[MAX_FIELDS];
	long hash = mint_span_find(line, '#');
	if (hash >= 0)
		line.len = (size_t)hash;
	size_t n = split_fields(line, f);
	if (n == 0)
		return;
	bool ok = (n == 1 && check_validity(f[0])) || (n == 3 && check_comparison(f));
	if (ok) {
		t->passed++;
		return;
	}
	t->failed++;
	print_message("version.data:%u: does not hold: %.*s\n", lineno, (int)line.len, line.ptr);
}

static void test_conf_version_data_vectors_all_hold(void **state)
{
	(void)state;
	char *path = fixture_or_skip("apk-tools/test/unit/version.data");
	struct mint_buf data = MINT_BUF_INIT;
	struct tally t = { 0, 0 };
	read_file_or_fail(path, &data);
	struct mint_span rest = mint_buf_span(&data), line;
	unsigned lineno = 0;
	while (mint_span_split(&rest, '\n', &line))
		check_line(line, ++lineno, &t);
	printf("conformance: apk-tools version.data: %u passed, %u failed\n", t.passed, t.failed);
	fflush(stdout);
	mint_buf_free(&data);
	free(path);
	assert_true(t.passed > 0);
	assert_int_equal(t.failed, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_conf_version_data_vectors_all_hold),
	};
	return tests_exit(cmocka_run_group_tests(tests, NULL, NULL));
}
