/* SPDX-License-Identifier: Apache-2.0 */
#include "testutil.h"

#include <stdlib.h>
#include <string.h>

#include "mint/apk_index.h"

static void parse_ok(const char *text, struct mint_apk_index *idx)
{
	struct mint_err err = { 0 };
	assert_ok(mint_apk_index_parse_text(mint_span_str(text), idx, &err), &err);
}

static void expect_error(const char *text, int code, unsigned line, unsigned column)
{
	struct mint_apk_index idx;
	struct mint_err err = { 0 };
	assert_int_equal(mint_apk_index_parse_text(mint_span_str(text), &idx, &err), code);
	assert_int_equal(err.line, line);
	assert_int_equal(err.column, column);
	assert_int_equal(idx.n, 0);
	assert_null(idx.pkgs);
}

static void write_ok(const struct mint_apk_index *idx, struct mint_buf *out)
{
	assert_int_equal(mint_apk_index_write_text(idx, out), 0);
}

static void test_index_parse_reads_fields_lists_and_numbers(void **state)
{
	(void)state;
	struct mint_apk_index idx;
	parse_ok("C:Q1abc=\nP:a\nV:1.0-r0\nA:x86_64\nS:10\nI:20\nT:desc\nU:\nL:MIT\n"
		 "o:orig\nm:Me <me@x>\nt:1700\nc:deadbeef\nk:3\nD:b so:c\np:d=1\ni:e f=1\n\n", &idx);
	assert_int_equal(idx.n, 1);
	const struct mint_apk_pkg *p = &idx.pkgs[0];
	assert_string_equal(p->identity, "Q1abc=");
	assert_string_equal(p->name, "a");
	assert_string_equal(p->version, "1.0-r0");
	assert_int_equal(p->file_size, 10);
	assert_int_equal(p->installed_size, 20);
	assert_string_equal(p->url, "");
	assert_string_equal(p->maintainer, "Me <me@x>");
	assert_int_equal(p->build_time, 1700);
	assert_true(p->has_provider_priority);
	assert_int_equal(p->provider_priority, 3);
	assert_int_equal(p->depends.n, 2);
	assert_string_equal(p->depends.items[1], "so:c");
	assert_string_equal(p->install_if.items[1], "f=1");
	assert_false(p->uninstallable);
	assert_null(idx.description);
	mint_apk_index_free(&idx);
}

static void test_index_parse_repeated_list_fields_append(void **state)
{
	(void)state;
	struct mint_apk_index idx;
	parse_ok("P:a\nV:1\nD:b\nD:c  d\nT:one\nT:two\n", &idx);
	assert_int_equal(idx.pkgs[0].depends.n, 3);
	assert_string_equal(idx.pkgs[0].depends.items[2], "d");
	assert_string_equal(idx.pkgs[0].description, "two");
	mint_apk_index_free(&idx);
}

static void test_index_parse_unknown_uppercase_marks_package_uninstallable(void **state)
{
	(void)state;
	struct mint_apk_index idx;
	parse_ok("P:a\nV:1\nX:future\n\nP:b\nV:1\n", &idx);
	assert_int_equal(idx.n, 2);
	assert_true(idx.pkgs[0].uninstallable);
	assert_false(idx.pkgs[1].uninstallable);
	mint_apk_index_free(&idx);
}

static void test_index_parse_ignores_unknown_lowercase_and_installed_db_letters(void **state)
{
	(void)state;
	struct mint_apk_index idx;
	parse_ok("P:a\nV:1\nx:later\nr:b\nq:1\nF:etc\nM:0:0:700\nR:f\na:0:0:600\nZ:Q1x\n", &idx);
	assert_int_equal(idx.n, 1);
	assert_false(idx.pkgs[0].uninstallable);
	assert_int_equal(idx.pkgs[0].replaces.n, 0);
	mint_apk_index_free(&idx);
}

static void test_index_parse_allows_extra_blank_lines_and_unterminated_last_record(void **state)
{
	(void)state;
	struct mint_apk_index idx;
	parse_ok("\n\nP:a\nV:1\n\n\n\nP:b\nV:2", &idx);
	assert_int_equal(idx.n, 2);
	assert_string_equal(idx.pkgs[1].version, "2");
	mint_apk_index_free(&idx);
	parse_ok("", &idx);
	assert_int_equal(idx.n, 0);
	mint_apk_index_free(&idx);
}

static void test_index_parse_bad_number_reports_line_and_column(void **state)
{
	(void)state;
	expect_error("P:a\nV:1\n\nP:b\nV:1\nS:12a\n", MINT_EFORMAT, 6, 3);
	expect_error("P:a\nV:1\nt:\n", MINT_EFORMAT, 3, 3);
}

static void test_index_parse_line_without_field_reports_position(void **state)
{
	(void)state;
	expect_error("P:a\nV:1\nnot a field\n", MINT_EFORMAT, 3, 2);
	expect_error("P:a\nx\n", MINT_EFORMAT, 2, 2);
}

static void test_index_parse_record_without_name_or_version_reports_its_first_line(void **state)
{
	(void)state;
	expect_error("P:a\nV:1\n\nC:Q1x\nV:1\n\n", MINT_EFORMAT, 4, 1);
	expect_error("P:a\nV:1\n\nT:x\nP:b", MINT_EFORMAT, 4, 1);
	expect_error("P:a\nV:\n", MINT_EFORMAT, 1, 1);
}

static void test_index_parse_rejects_nul_byte_at_its_column(void **state)
{
	(void)state;
	struct mint_apk_index idx;
	struct mint_err err = { 0 };
	assert_int_equal(mint_apk_index_parse_text(MINT_SPAN("P:a\nV:1\0", 8), &idx, &err),
			 MINT_EFORMAT);
	assert_int_equal(err.line, 2);
	assert_int_equal(err.column, 4);
}

/* apko's "i:[a b]" is read as apk-tools reads it: the literal names "[a" and
 * "b]"; writing gives the same line back. */
static void test_index_apko_slice_syntax_is_kept_as_literal_tokens(void **state)
{
	(void)state;
	const char *text = "P:a\nV:1\nS:0\nI:0\nT:\nU:\nL:\ni:[x y]\n\n"
			   "P:b\nV:1\nS:0\nI:0\nT:\nU:\nL:\ni:[]\n\n";
	struct mint_apk_index idx;
	struct mint_buf out = MINT_BUF_INIT;
	parse_ok(text, &idx);
	assert_int_equal(idx.pkgs[0].install_if.n, 2);
	assert_string_equal(idx.pkgs[0].install_if.items[0], "[x");
	assert_string_equal(idx.pkgs[0].install_if.items[1], "y]");
	assert_string_equal(idx.pkgs[1].install_if.items[0], "[]");
	write_ok(&idx, &out);
	assert_string_equal(mint_buf_cstr(&out), text);
	mint_apk_index_free(&idx);
	mint_buf_free(&out);
}

static void test_index_write_handwritten_apk_tools_index_round_trips(void **state)
{
	(void)state;
	char *path = testdata_path("apk/APKINDEX.handwritten");
	struct mint_buf text = MINT_BUF_INIT, out = MINT_BUF_INIT;
	struct mint_apk_index idx;
	struct mint_err err = { 0 };
	read_file_or_fail(path, &text);
	assert_ok(mint_apk_index_parse_text(mint_buf_span(&text), &idx, &err), &err);
	assert_int_equal(idx.n, 4);
	assert_null(idx.pkgs[2].arch);
	assert_int_equal(idx.pkgs[2].provider_priority, 100);
	write_ok(&idx, &out);
	assert_int_equal(out.len, text.len);
	assert_memory_equal(out.data, text.data, text.len);
	mint_apk_index_free(&idx);
	mint_buf_free(&text);
	mint_buf_free(&out);
	free(path);
}

static void test_index_write_always_writes_sizes_and_T_U_L_in_apk_tools_order(void **state)
{
	(void)state;
	struct mint_apk_index idx;
	struct mint_buf out = MINT_BUF_INIT;
	parse_ok("i:z\nD:y\nk:0\nt:0\nV:1\nP:a\nm:M\n", &idx);
	write_ok(&idx, &out);
	assert_string_equal(mint_buf_cstr(&out),
			    "P:a\nV:1\nS:0\nI:0\nT:\nU:\nL:\nm:M\nt:0\nk:0\nD:y\ni:z\n\n");
	mint_apk_index_free(&idx);
	mint_buf_free(&out);
}

static void test_index_write_rejects_bad_fields_and_leaves_buffer_unchanged(void **state)
{
	(void)state;
	struct mint_apk_index idx;
	struct mint_buf out = MINT_BUF_INIT;
	parse_ok("P:a\nV:1\n\nP:b\nV:1\n", &idx);
	mint_buf_puts(&out, "keep");
	idx.pkgs[1].license = strdup("a\nb");
	assert_int_equal(mint_apk_index_write_text(&idx, &out), MINT_EINVAL);
	assert_string_equal(mint_buf_cstr(&out), "keep");
	free(idx.pkgs[1].license);
	idx.pkgs[1].license = NULL;
	/* parsed records are arena-owned and read-only: give this one a list of its own */
	idx.pkgs[1].provides = (struct mint_strlist){ 0 };
	mint_strlist_add(&idx.pkgs[1].provides, "", 0);
	assert_int_equal(mint_apk_index_write_text(&idx, &out), MINT_EINVAL);
	assert_string_equal(mint_buf_cstr(&out), "keep");
	mint_strlist_free(&idx.pkgs[1].provides);
	mint_apk_index_free(&idx);
	mint_buf_free(&out);
}

static void test_index_sort_orders_by_name_and_keeps_order_within_a_name(void **state)
{
	(void)state;
	struct mint_apk_index idx;
	parse_ok("P:c\nV:1\n\nP:a\nV:3\n\nP:b\nV:1\n\nP:a\nV:1\n\nP:a\nV:2\n\nP:B\nV:1\n", &idx);
	mint_apk_index_sort(&idx);
	const char *want[][2] = {
		{ "B", "1" }, { "a", "3" }, { "a", "1" }, { "a", "2" }, { "b", "1" }, { "c", "1" },
	};
	assert_int_equal(idx.n, 6);
	for (size_t i = 0; i < 6; i++) {
		assert_string_equal(idx.pkgs[i].name, want[i][0]);
		assert_string_equal(idx.pkgs[i].version, want[i][1]);
	}
	mint_apk_index_free(&idx);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_index_parse_reads_fields_lists_and_numbers),
		cmocka_unit_test(test_index_parse_repeated_list_fields_append),
		cmocka_unit_test(test_index_parse_unknown_uppercase_marks_package_uninstallable),
		cmocka_unit_test(test_index_parse_ignores_unknown_lowercase_and_installed_db_letters),
		cmocka_unit_test(test_index_parse_allows_extra_blank_lines_and_unterminated_last_record),
		cmocka_unit_test(test_index_parse_bad_number_reports_line_and_column),
		cmocka_unit_test(test_index_parse_line_without_field_reports_position),
		cmocka_unit_test(test_index_parse_record_without_name_or_version_reports_its_first_line),
		cmocka_unit_test(test_index_parse_rejects_nul_byte_at_its_column),
		cmocka_unit_test(test_index_apko_slice_syntax_is_kept_as_literal_tokens),
		cmocka_unit_test(test_index_write_handwritten_apk_tools_index_round_trips),
		cmocka_unit_test(test_index_write_always_writes_sizes_and_T_U_L_in_apk_tools_order),
		cmocka_unit_test(test_index_write_rejects_bad_fields_and_leaves_buffer_unchanged),
		cmocka_unit_test(test_index_sort_orders_by_name_and_keeps_order_within_a_name),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
