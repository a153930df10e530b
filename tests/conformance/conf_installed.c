/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Installed database and triggers file against upstream samples. Databases
 * apk-tools wrote (the Alpine 3.21 query-installed.data, apko's root sample,
 * apko's redis-operator-compat) must be written back byte for byte. Two of
 * apko's samples cannot be, for reasons of their own bytes, so for them the
 * test checks that they parse and that re-writing is stable:
 * - installed/wolfi-base is in apko's field order (P V A L T o m U D p c i
 *   t S I k C) and writes modes with a leading 0 ("a:0:0:0777"); mint reads
 *   the mode as octal and writes it as apk-tools does ("777");
 * - installed/bad-top-level-perms puts "M:" after an "R:" line (it still
 *   belongs to the directory, as in apk-tools) and has no blank line after
 *   its only record; mint writes M: right after F: and ends the record.
 */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mint/apk_installed.h"
#include "mint/apk_triggers.h"

static unsigned n_files, n_packages, n_failed;

static bool parse_or_report(const char *rel, const struct mint_buf *text,
			    struct mint_apk_installed_db *db)
{
	struct mint_err err = { 0 };
	if (mint_apk_installed_parse(mint_buf_span(text), db, &err) == 0)
		return true;
	char msg[1024];
	mint_err_set_file(&err, rel);
	mint_err_format(&err, msg, sizeof(msg));
	print_message("parse failed: %s\n", msg);
	return false;
}

static bool same_bytes(const struct mint_buf *a, const struct mint_buf *b)
{
	return a->len == b->len && memcmp(a->data, b->data, a->len) == 0;
}

static bool rewrite_is_stable(const struct mint_buf *first)
{
	struct mint_apk_installed_db db;
	struct mint_buf second = MINT_BUF_INIT;
	bool ok = mint_apk_installed_parse(mint_buf_span(first), &db, NULL) == 0;
	if (ok) {
		ok = mint_apk_installed_write(&db, &second) == 0 && same_bytes(first, &second);
		mint_apk_installed_free(&db);
	}
	mint_buf_free(&second);
	return ok;
}

/* Returns whether the file met its expectation: exact when exact, else a
 * stable rewrite. Absent fixtures skip the test. */
static bool check_db(const char *rel, bool exact, size_t min_packages)
{
	char *path = fixture_or_skip(rel);
	struct mint_buf text = MINT_BUF_INIT, out = MINT_BUF_INIT;
	struct mint_apk_installed_db db;
	bool ok = false;

	read_file_or_fail(path, &text);
	n_files++;
	if (parse_or_report(rel, &text, &db)) {
		n_packages += (unsigned)db.n;
		ok = db.n >= min_packages && mint_apk_installed_write(&db, &out) == 0;
		if (ok && exact && !same_bytes(&text, &out)) {
			print_message("%s: written back with different bytes\n", rel);
			ok = false;
		}
		if (ok && !exact && same_bytes(&text, &out))
			print_message("%s: now round-trips exactly; update this test\n", rel);
		ok = ok && rewrite_is_stable(&out);
		mint_apk_installed_free(&db);
	}
	if (!ok)
		n_failed++;
	mint_buf_free(&text);
	mint_buf_free(&out);
	free(path);
	return ok;
}

static void test_alpine_321_installed_db_writes_back_byte_identical(void **state)
{
	(void)state;
	assert_true(check_db("apk-tools/test/user/query-installed.data", true, 39));
}

static void test_apko_root_installed_db_writes_back_byte_identical(void **state)
{
	(void)state;
	assert_true(check_db("apko/pkg/apk/apk/testdata/root/usr/lib/apk/db/installed", true, 10));
}

static void test_apko_redis_operator_db_writes_back_byte_identical(void **state)
{
	(void)state;
	assert_true(check_db("apko/pkg/apk/apk/testdata/installed/redis-operator-compat", true, 10));
}

static void test_apko_wolfi_base_db_parses_and_rewrites_stably(void **state)
{
	(void)state;
	assert_true(check_db("apko/pkg/apk/apk/testdata/installed/wolfi-base", false, 10));
}

static void test_apko_bad_top_level_perms_db_keeps_mode_on_root_dir(void **state)
{
	(void)state;
	const char *rel = "apko/pkg/apk/apk/testdata/installed/bad-top-level-perms";
	assert_true(check_db(rel, false, 1));
	char *path = fixture_or_skip(rel);
	struct mint_buf text = MINT_BUF_INIT;
	struct mint_apk_installed_db db;
	struct mint_err err = { 0 };
	read_file_or_fail(path, &text);
	assert_ok(mint_apk_installed_parse(mint_buf_span(&text), &db, &err), &err);
	const struct mint_apk_installed_dir *root = &db.pkgs[0].dirs[0];
	assert_string_equal(root->path, "");
	assert_true(root->has_acl);
	assert_int_equal(root->mode, 0711);
	assert_int_equal(root->files[0].mode, 0777);
	mint_apk_installed_free(&db);
	mint_buf_free(&text);
	free(path);
}

static unsigned trig_files, trig_failed;

static void test_apko_triggers_file_writes_back_byte_identical(void **state)
{
	(void)state;
	char *path = fixture_or_skip("apko/pkg/apk/apk/testdata/root/usr/lib/apk/db/triggers");
	struct mint_buf text = MINT_BUF_INIT, out = MINT_BUF_INIT;
	struct mint_apk_triggers t;
	struct mint_err err = { 0 };
	read_file_or_fail(path, &text);
	trig_files++;
	trig_failed++;
	assert_ok(mint_apk_triggers_parse(mint_buf_span(&text), &t, &err), &err);
	assert_true(t.n >= 1);
	assert_ok(mint_apk_triggers_write(&t, &out), &err);
	assert_true(same_bytes(&text, &out));
	trig_failed--;
	mint_apk_triggers_free(&t);
	mint_buf_free(&text);
	mint_buf_free(&out);
	free(path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_alpine_321_installed_db_writes_back_byte_identical),
		cmocka_unit_test(test_apko_root_installed_db_writes_back_byte_identical),
		cmocka_unit_test(test_apko_redis_operator_db_writes_back_byte_identical),
		cmocka_unit_test(test_apko_wolfi_base_db_parses_and_rewrites_stably),
		cmocka_unit_test(test_apko_bad_top_level_perms_db_keeps_mode_on_root_dir),
		cmocka_unit_test(test_apko_triggers_file_writes_back_byte_identical),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);
	printf("conformance: installed db round-trip: %u files, %u packages, %u failed\n",
	       n_files, n_packages, n_failed);
	printf("conformance: triggers round-trip: %u files, %u failed\n", trig_files, trig_failed);
	return tests_exit(rc);
}
