/* SPDX-License-Identifier: Apache-2.0 */
#include "apk_solver_fixture.h"

static void test_db_installed_and_repository_copy_are_one_package(void **state)
{
	(void)state;
	struct fx f;
	fx_init(&f, "x86_64");
	fx_installed(&f, "C:Q1AAAAAAAAAAAAAAAAAAAAAAAAAAA=\nP:a\nV:1\nI:5\n\n");
	fx_repo(&f, NULL, "C:Q1AAAAAAAAAAAAAAAAAAAAAAAAAAA=\nP:a\nV:1\nI:5\nS:99\n\n");
	fx_solve(&f, "a");
	const struct mint_apk_change *c = fx_change(&f, "a");
	assert_int_equal(f.sol->n_changes, 1);
	assert_int_equal(c->kind, MINT_APK_CHANGE_KEEP);
	assert_ptr_equal(c->old_pkg, &f.installed.pkgs[0]);
	assert_ptr_equal(c->new_pkg, &f.repos[0].pkgs[0]);
	assert_int_equal(c->repo, 0);
	fx_free(&f);
}

static void test_db_identity_compared_on_decoded_bytes(void **state)
{
	(void)state;
	struct fx f;
	fx_init(&f, "x86_64");
	/* The last base64 digits differ only in bits the 20 bytes do not use:
	 * apk-tools reads both as one package, the first record. */
	fx_repo(&f, NULL,
		"C:Q1hdUpqRv5mYgJEqW52UmVsvmyysF=\nP:bar\nV:1\n\n"
		"C:Q1hdUpqRv5mYgJEqW52UmVsvmyysE=\nP:libiif\nV:1\n\n");
	fx_solve(&f, "bar");
	assert_string_equal(fx_selected(&f), "bar-1");
	fx_solve(&f, "libiif");
	assert_int_not_equal(f.sol->errors, 0);
	assert_non_null(strstr(f.sol->explanation, "libiif (no such package)"));
	fx_free(&f);
}

static void test_db_records_without_identity_stay_distinct(void **state)
{
	(void)state;
	struct fx f;
	fx_init(&f, "x86_64");
	fx_repo(&f, NULL, "P:a\nV:1\n\nP:a\nV:2\n\n");
	fx_solve(&f, "a");
	assert_string_equal(fx_selected(&f), "a-2");
	fx_free(&f);
}

static void test_db_tags_are_numbered_once_with_or_without_at(void **state)
{
	(void)state;
	struct fx f;
	struct mint_err err = { 0 };
	fx_init(&f, "x86_64");
	assert_int_equal(mint_apk_db_tag(f.db, "", &err), 0);
	assert_int_equal(mint_apk_db_tag(f.db, "testing", &err), 1);
	assert_int_equal(mint_apk_db_tag(f.db, "@testing", &err), 1);
	assert_int_equal(mint_apk_db_tag(f.db, "@edge", &err), 2);
	for (int i = 3; i < MINT_APK_MAX_TAGS; i++) {
		char tag[16];
		snprintf(tag, sizeof(tag), "t%d", i);
		assert_int_equal(mint_apk_db_tag(f.db, tag, &err), i);
	}
	assert_int_equal(mint_apk_db_tag(f.db, "one-too-many", &err), MINT_ELIMIT);
	assert_non_null(strstr(err.msg, "repository tags"));
	fx_free(&f);
}

static void test_db_repository_limit_is_reported(void **state)
{
	(void)state;
	struct fx f;
	struct mint_err err = { 0 };
	fx_init(&f, "x86_64");
	for (int i = 0; i < MINT_APK_MAX_REPOS; i++)
		assert_int_equal(mint_apk_db_add_repo(f.db, NULL, 0, NULL, &err), i);
	assert_int_equal(mint_apk_db_add_repo(f.db, NULL, 0, NULL, &err), MINT_ELIMIT);
	fx_free(&f);
}

static void test_db_check_reports_depends_that_do_not_parse(void **state)
{
	(void)state;
	struct fx f;
	fx_init(&f, "x86_64");
	fx_repo(&f, NULL, "C:Q1AAAAAAAAAAAAAAAAAAAAAAAAAAA=\nP:ok\nV:1\nD:a>=1 b\n\n");
	assert_int_equal(mint_apk_db_check(f.db), 0);
	fx_repo(&f, NULL, "C:Q1AQAAAAAAAAAAAAAAAAAAAAAAAAA=\nP:bad\nV:1\nD:dep@tag\n\n");
	assert_int_equal(mint_apk_db_check(f.db),
			 MINT_APK_DB_BROKEN_DEPS | MINT_APK_DB_NOT_INSTALLABLE);
	fx_solve(&f, "bad");
	assert_non_null(strstr(f.sol->explanation, "error: uninstallable"));
	fx_free(&f);
}

static void test_db_unknown_field_makes_record_uninstallable(void **state)
{
	(void)state;
	struct fx f;
	fx_init(&f, "x86_64");
	fx_repo(&f, NULL, "C:Q1AAAAAAAAAAAAAAAAAAAAAAAAAAA=\nP:new\nV:1\nX:future\n\n");
	assert_int_equal(mint_apk_db_check(f.db),
			 MINT_APK_DB_NEWER_FIELDS | MINT_APK_DB_NOT_INSTALLABLE);
	fx_solve(&f, "new");
	assert_int_not_equal(f.sol->errors, 0);
	fx_free(&f);
}

static void test_db_rejects_record_without_version(void **state)
{
	(void)state;
	struct fx f;
	struct mint_apk_pkg p = { .name = "x" };
	struct mint_err err = { 0 };
	fx_init(&f, "x86_64");
	assert_int_equal(mint_apk_db_add_repo(f.db, &p, 1, NULL, &err), MINT_EINVAL);
	assert_non_null(strstr(err.msg, "without name or version"));
	fx_free(&f);
}

static void test_db_no_network_keeps_index_but_not_packages(void **state)
{
	(void)state;
	struct fx f;
	struct mint_err err = { 0 };
	struct mint_apk_repo_opts off = { .flags = MINT_APK_REPO_NO_NETWORK };
	fx_init(&f, "x86_64");
	fx_parse("C:Q1AAAAAAAAAAAAAAAAAAAAAAAAAAA=\nP:a\nV:1\nI:1\n\n", &f.repos[0]);
	f.n_repos = 1;
	assert_int_equal(mint_apk_db_add_repo(f.db, f.repos[0].pkgs, 1, &off, &err), 0);
	fx_solve(&f, "a");
	assert_int_not_equal(f.sol->errors, 0);
	assert_non_null(strstr(f.sol->explanation, "masked in: --no-network"));
	fx_free(&f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_db_installed_and_repository_copy_are_one_package),
		cmocka_unit_test(test_db_identity_compared_on_decoded_bytes),
		cmocka_unit_test(test_db_records_without_identity_stay_distinct),
		cmocka_unit_test(test_db_tags_are_numbered_once_with_or_without_at),
		cmocka_unit_test(test_db_repository_limit_is_reported),
		cmocka_unit_test(test_db_check_reports_depends_that_do_not_parse),
		cmocka_unit_test(test_db_unknown_field_makes_record_uninstallable),
		cmocka_unit_test(test_db_rejects_record_without_version),
		cmocka_unit_test(test_db_no_network_keeps_index_but_not_packages),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
