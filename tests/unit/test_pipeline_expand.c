/* SPDX-License-Identifier: Apache-2.0 */
/* lib/recipe/pipeline_expand.c: steps expanded into build commands. */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mint/fs.h"
#include "mint/pipeline.h"
#include "mint/yaml.h"

#define SHA256 "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"

static struct mint_image_kvs vars;
static struct mint_pipeline_lib *lib;

static int setup(void **state)
{
	(void)state;
	static const char *const kv[][2] = {
		{ "package.name", "hello" },
		{ "package.version", "2.12" },
		{ "host.triplet.gnu", "x86_64-pc-linux-gnu" },
		{ "build.arch", "x86_64" },
		{ "targets.destdir", "/home/build/melange-out/hello" },
		{ "targets.contextdir", "/home/build/melange-out/hello-dev" },
	};
	for (size_t i = 0; i < sizeof(kv) / sizeof(kv[0]); i++)
		assert_int_equal(mint_recipe_kvs_set(&vars, kv[i][0], kv[i][1]), 0);
	struct mint_err err;
	assert_ok(mint_pipeline_lib_new(&lib, NULL, 0, &err), &err);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	mint_recipe_kvs_free(&vars);
	mint_pipeline_lib_free(lib);
	return 0;
}

static int expand(const char *yaml, struct mint_build_steps *out, struct mint_err *err)
{
	struct mint_yaml_doc doc;
	struct mint_recipe_step *steps = NULL;
	size_t n = 0;
	mint_err_clear(err);
	assert_ok(mint_yaml_parse(mint_span_str(yaml), "recipe.yaml", NULL, &doc, err), err);
	assert_ok(mint_recipe_parse_steps(&doc, mint_yaml_map_get(doc.root, "pipeline"), "pipeline",
					  &steps, &n, err),
		  err);
	mint_yaml_doc_free(&doc);
	int rc = mint_pipeline_expand(lib, steps, n, &vars, out, err);
	mint_recipe_steps_free(steps, n);
	return rc;
}

static const char *expand_fails(const char *yaml, int code)
{
	static char msg[1024];
	struct mint_build_steps out;
	struct mint_err err;
	assert_int_equal(expand(yaml, &out, &err), code);
	assert_null(out.v);
	assert_int_equal(out.n, 0);
	mint_err_format(&err, msg, sizeof(msg));
	return msg;
}

static void test_expand_runs_step_substitutes_and_names(void **state)
{
	(void)state;
	struct mint_build_steps out;
	struct mint_err err;
	assert_ok(expand("pipeline:\n"
			 "  - runs: |\n"
			 "      echo ${{package.name}}\n"
			 "      echo done\n"
			 "  - name: second ${{package.version}}\n"
			 "    runs: true\n",
			 &out, &err),
		  &err);
	assert_int_equal(out.n, 2);
	assert_int_equal(out.v[0].kind, MINT_BUILD_STEP_RUN);
	assert_string_equal(out.v[0].script, "echo hello\necho done\n");
	assert_string_equal(out.v[0].name, "echo hello");
	assert_string_equal(out.v[0].origin, "recipe.yaml:2:5");
	assert_string_equal(out.v[0].working_directory, "/home/build");
	assert_string_equal(out.v[1].name, "second 2.12");
	mint_build_steps_free(&out);
}

static void test_expand_workdir_and_env_are_inherited(void **state)
{
	(void)state;
	struct mint_build_steps out;
	struct mint_err err;
	assert_ok(expand("pipeline:\n"
			 "  - working-directory: src/${{package.name}}\n"
			 "    environment: {CC: gcc}\n"
			 "    pipeline:\n"
			 "      - runs: a\n"
			 "      - working-directory: /opt\n"
			 "        environment: {CFLAGS: -O2}\n"
			 "        runs: b\n"
			 "  - working-directory: ./x\n"
			 "    runs: c\n",
			 &out, &err),
		  &err);
	assert_int_equal(out.n, 3);
	assert_string_equal(out.v[0].working_directory, "/home/build/src/hello");
	assert_int_equal(out.v[0].environment.n, 1);
	assert_string_equal(out.v[0].environment.v[0].value, "gcc");
	assert_string_equal(out.v[1].working_directory, "/opt");
	assert_int_equal(out.v[1].environment.n, 2);
	assert_string_equal(out.v[1].environment.v[0].key, "CC");
	assert_string_equal(out.v[1].environment.v[1].key, "CFLAGS");
	assert_string_equal(out.v[2].working_directory, "/home/build/x");
	assert_int_equal(out.v[2].environment.n, 0);
	mint_build_steps_free(&out);
}

static void test_expand_if_false_drops_step_and_nested(void **state)
{
	(void)state;
	struct mint_build_steps out;
	struct mint_err err;
	assert_ok(expand("pipeline:\n"
			 "  - if: ${{build.arch}} == 'aarch64'\n"
			 "    runs: no\n"
			 "    pipeline: [{runs: nested}]\n"
			 "  - if: ${{build.arch}} == 'x86_64'\n"
			 "    runs: yes\n",
			 &out, &err),
		  &err);
	assert_int_equal(out.n, 1);
	assert_string_equal(out.v[0].script, "yes");
	mint_build_steps_free(&out);
	assert_non_null(strstr(expand_fails("pipeline:\n  - if: a b\n    runs: x\n", MINT_EFORMAT),
			       "recipe.yaml:2:5"));
}

static void test_expand_fetch_gives_fetch_step_then_extract(void **state)
{
	(void)state;
	struct mint_build_steps out;
	struct mint_err err;
	assert_ok(expand("pipeline:\n"
			 "  - uses: fetch\n"
			 "    with:\n"
			 "      uri: https://ftp.gnu.org/hello-${{package.version}}.tar.gz?x=1\n"
			 "      expected-sha256: " SHA256 "\n"
			 "      strip-components: 2\n",
			 &out, &err),
		  &err);
	assert_int_equal(out.n, 2);
	const struct mint_build_step *f = &out.v[0];
	assert_int_equal(f->kind, MINT_BUILD_STEP_FETCH);
	assert_string_equal(f->uri, "https://ftp.gnu.org/hello-2.12.tar.gz?x=1");
	assert_string_equal(f->expected_sha256, SHA256);
	assert_null(f->expected_sha512);
	assert_string_equal(f->dest, "hello-2.12.tar.gz");
	assert_string_equal(f->name, "fetch");
	assert_string_equal(f->origin, "pipelines/fetch.yaml:45:5 (fetch via recipe.yaml:2:5)");
	assert_int_equal(out.v[1].kind, MINT_BUILD_STEP_RUN);
	assert_non_null(strstr(out.v[1].script, "--strip-components '2'"));
	mint_build_steps_free(&out);
}

static void test_expand_fetch_needs_a_checksum(void **state)
{
	(void)state;
	const char *m = expand_fails("pipeline:\n  - uses: fetch\n    with: {uri: 'https://x/a.tgz'}\n",
				     MINT_EFORMAT);
	assert_non_null(strstr(m, "expected-sha256 or expected-sha512"));
	assert_non_null(strstr(m, "fetch via recipe.yaml:2:5"));
	m = expand_fails("pipeline:\n  - uses: fetch\n"
			 "    with: {uri: 'https://x/a.tgz', expected-sha256: abc}\n",
			 MINT_EFORMAT);
	assert_non_null(strstr(m, "64 hexadecimal"));
	m = expand_fails("pipeline:\n  - uses: _builtin/fetch\n"
			 "    with: {uri: 'https://x/', expected-sha256: " SHA256 "}\n",
			 MINT_EUNSAFE);
	assert_non_null(strstr(m, "clean relative file name"));
}

static void test_expand_missing_required_input_is_named(void **state)
{
	(void)state;
	const char *m = expand_fails("pipeline:\n  - uses: fetch\n", MINT_EFORMAT);
	assert_non_null(strstr(m, "recipe.yaml:2:5"));
	assert_non_null(strstr(m, "needs input 'uri'"));
}

static void test_expand_unknown_with_key_is_named(void **state)
{
	(void)state;
	const char *m = expand_fails("pipeline:\n  - uses: autoconf/make\n    with: {target: all}\n",
				     MINT_EFORMAT);
	assert_non_null(strstr(m, "recipe.yaml:2:5"));
	assert_non_null(strstr(m, "pipeline 'autoconf/make' has no input 'target'"));
}

static void test_expand_unknown_pipeline_and_variable(void **state)
{
	(void)state;
	assert_non_null(strstr(expand_fails("pipeline:\n  - uses: nope\n", MINT_ENOTFOUND),
			       "recipe.yaml:2:5: no pipeline named 'nope'"));
	assert_non_null(strstr(expand_fails("pipeline:\n  - runs: ${{ vars.x }}\n", MINT_EFORMAT),
			       "recipe.yaml:2:5: unknown variable 'vars.x'"));
}

static void test_expand_defaults_use_caller_variables(void **state)
{
	(void)state;
	struct mint_build_steps out;
	struct mint_err err;
	assert_ok(expand("pipeline:\n"
			 "  - uses: autoconf/configure\n"
			 "    with: {opts: '--with-${{package.name}}'}\n",
			 &out, &err),
		  &err);
	assert_int_equal(out.n, 1);
	assert_non_null(strstr(out.v[0].script, "--host='x86_64-pc-linux-gnu'"));
	assert_non_null(strstr(out.v[0].script, "--with-hello"));
	assert_string_equal(out.v[0].name, "autoconf/configure");
	mint_build_steps_free(&out);
}

static void test_expand_split_static_skipped_for_main_package(void **state)
{
	(void)state;
	struct mint_build_steps out;
	struct mint_err err;
	assert_int_equal(mint_recipe_kvs_set(&vars, "targets.contextdir",
					     "/home/build/melange-out/hello"), 0);
	assert_ok(expand("pipeline:\n  - uses: split/static\n", &out, &err), &err);
	assert_int_equal(out.n, 0);
	mint_build_steps_free(&out);
	assert_int_equal(mint_recipe_kvs_set(&vars, "targets.contextdir",
					     "/home/build/melange-out/hello-dev"), 0);
	assert_ok(expand("pipeline:\n  - uses: split/static\n", &out, &err), &err);
	assert_int_equal(out.n, 1);
	mint_build_steps_free(&out);
}

static void test_expand_every_builtin_with_sample_inputs(void **state)
{
	(void)state;
	for (size_t i = 0; i < mint_pipeline_builtin_count(); i++) {
		const char *name = mint_pipeline_builtin_name(i);
		char yaml[512];
		struct mint_build_steps out;
		struct mint_err err;
		if (!strcmp(name, "fetch"))
			snprintf(yaml, sizeof(yaml),
				 "pipeline:\n  - uses: fetch\n    with:\n"
				 "      uri: https://x/a.tar.gz\n      expected-sha256: %s\n",
				 SHA256);
		else if (!strcmp(name, "patch"))
			snprintf(yaml, sizeof(yaml),
				 "pipeline:\n  - uses: patch\n    with: {patches: a.patch}\n");
		else
			snprintf(yaml, sizeof(yaml), "pipeline:\n  - uses: %s\n", name);
		assert_ok(expand(yaml, &out, &err), &err);
		assert_true(out.n > 0);
		for (size_t k = 0; k < out.n; k++) {
			assert_non_null(out.v[k].name);
			assert_non_null(strstr(out.v[k].origin, name));
			if (out.v[k].kind == MINT_BUILD_STEP_RUN)
				assert_null(strstr(out.v[k].script, "${{"));
		}
		mint_build_steps_free(&out);
	}
}

static void test_expand_user_pipeline_nesting_and_recursion(void **state)
{
	(void)state;
	char *dir = make_tmpdir();
	char path[4096];
	struct mint_err err;
	const char *outer = "name: outer\ninputs: {x: {default: '${{package.name}}'}}\n"
			    "pipeline:\n  - uses: inner\n    with: {y: '${{inputs.x}}-1'}\n";
	const char *inner = "name: inner\nneeds: {packages: [zlib]}\n"
			    "inputs: {y: {required: true}}\n"
			    "pipeline:\n  - runs: echo ${{inputs.y}}\n";
	const char *loop = "name: loop\npipeline:\n  - uses: loop\n";
	snprintf(path, sizeof(path), "%s/outer.yaml", dir);
	assert_ok(mint_file_write_atomic(path, outer, strlen(outer), 0644, &err), &err);
	snprintf(path, sizeof(path), "%s/inner.yaml", dir);
	assert_ok(mint_file_write_atomic(path, inner, strlen(inner), 0644, &err), &err);
	snprintf(path, sizeof(path), "%s/loop.yaml", dir);
	assert_ok(mint_file_write_atomic(path, loop, strlen(loop), 0644, &err), &err);
	struct mint_pipeline_lib *saved = lib;
	const char *dirs[] = { dir };
	assert_ok(mint_pipeline_lib_new(&lib, dirs, 1, &err), &err);

	struct mint_build_steps out;
	assert_ok(expand("pipeline:\n  - uses: outer\n", &out, &err), &err);
	assert_int_equal(out.n, 1);
	assert_string_equal(out.v[0].script, "echo hello-1");
	assert_non_null(strstr(out.v[0].origin, "(inner via "));
	assert_non_null(strstr(out.v[0].origin, ", outer via recipe.yaml:2:5)"));
	mint_build_steps_free(&out);
	assert_non_null(strstr(expand_fails("pipeline:\n  - uses: loop\n", MINT_ELIMIT),
			       "use itself"));

	struct mint_yaml_doc doc;
	struct mint_recipe_step *steps;
	size_t n;
	struct mint_image_strs needs = { 0 };
	assert_ok(mint_yaml_parse(mint_span_str("pipeline:\n  - uses: outer\n"
						"  - uses: autoconf/make\n"
						"  - needs: {packages: [make, bash]}\n"),
				  "r.yaml", NULL, &doc, &err),
		  &err);
	assert_ok(mint_recipe_parse_steps(&doc, mint_yaml_map_get(doc.root, "pipeline"),
					  "pipeline", &steps, &n, &err),
		  &err);
	assert_ok(mint_pipeline_needs(lib, steps, n, &needs, &err), &err);
	assert_int_equal(needs.n, 3);
	assert_string_equal(needs.v[0], "zlib");
	assert_string_equal(needs.v[1], "make");
	assert_string_equal(needs.v[2], "bash");
	for (size_t i = 0; i < needs.n; i++)
		free(needs.v[i]);
	free(needs.v);
	mint_recipe_steps_free(steps, n);
	mint_yaml_doc_free(&doc);

	mint_pipeline_lib_free(lib);
	lib = saved;
	cleanup_tmpdir(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_expand_runs_step_substitutes_and_names),
		cmocka_unit_test(test_expand_workdir_and_env_are_inherited),
		cmocka_unit_test(test_expand_if_false_drops_step_and_nested),
		cmocka_unit_test(test_expand_fetch_gives_fetch_step_then_extract),
		cmocka_unit_test(test_expand_fetch_needs_a_checksum),
		cmocka_unit_test(test_expand_missing_required_input_is_named),
		cmocka_unit_test(test_expand_unknown_with_key_is_named),
		cmocka_unit_test(test_expand_unknown_pipeline_and_variable),
		cmocka_unit_test(test_expand_defaults_use_caller_variables),
		cmocka_unit_test(test_expand_split_static_skipped_for_main_package),
		cmocka_unit_test(test_expand_every_builtin_with_sample_inputs),
		cmocka_unit_test(test_expand_user_pipeline_nesting_and_recursion),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
