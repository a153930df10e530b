/* SPDX-License-Identifier: Apache-2.0 */
/* lib/recipe/recipe_steps.c: pipeline steps decoded from YAML. */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mint/recipe.h"
#include "mint/yaml.h"

struct parsed {
	struct mint_yaml_doc doc;
	struct mint_recipe_step *steps;
	size_t n;
};

static int parse(const char *text, struct parsed *p, struct mint_err *err)
{
	mint_err_clear(err);
	int rc = mint_yaml_parse(mint_span_str(text), "r.yaml", NULL, &p->doc, err);
	assert_ok(rc, err);
	return mint_recipe_parse_steps(&p->doc, mint_yaml_map_get(p->doc.root, "pipeline"),
				       "pipeline", &p->steps, &p->n, err);
}

static void done(struct parsed *p)
{
	mint_recipe_steps_free(p->steps, p->n);
	mint_yaml_doc_free(&p->doc);
}

/* Parses text expecting failure; returns the formatted message. */
static const char *parse_fails(const char *text, int code)
{
	static char msg[1024];
	struct parsed p;
	struct mint_err err;
	assert_int_equal(parse(text, &p, &err), code);
	assert_null(p.steps);
	assert_int_equal(p.n, 0);
	done(&p);
	mint_err_format(&err, msg, sizeof(msg));
	return msg;
}

static void test_steps_decode_every_field(void **state)
{
	(void)state;
	struct parsed p;
	struct mint_err err;
	assert_ok(parse("pipeline:\n"
			"  - name: get\n"
			"    uses: fetch\n"
			"    with:\n"
			"      uri: https://x/a.tar.gz\n"
			"      strip-components: 2\n"
			"      empty:\n"
			"    if: ${{build.arch}} == 'x86_64'\n"
			"    label: l1\n"
			"    working-directory: src\n"
			"    environment: {B: '2', A: '1'}\n"
			"    needs: {packages: [wget, busybox]}\n"
			"  - runs: |\n"
			"      make\n",
			&p, &err),
		  &err);
	assert_int_equal(p.n, 2);
	const struct mint_recipe_step *s = &p.steps[0];
	assert_string_equal(s->name, "get");
	assert_string_equal(s->uses, "fetch");
	assert_int_equal(s->with.n, 3);
	assert_string_equal(s->with.v[0].key, "empty");
	assert_string_equal(s->with.v[0].value, "");
	assert_string_equal(s->with.v[1].key, "strip-components");
	assert_string_equal(s->with.v[1].value, "2");
	assert_string_equal(s->with.v[2].key, "uri");
	assert_string_equal(s->if_expr, "${{build.arch}} == 'x86_64'");
	assert_string_equal(s->label, "l1");
	assert_string_equal(s->working_directory, "src");
	assert_string_equal(s->environment.v[0].key, "A");
	assert_string_equal(s->environment.v[1].value, "2");
	assert_int_equal(s->needs_packages.n, 2);
	assert_string_equal(s->needs_packages.v[1], "busybox");
	assert_string_equal(s->file, "r.yaml");
	assert_int_equal(s->line, 2);
	assert_int_equal(s->column, 5);
	assert_null(p.steps[1].uses);
	assert_string_equal(p.steps[1].runs, "make\n");
	done(&p);
}

static void test_steps_nested_pipeline_is_kept(void **state)
{
	(void)state;
	struct parsed p;
	struct mint_err err;
	assert_ok(parse("pipeline:\n"
			"  - working-directory: /opt\n"
			"    pipeline:\n"
			"      - runs: a\n"
			"      - pipeline:\n"
			"          - runs: b\n",
			&p, &err),
		  &err);
	assert_int_equal(p.n, 1);
	assert_int_equal(p.steps[0].n_pipeline, 2);
	assert_string_equal(p.steps[0].pipeline[0].runs, "a");
	assert_string_equal(p.steps[0].pipeline[1].pipeline[0].runs, "b");
	assert_int_equal(p.steps[0].pipeline[1].pipeline[0].line, 6);
	done(&p);
}

static void test_steps_accept_assertions_and_inputs(void **state)
{
	(void)state;
	struct parsed p;
	struct mint_err err;
	assert_ok(parse("pipeline:\n"
			"  - assertions: {required-steps: 1}\n"
			"    inputs: {x: {default: y}}\n"
			"    pipeline: [{runs: a}]\n",
			&p, &err),
		  &err);
	assert_int_equal(p.n, 1);
	done(&p);
}

static void test_steps_missing_pipeline_is_empty(void **state)
{
	(void)state;
	struct parsed p;
	struct mint_err err;
	assert_ok(parse("package: {}\n", &p, &err), &err);
	assert_null(p.steps);
	assert_int_equal(p.n, 0);
	done(&p);
}

static void test_steps_unknown_field_names_it_with_position(void **state)
{
	(void)state;
	const char *m = parse_fails("pipeline:\n  - runs: a\n    run: b\n", MINT_EFORMAT);
	assert_non_null(strstr(m, "r.yaml:3:5"));
	assert_non_null(strstr(m, "run"));
}

static void test_steps_uses_and_runs_exclude_each_other(void **state)
{
	(void)state;
	const char *m = parse_fails("pipeline:\n  - uses: fetch\n    runs: b\n", MINT_EFORMAT);
	assert_non_null(strstr(m, "both 'uses' and 'runs'"));
	assert_non_null(strstr(m, "r.yaml:2:5"));
}

static void test_steps_with_needs_uses(void **state)
{
	(void)state;
	const char *m = parse_fails("pipeline:\n  - runs: a\n    with: {x: y}\n", MINT_EFORMAT);
	assert_non_null(strstr(m, "'with' but no 'uses'"));
}

static void test_steps_wrong_types_are_errors(void **state)
{
	(void)state;
	assert_non_null(strstr(parse_fails("pipeline: {runs: a}\n", MINT_EFORMAT), "sequence"));
	assert_non_null(strstr(parse_fails("pipeline:\n  - runs: [a]\n", MINT_EFORMAT),
			       "pipeline[0].runs"));
	assert_non_null(strstr(parse_fails("pipeline:\n  - with: {a: [1]}\n    uses: x\n",
					   MINT_EFORMAT),
			       "with.a"));
	assert_non_null(strstr(parse_fails("pipeline:\n  - needs: {pkgs: [a]}\n", MINT_EFORMAT),
			       "pkgs"));
	assert_non_null(strstr(parse_fails("pipeline:\n  - needs: {packages: [[a]]}\n",
					   MINT_EFORMAT),
			       "packages[0]"));
	assert_non_null(strstr(parse_fails("pipeline:\n  - ~\n", MINT_EFORMAT), "mapping"));
	assert_non_null(strstr(parse_fails("pipeline:\n  - assertions: {required-steps: -1}\n",
					   MINT_EFORMAT),
			       "required-steps"));
}

static void test_steps_error_in_nested_step_names_path(void **state)
{
	(void)state;
	const char *m = parse_fails("pipeline:\n  - pipeline:\n      - uses: ''\n", MINT_EFORMAT);
	assert_non_null(strstr(m, "pipeline[0].pipeline[0]"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_steps_decode_every_field),
		cmocka_unit_test(test_steps_nested_pipeline_is_kept),
		cmocka_unit_test(test_steps_accept_assertions_and_inputs),
		cmocka_unit_test(test_steps_missing_pipeline_is_empty),
		cmocka_unit_test(test_steps_unknown_field_names_it_with_position),
		cmocka_unit_test(test_steps_uses_and_runs_exclude_each_other),
		cmocka_unit_test(test_steps_with_needs_uses),
		cmocka_unit_test(test_steps_wrong_types_are_errors),
		cmocka_unit_test(test_steps_error_in_nested_step_names_path),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
