/* SPDX-License-Identifier: Apache-2.0 */
/* lib/recipe/pipeline_lib.c: built-in and user pipeline files. */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/recipe/pipeline_internal.h"
#include "mint/fs.h"

static void test_pipeline_builtins_are_sorted_and_complete(void **state)
{
	(void)state;
	static const char *const want[] = {
		"autoconf/configure", "autoconf/make", "autoconf/make-install", "cmake/build",
		"cmake/configure", "cmake/install", "fetch", "meson/compile", "meson/configure",
		"meson/install", "patch", "split/bin", "split/dev", "split/lib", "split/locales",
		"split/manpages", "split/static", "strip",
	};
	assert_int_equal(mint_pipeline_builtin_count(), sizeof(want) / sizeof(want[0]));
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++)
		assert_string_equal(mint_pipeline_builtin_name(i), want[i]);
	assert_null(mint_pipeline_builtin_name(mint_pipeline_builtin_count()));
}

static void test_pipeline_every_builtin_loads(void **state)
{
	(void)state;
	struct mint_pipeline_lib *lib;
	struct mint_err err;
	assert_ok(mint_pipeline_lib_new(&lib, NULL, 0, &err), &err);
	for (size_t i = 0; i < mint_pipeline_builtin_count(); i++) {
		struct mint_pipeline_def def;
		const char *name = mint_pipeline_builtin_name(i);
		assert_ok(mint_pipeline_lib_load(lib, name, &def, &err), &err);
		assert_string_equal(def.uses, name);
		assert_non_null(def.title);
		assert_true(def.n_steps > 0);
		for (size_t k = 0; k < def.n_inputs; k++)
			assert_non_null(def.inputs[k].description);
		mint_pipeline_def_free(&def);
	}
	mint_pipeline_lib_free(lib);
}

static void test_pipeline_fetch_declares_inputs(void **state)
{
	(void)state;
	struct mint_pipeline_def def;
	struct mint_err err;
	assert_ok(mint_pipeline_lib_load(NULL, "fetch", &def, &err), &err);
	assert_string_equal(def.file, "pipelines/fetch.yaml");
	const struct mint_pipeline_input *uri = mint_pipeline_def_input(&def, "uri");
	assert_non_null(uri);
	assert_true(uri->required);
	assert_string_equal(mint_pipeline_def_input(&def, "strip-components")->default_value, "1");
	assert_null(mint_pipeline_def_input(&def, "expected-sha256")->default_value);
	assert_null(mint_pipeline_def_input(&def, "nope"));
	assert_string_equal(def.steps[0].uses, MINT_PIPELINE_BUILTIN_FETCH);
	mint_pipeline_def_free(&def);
}

static void test_pipeline_user_dir_is_searched_first(void **state)
{
	(void)state;
	char *dir = make_tmpdir();
	char path[4096];
	struct mint_err err;
	snprintf(path, sizeof(path), "%s/fetch.yaml", dir);
	const char *text = "name: mine\npipeline:\n  - runs: echo mine\n";
	assert_ok(mint_file_write_atomic(path, text, strlen(text), 0644, &err), &err);
	struct mint_pipeline_lib *lib;
	const char *dirs[] = { dir };
	assert_ok(mint_pipeline_lib_new(&lib, dirs, 1, &err), &err);
	struct mint_pipeline_def def;
	assert_ok(mint_pipeline_lib_load(lib, "fetch", &def, &err), &err);
	assert_string_equal(def.title, "mine");
	assert_string_equal(def.file, path);
	mint_pipeline_def_free(&def);
	assert_ok(mint_pipeline_lib_load(lib, "strip", &def, &err), &err);
	assert_string_equal(def.file, "pipelines/strip.yaml");
	mint_pipeline_def_free(&def);
	mint_pipeline_lib_free(lib);
	cleanup_tmpdir(dir);
}

static void test_pipeline_unknown_and_unsafe_names(void **state)
{
	(void)state;
	struct mint_pipeline_def def;
	struct mint_err err;
	assert_int_equal(mint_pipeline_lib_load(NULL, "nope/x", &def, &err), MINT_ENOTFOUND);
	assert_non_null(strstr(err.msg, "nope/x"));
	assert_int_equal(mint_pipeline_lib_load(NULL, "../x", &def, &err), MINT_EUNSAFE);
	assert_int_equal(mint_pipeline_lib_load(NULL, "/etc/x", &def, &err), MINT_EUNSAFE);
	assert_int_equal(mint_pipeline_lib_load(NULL, "a//b", &def, &err), MINT_EUNSAFE);
}

static const char *parse_fails(const char *text)
{
	static char msg[1024];
	struct mint_pipeline_def def;
	struct mint_err err;
	mint_err_clear(&err);
	assert_int_equal(mint_pipeline_def_parse(mint_span_str(text), "p.yaml", "p", &def, &err),
			 MINT_EFORMAT);
	mint_err_format(&err, msg, sizeof(msg));
	return msg;
}

static void test_pipeline_file_schema_errors(void **state)
{
	(void)state;
	assert_non_null(strstr(parse_fails("runs: x\n"), "runs"));
	assert_non_null(strstr(parse_fails("inputs: {a: {default: [1]}}\n"), "inputs.default"));
	assert_non_null(strstr(parse_fails("inputs: {a: {requird: true}}\n"), "requird"));
	assert_non_null(strstr(parse_fails("inputs: {a: {required: maybe}}\n"), "required"));
	assert_non_null(strstr(parse_fails("needs: {packages: [~]}\n"), "null"));
	assert_non_null(strstr(parse_fails("pipeline:\n  - bad: 1\n"), "p.yaml:2:5"));
	assert_non_null(strstr(parse_fails(""), "empty"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pipeline_builtins_are_sorted_and_complete),
		cmocka_unit_test(test_pipeline_every_builtin_loads),
		cmocka_unit_test(test_pipeline_fetch_declares_inputs),
		cmocka_unit_test(test_pipeline_user_dir_is_searched_first),
		cmocka_unit_test(test_pipeline_unknown_and_unsafe_names),
		cmocka_unit_test(test_pipeline_file_schema_errors),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
