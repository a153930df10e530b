/* SPDX-License-Identifier: Apache-2.0 */
/* lib/recipe/recipe.c: the top level of a recipe and melange's load checks. */
#include "recipe_testlib.h"

#include <stdlib.h>

static void test_recipe_minimal_package_parses(void **state)
{
	(void)state;
	struct mint_recipe r;
	recipe_ok(PKG, &r);
	assert_string_equal(r.package.meta.name, "hello");
	assert_string_equal(r.package.version, "1.2.3");
	assert_int_equal(r.package.epoch, 2);
	assert_string_equal(r.file, "r.yaml");
	assert_int_equal(r.text.len, strlen(PKG));
	mint_recipe_free(&r);
}

static void test_recipe_full_version_joins_version_and_epoch(void **state)
{
	(void)state;
	struct mint_recipe r;
	recipe_ok(PKG, &r);
	char *full = mint_recipe_full_version(&r);
	assert_string_equal(full, "1.2.3-r2");
	free(full);
	mint_recipe_free(&r);
}

static void test_recipe_unknown_top_field_named_with_position_and_suggestion(void **state)
{
	(void)state;
	const char *msg = recipe_fails(PKG "pipelines:\n  - runs: x\n", MINT_EFORMAT);
	assert_contains(msg, "r.yaml:5:1");
	assert_contains(msg, "pipelines");
	assert_contains(msg, "pipeline");
}

static void test_recipe_without_package_is_refused(void **state)
{
	(void)state;
	assert_contains(recipe_fails("pipeline:\n  - runs: x\n", MINT_EFORMAT),
			"'package' is required");
	assert_contains(recipe_fails("", MINT_EFORMAT), "no YAML document");
	assert_contains(recipe_fails("- a\n", MINT_EFORMAT), "must be a mapping");
}

static void test_recipe_package_name_rules_follow_melange(void **state)
{
	(void)state;
	assert_contains(recipe_fails("package:\n  name:\n  version: 1\n", MINT_EFORMAT),
			"r.yaml:2:8: 'package.name' is required");
	assert_contains(recipe_fails("package:\n  name: -x\n  version: 1\n", MINT_EFORMAT),
			"not a valid package name");
	assert_contains(recipe_fails("package:\n  name: a b\n  version: 1\n", MINT_EFORMAT),
			"not a valid package name");
	struct mint_recipe r;
	recipe_ok("package:\n  name: py3.12-foo_bar+x\n  version: 1\n", &r);
	mint_recipe_free(&r);
}

static void test_recipe_version_must_be_an_apk_version(void **state)
{
	(void)state;
	assert_contains(recipe_fails("package:\n  name: a\n", MINT_EFORMAT),
			"'package.version' is required");
	assert_contains(recipe_fails("package:\n  name: a\n  version: v1.0\n", MINT_EUNSUPPORTED),
			"r.yaml:3:12: 'package.version': \"v1.0\" is not a valid apk version");
}

static void test_recipe_update_keeps_enabled_only(void **state)
{
	(void)state;
	struct mint_recipe r;
	recipe_ok(PKG "update:\n  enabled: true\n  github:\n    identifier: a/b\n"
		      "  anything: [1, 2]\n", &r);
	assert_true(r.has_update);
	assert_true(r.update_enabled);
	mint_recipe_free(&r);
	assert_contains(recipe_fails(PKG "update:\n  enabled: maybe\n", MINT_EFORMAT),
			"update.enabled");
}

static void test_recipe_options_and_capabilities_are_checked(void **state)
{
	(void)state;
	struct mint_recipe r;
	recipe_ok(PKG "options:\n  rustls:\n    vars:\n      tls: rustls\n    environment:\n"
		      "      contents:\n        packages:\n          add: [a]\n          remove: [b]\n"
		      "capabilities:\n  add: [CAP_NET_ADMIN]\n  drop: [CAP_SYS_ADMIN]\n", &r);
	mint_recipe_free(&r);
	assert_contains(recipe_fails(PKG "options:\n  x:\n    varz: {}\n", MINT_EFORMAT),
			"options.x");
	assert_contains(recipe_fails(PKG "capabilities:\n  keep: []\n", MINT_EFORMAT),
			"unknown field 'keep'");
}

static void test_recipe_environment_decodes_as_image_configuration(void **state)
{
	(void)state;
	struct mint_recipe r;
	recipe_ok(PKG "environment:\n  contents:\n    packages: [busybox, go>1.21]\n"
		      "  environment:\n    CGO_ENABLED: \"0\"\n", &r);
	assert_true(r.has_environment);
	assert_int_equal(r.environment.contents.packages.n, 2);
	assert_string_equal(r.environment.contents.packages.v[1], "go>1.21");
	assert_string_equal(r.environment.environment.v[0].key, "CGO_ENABLED");
	/* No build user is added: the orchestrator does that. */
	assert_int_equal(r.environment.accounts.n_users, 0);
	mint_recipe_free(&r);
	assert_contains(recipe_fails(PKG "environment:\n  contents:\n    pakages: [a]\n",
				     MINT_EFORMAT),
			"r.yaml:7:5: unknown field 'pakages' in 'environment.contents'");
}

static void test_recipe_load_reads_the_file(void **state)
{
	(void)state;
	char *dir = make_tmpdir();
	char path[4096];
	struct mint_recipe r;
	struct mint_err err = { 0 };
	snprintf(path, sizeof(path), "%s/melange.yaml", dir);
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs(PKG, f);
	fclose(f);
	assert_ok(mint_recipe_load(path, &r, &err), &err);
	assert_string_equal(r.file, path);
	mint_recipe_free(&r);
	snprintf(path, sizeof(path), "%s/missing.yaml", dir);
	assert_int_not_equal(mint_recipe_load(path, &r, &err), 0);
	mint_recipe_free(&r);
	cleanup_tmpdir(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_recipe_minimal_package_parses),
		cmocka_unit_test(test_recipe_full_version_joins_version_and_epoch),
		cmocka_unit_test(test_recipe_unknown_top_field_named_with_position_and_suggestion),
		cmocka_unit_test(test_recipe_without_package_is_refused),
		cmocka_unit_test(test_recipe_package_name_rules_follow_melange),
		cmocka_unit_test(test_recipe_version_must_be_an_apk_version),
		cmocka_unit_test(test_recipe_update_keeps_enabled_only),
		cmocka_unit_test(test_recipe_options_and_capabilities_are_checked),
		cmocka_unit_test(test_recipe_environment_decodes_as_image_configuration),
		cmocka_unit_test(test_recipe_load_reads_the_file),
	};
	return tests_exit(cmocka_run_group_tests(tests, NULL, NULL));
}
