/* SPDX-License-Identifier: Apache-2.0 */
#include "testutil.h"

#include <stdlib.h>
#include <string.h>

#include "mint/apk_installed.h"

/* Two records as apk-tools writes them: every kind of line once. */
static const char sample[] =
	"C:Q1Uq7pr0TahCvC7PPZn3GJKgdsMUY=\n"
	"P:base\n"
	"V:1.0-r0\n"
	"A:x86_64\n"
	"S:1260\n"
	"I:0\n"
	"T:Base\n"
	"U:https://example.org\n"
	"L:MIT\n"
	"o:base\n"
	"m:Me <me@example.org>\n"
	"t:1739487787\n"
	"c:899c70c801638ce9aea29a822aaa07a1488efa15\n"
	"D:a b\n"
	"g:tag1 tag2\n"
	"r:old-base other\n"
	"q:1000\n"
	"s:edge\n"
	"f:fsxS\n"
	"F:\n"
	"M:0:0:711\n"
	"F:etc\n"
	"R:motd\n"
	"Z:Q1SLkS9hBidUbPwwrw+XR0Whv3ww8=\n"
	"R:shadow\n"
	"a:0:42:640:Q1xattrxattrxattrxattrxattrxa=\n"
	"Z:Q1ltrPIAW2zHeDiajsex2Bdmq3uqA=\n"
	"F:tmp\n"
	"M:0:0:1777\n"
	"\n"
	"C:Q17OteNVXn9/iSXcJI1Vf8x0TVc9Y=\n"
	"P:nofiles\n"
	"V:2\n"
	"S:1\n"
	"I:1\n"
	"T:\n"
	"U:\n"
	"L:\n"
	"\n";

static void parse_ok(const char *text, struct mint_apk_installed_db *db)
{
	struct mint_err err = { 0 };
	assert_ok(mint_apk_installed_parse(mint_span_str(text), db, &err), &err);
}

static void expect_error(const char *text, int code, unsigned line, unsigned column)
{
	struct mint_apk_installed_db db;
	struct mint_err err = { 0 };
	assert_int_equal(mint_apk_installed_parse(mint_span_str(text), &db, &err), code);
	assert_int_equal(err.line, line);
	assert_int_equal(err.column, column);
	assert_int_equal(db.n, 0);
}

static void test_installed_parse_fills_header_installed_fields_and_file_list(void **state)
{
	(void)state;
	struct mint_apk_installed_db db;
	parse_ok(sample, &db);
	assert_int_equal(db.n, 2);
	const struct mint_apk_installed_pkg *p = &db.pkgs[0];
	assert_string_equal(p->pkg.name, "base");
	assert_int_equal(p->pkg.depends.n, 2);
	assert_int_equal(p->pkg.tags.n, 2);
	assert_string_equal(p->pkg.replaces.items[0], "old-base");
	assert_int_equal(p->pkg.replaces_priority, 1000);
	assert_string_equal(p->pkg.repo_tag, "edge");
	assert_int_equal(p->pkg.db_flags, MINT_APK_DBF_BROKEN_FILES | MINT_APK_DBF_BROKEN_SCRIPT |
			 MINT_APK_DBF_BROKEN_XATTR | MINT_APK_DBF_SHA256_160);
	assert_int_equal(p->n_dirs, 3);
	assert_string_equal(p->dirs[0].path, "");
	assert_true(p->dirs[0].has_acl);
	assert_int_equal(p->dirs[0].mode, 0711);
	assert_false(p->dirs[1].has_acl);
	assert_int_equal(p->dirs[1].n_files, 2);
	const struct mint_apk_installed_file *shadow = &p->dirs[1].files[1];
	assert_string_equal(shadow->name, "shadow");
	assert_true(shadow->has_acl);
	assert_int_equal(shadow->gid, 42);
	assert_int_equal(shadow->mode, 0640);
	assert_string_equal(shadow->xattr_digest, "Q1xattrxattrxattrxattrxattrxa=");
	assert_string_equal(shadow->digest, "Q1ltrPIAW2zHeDiajsex2Bdmq3uqA=");
	assert_false(p->dirs[1].files[0].has_acl);
	assert_null(p->dirs[1].files[0].xattr_digest);
	assert_int_equal(p->dirs[2].mode, 01777);
	assert_int_equal(db.pkgs[1].n_dirs, 0);
	mint_apk_installed_free(&db);
}

static void test_installed_write_round_trips_apk_tools_text_byte_for_byte(void **state)
{
	(void)state;
	struct mint_apk_installed_db db;
	struct mint_buf out = MINT_BUF_INIT;
	parse_ok(sample, &db);
	assert_int_equal(mint_apk_installed_write(&db, &out), 0);
	assert_string_equal(mint_buf_cstr(&out), sample);
	mint_apk_installed_free(&db);
	mint_buf_free(&out);
}

static void test_installed_leading_zero_mode_reads_octal_and_writes_plain(void **state)
{
	(void)state;
	struct mint_apk_installed_db db;
	struct mint_buf out = MINT_BUF_INIT;
	parse_ok("P:a\nV:1\nF:x\nR:l\na:0:0:0777\n", &db);
	assert_int_equal(db.pkgs[0].dirs[0].files[0].mode, 0777);
	assert_int_equal(mint_apk_installed_write(&db, &out), 0);
	assert_non_null(strstr(mint_buf_cstr(&out), "\nR:l\na:0:0:777\n"));
	mint_apk_installed_free(&db);
	mint_buf_free(&out);
}

static void test_installed_mode_line_after_file_still_belongs_to_directory(void **state)
{
	(void)state;
	struct mint_apk_installed_db db;
	struct mint_buf out = MINT_BUF_INIT;
	parse_ok("P:a\nV:1\nF:\nR:op\nM:0:0:711\na:0:0:777\nZ:Q1z\n", &db);
	assert_int_equal(db.pkgs[0].dirs[0].mode, 0711);
	assert_int_equal(db.pkgs[0].dirs[0].files[0].mode, 0777);
	assert_int_equal(mint_apk_installed_write(&db, &out), 0);
	assert_non_null(strstr(mint_buf_cstr(&out), "F:\nM:0:0:711\nR:op\na:0:0:777\nZ:Q1z\n\n"));
	mint_apk_installed_free(&db);
	mint_buf_free(&out);
}

static void test_installed_parse_unknown_field_is_error_even_lowercase(void **state)
{
	(void)state;
	expect_error("P:a\nV:1\nX:new\n", MINT_EUNSUPPORTED, 3, 1);
	expect_error("P:a\nV:1\nF:x\ny:new\n", MINT_EUNSUPPORTED, 4, 1);
	expect_error("P:a\nV:1\nf:sz\n", MINT_EUNSUPPORTED, 3, 4);
}

static void test_installed_parse_file_lines_out_of_place_report_position(void **state)
{
	(void)state;
	expect_error("P:a\nV:1\nM:0:0:755\n", MINT_EFORMAT, 3, 1);
	expect_error("P:a\nV:1\nR:f\n", MINT_EFORMAT, 3, 1);
	expect_error("P:a\nV:1\nF:d\na:0:0:644\n", MINT_EFORMAT, 4, 1);
	expect_error("P:a\nV:1\nF:d\nZ:Q1x\n", MINT_EFORMAT, 4, 1);
	expect_error("P:a\nV:1\nF:d\nR:f\nF:e\nZ:Q1x\n", MINT_EFORMAT, 6, 1);
	expect_error("V:1\nF:d\nP:a\n", MINT_EFORMAT, 2, 1);
}

static void test_installed_parse_bad_owner_or_mode_reports_its_column(void **state)
{
	(void)state;
	expect_error("P:a\nV:1\nF:d\nM:0:x:755\n", MINT_EFORMAT, 4, 5);
	expect_error("P:a\nV:1\nF:d\nM:0:0:789\n", MINT_EFORMAT, 4, 7);
	expect_error("P:a\nV:1\nF:d\nM:0:0\n", MINT_EFORMAT, 4, 6);
	expect_error("P:a\nV:1\nF:d\nM:0:0:755:\n", MINT_EFORMAT, 4, 11);
	expect_error("P:a\nV:1\nF:d\nM:4294967296:0:755\n", MINT_EFORMAT, 4, 3);
	expect_error("P:a\nV:1\nq:x\n", MINT_EFORMAT, 3, 3);
	expect_error("P:a\nV:1\nI:-1\n", MINT_EFORMAT, 3, 3);
}

static void test_installed_parse_requires_name_and_version_per_record(void **state)
{
	(void)state;
	expect_error("P:a\nV:1\n\nP:b\nT:x\n\n", MINT_EFORMAT, 4, 1);
	expect_error("P:a\nV:1\nbad\n", MINT_EFORMAT, 3, 2);
	expect_error("P:a\nV:1\n\n\nT:x\nV:2\n", MINT_EFORMAT, 5, 1);
}

static void test_installed_parse_accepts_unterminated_last_record(void **state)
{
	(void)state;
	struct mint_apk_installed_db db;
	parse_ok("P:a\nV:1\nF:d\nR:f\nZ:Q1x", &db);
	assert_int_equal(db.n, 1);
	assert_string_equal(db.pkgs[0].dirs[0].files[0].digest, "Q1x");
	mint_apk_installed_free(&db);
}

static void test_installed_write_rejects_newline_in_name_leaving_buffer_unchanged(void **state)
{
	(void)state;
	struct mint_apk_installed_db db;
	struct mint_buf out = MINT_BUF_INIT;
	parse_ok("P:a\nV:1\nF:d\nR:f\n", &db);
	mint_buf_puts(&out, "keep");
	free(db.pkgs[0].dirs[0].files[0].name);
	db.pkgs[0].dirs[0].files[0].name = strdup("x\ny");
	assert_int_equal(mint_apk_installed_write(&db, &out), MINT_EINVAL);
	assert_string_equal(mint_buf_cstr(&out), "keep");
	mint_apk_installed_free(&db);
	mint_buf_free(&out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_installed_parse_fills_header_installed_fields_and_file_list),
		cmocka_unit_test(test_installed_write_round_trips_apk_tools_text_byte_for_byte),
		cmocka_unit_test(test_installed_leading_zero_mode_reads_octal_and_writes_plain),
		cmocka_unit_test(test_installed_mode_line_after_file_still_belongs_to_directory),
		cmocka_unit_test(test_installed_parse_unknown_field_is_error_even_lowercase),
		cmocka_unit_test(test_installed_parse_file_lines_out_of_place_report_position),
		cmocka_unit_test(test_installed_parse_bad_owner_or_mode_reports_its_column),
		cmocka_unit_test(test_installed_parse_requires_name_and_version_per_record),
		cmocka_unit_test(test_installed_parse_accepts_unterminated_last_record),
		cmocka_unit_test(test_installed_write_rejects_newline_in_name_leaving_buffer_unchanged),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
