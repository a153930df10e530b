/* SPDX-License-Identifier: Apache-2.0 */
/* lib/core/yaml.c: the document model, its positions and its bounds. */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mint/buf.h"
#include "mint/yaml.h"

static int parse_with(const char *text, const struct mint_yaml_limits *lim,
		      struct mint_yaml_doc *doc, struct mint_err *err)
{
	mint_err_clear(err);
	return mint_yaml_parse(mint_span_str(text), "t.yaml", lim, doc, err);
}

static void parse_ok(const char *text, struct mint_yaml_doc *doc)
{
	struct mint_err err;
	assert_ok(parse_with(text, NULL, doc, &err), &err);
}

/* Parses text expecting failure with code; returns the formatted error. */
static const char *parse_fails(const char *text, const struct mint_yaml_limits *lim, int code)
{
	static char msg[1024];
	struct mint_yaml_doc doc;
	struct mint_err err;
	assert_int_equal(parse_with(text, lim, &doc, &err), code);
	assert_null(doc.root);
	mint_yaml_doc_free(&doc);
	mint_err_format(&err, msg, sizeof(msg));
	return msg;
}

static void assert_scalar(const struct mint_yaml_node *n, const char *text)
{
	assert_non_null(n);
	assert_int_equal(n->kind, MINT_YAML_SCALAR);
	assert_int_equal(n->len, strlen(text));
	assert_string_equal(n->value, text);
}

static void test_yaml_parse_mapping_records_line_and_column(void **state)
{
	(void)state;
	struct mint_yaml_doc doc;
	parse_ok("# comment\ncontents:\n  packages:\n    - busybox\n    - 'apk-tools'\n", &doc);
	const struct mint_yaml_node *root = doc.root;
	assert_int_equal(root->kind, MINT_YAML_MAPPING);
	assert_int_equal(root->n, 1);
	assert_int_equal(root->pairs[0].key->line, 2);
	assert_int_equal(root->pairs[0].key->column, 1);
	const struct mint_yaml_node *pk = mint_yaml_map_get(mint_yaml_map_get(root, "contents"),
							    "packages");
	assert_int_equal(pk->kind, MINT_YAML_SEQUENCE);
	assert_int_equal(pk->n, 2);
	assert_scalar(pk->items[0], "busybox");
	assert_int_equal(pk->items[0]->line, 4);
	assert_int_equal(pk->items[0]->column, 7);
	assert_scalar(pk->items[1], "apk-tools");
	assert_int_equal(pk->items[1]->style, MINT_YAML_SINGLE_QUOTED);
	mint_yaml_doc_free(&doc);
}

static void test_yaml_parse_json_is_yaml(void **state)
{
	(void)state;
	struct mint_yaml_doc doc;
	parse_ok("{\"archs\": [\"x86_64\", \"aarch64\"],\n\t\"cmd\": \"/bin/sh\"}", &doc);
	assert_int_equal(doc.root->kind, MINT_YAML_MAPPING);
	const struct mint_yaml_node *archs = mint_yaml_map_get(doc.root, "archs");
	assert_int_equal(archs->n, 2);
	assert_scalar(archs->items[1], "aarch64");
	assert_int_equal(archs->items[1]->style, MINT_YAML_DOUBLE_QUOTED);
	const struct mint_yaml_node *cmd = mint_yaml_map_get(doc.root, "cmd");
	assert_int_equal(cmd->line, 2);
	assert_int_equal(cmd->column, 9);
	mint_yaml_doc_free(&doc);
}

static void test_yaml_parse_alias_shares_the_anchored_node(void **state)
{
	(void)state;
	struct mint_yaml_doc doc;
	parse_ok("a: &pkgs [x, y]\nb: *pkgs\n", &doc);
	assert_ptr_equal(mint_yaml_map_get(doc.root, "a"), mint_yaml_map_get(doc.root, "b"));
	mint_yaml_doc_free(&doc);
}

static void test_yaml_parse_redefined_anchor_applies_to_later_aliases(void **state)
{
	(void)state;
	struct mint_yaml_doc doc;
	parse_ok("- &a one\n- *a\n- &a two\n- *a\n", &doc);
	assert_scalar(doc.root->items[1], "one");
	assert_scalar(doc.root->items[3], "two");
	mint_yaml_doc_free(&doc);
}

static void test_yaml_parse_merge_key_explicit_keys_win(void **state)
{
	(void)state;
	struct mint_yaml_doc doc;
	parse_ok("base: &b {cmd: a, work-dir: /w}\n"
		 "other: &o {cmd: c, stop-signal: TERM, work-dir: /o}\n"
		 "img:\n  <<: [*b, *o]\n  cmd: mine\n",
		 &doc);
	const struct mint_yaml_node *img = mint_yaml_map_get(doc.root, "img");
	assert_int_equal(img->n, 3);
	assert_scalar(img->pairs[0].key, "cmd");
	assert_scalar(img->pairs[0].value, "mine");
	/* Earlier merge sources take precedence over later ones. */
	assert_scalar(mint_yaml_map_get(img, "work-dir"), "/w");
	assert_scalar(mint_yaml_map_get(img, "stop-signal"), "TERM");
	assert_null(mint_yaml_map_get(img, "<<"));
	mint_yaml_doc_free(&doc);
}

static void test_yaml_parse_quoted_merge_key_is_an_ordinary_key(void **state)
{
	(void)state;
	struct mint_yaml_doc doc;
	parse_ok("'<<': {a: b}\n", &doc);
	assert_int_equal(doc.root->n, 1);
	assert_non_null(mint_yaml_map_get(doc.root, "<<"));
	mint_yaml_doc_free(&doc);
}

static void test_yaml_parse_merge_of_a_scalar_is_an_error(void **state)
{
	(void)state;
	assert_string_equal(parse_fails("x:\n  <<: text\n", NULL, MINT_EFORMAT),
			    "t.yaml:2:7: merge key '<<' wants a mapping or a sequence of mappings");
}

static void test_yaml_parse_duplicate_key_names_both_lines(void **state)
{
	(void)state;
	assert_string_equal(parse_fails("cmd: a\nwork-dir: /\ncmd: b\n", NULL, MINT_EFORMAT),
			    "t.yaml:3:1: duplicate key 'cmd' (first at line 1)");
	/* Quoting does not make a key different. */
	assert_string_equal(parse_fails("{1: a, '1': b}", NULL, MINT_EFORMAT),
			    "t.yaml:1:8: duplicate key '1' (first at line 1)");
}

static void test_yaml_parse_duplicate_key_found_in_a_large_mapping(void **state)
{
	(void)state;
	struct mint_buf b = MINT_BUF_INIT;
	for (int i = 0; i < 100; i++)
		assert_int_equal(mint_buf_printf(&b, "k%d: v\n", i), 0);
	assert_int_equal(mint_buf_puts(&b, "k42: again\n"), 0);
	assert_string_equal(parse_fails(mint_buf_cstr(&b), NULL, MINT_EFORMAT),
			    "t.yaml:101:1: duplicate key 'k42' (first at line 43)");
	mint_buf_free(&b);
}

static void test_yaml_parse_syntax_error_has_line_and_column(void **state)
{
	(void)state;
	const char *msg = parse_fails("contents:\n  packages: [a, b\narchs: x\n", NULL, MINT_EFORMAT);
	assert_non_null(strstr(msg, "t.yaml:3:"));
	assert_non_null(strstr(msg, "YAML syntax: "));
	msg = parse_fails("a: b\n\tc: d\n", NULL, MINT_EFORMAT);
	assert_true(strncmp(msg, "t.yaml:2:1: YAML syntax: ", 25) == 0);
}

static void test_yaml_parse_invalid_utf8_reports_offset(void **state)
{
	(void)state;
	const char *msg = parse_fails("a: b\nc: \xff\n", NULL, MINT_EFORMAT);
	assert_true(strncmp(msg, "t.yaml: at offset 8: YAML: ", 27) == 0);
}

static void test_yaml_parse_unknown_alias_is_an_error(void **state)
{
	(void)state;
	assert_string_equal(parse_fails("a: *nope\n", NULL, MINT_EFORMAT),
			    "t.yaml:1:4: alias '*nope' names no finished anchor before it");
	/* An alias inside its own anchor would be a cycle. */
	assert_string_equal(parse_fails("a: &x [1, *x]\n", NULL, MINT_EFORMAT),
			    "t.yaml:1:11: alias '*x' names no finished anchor before it");
}

static void test_yaml_parse_billion_laughs_hits_the_node_bound(void **state)
{
	(void)state;
	const char *bomb = "a: &a [x, x, x, x, x, x, x, x, x, x]\n"
			   "b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
			   "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\n"
			   "d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\n"
			   "e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]\n"
			   "f: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e, *e]\n"
			   "g: &g [*f, *f, *f, *f, *f, *f, *f, *f, *f, *f]\n";
	const char *msg = parse_fails(bomb, NULL, MINT_ELIMIT);
	assert_non_null(strstr(msg, "document expands to more than 1048576 nodes"));
	assert_true(strncmp(msg, "t.yaml:6:", 9) == 0);
}

static void test_yaml_parse_small_alias_use_stays_within_bounds(void **state)
{
	(void)state;
	struct mint_yaml_limits lim = { 1024, 8, 30 };
	struct mint_yaml_doc doc;
	struct mint_err err;
	/* 1 + (1 + 4) + (1 + 4) = 11 nodes once *x is expanded. */
	assert_ok(parse_with("{a: &x [1, 2, 3], b: *x}", &lim, &doc, &err), &err);
	mint_yaml_doc_free(&doc);
	lim.max_nodes = 10;
	assert_int_equal(parse_with("{a: &x [1, 2, 3], b: *x}", &lim, &doc, &err), MINT_ELIMIT);
}

static void test_yaml_parse_depth_bound_counts_aliased_levels(void **state)
{
	(void)state;
	struct mint_yaml_limits lim = { 1024, 4, 1000 };
	struct mint_yaml_doc doc;
	struct mint_err err;
	assert_ok(parse_with("[[[x]]]", &lim, &doc, &err), &err);
	mint_yaml_doc_free(&doc);
	assert_int_equal(parse_with("[[[[[x]]]]]", &lim, &doc, &err), MINT_ELIMIT);
	char msg[256];
	mint_err_format(&err, msg, sizeof(msg));
	assert_string_equal(msg, "t.yaml:1:5: YAML nested deeper than 4 levels");
	/* [a, [*a]] is shallow as written but four levels deep once expanded. */
	assert_int_equal(parse_with("- &a [[x]]\n- [[*a]]\n", &lim, &doc, &err), MINT_ELIMIT);
}

static void test_yaml_parse_input_size_bound(void **state)
{
	(void)state;
	struct mint_yaml_limits lim = { 8, 8, 100 };
	assert_string_equal(parse_fails("a: 123456789\n", &lim, MINT_ELIMIT),
			    "t.yaml: YAML input is 13 bytes, more than the limit of 8");
}

static void test_yaml_parse_empty_stream_has_no_root(void **state)
{
	(void)state;
	struct mint_yaml_doc doc;
	parse_ok("# only a comment\n", &doc);
	assert_null(doc.root);
	mint_yaml_doc_free(&doc);
	parse_ok("", &doc);
	assert_null(doc.root);
	mint_yaml_doc_free(&doc);
}

static void test_yaml_parse_reads_only_the_first_document(void **state)
{
	(void)state;
	struct mint_yaml_doc doc;
	parse_ok("---\na: 1\n---\n[unclosed\n", &doc);
	assert_int_equal(doc.root->kind, MINT_YAML_MAPPING);
	assert_int_equal(doc.root->n, 1);
	mint_yaml_doc_free(&doc);
}

static void test_yaml_parse_block_scalars_and_tags(void **state)
{
	(void)state;
	struct mint_yaml_doc doc;
	parse_ok("a: |\n  line1\n  line2\nb: !!str 10\nc: >-\n  one\n  two\n", &doc);
	const struct mint_yaml_node *a = mint_yaml_map_get(doc.root, "a");
	assert_scalar(a, "line1\nline2\n");
	assert_int_equal(a->style, MINT_YAML_LITERAL);
	const struct mint_yaml_node *b = mint_yaml_map_get(doc.root, "b");
	assert_string_equal(b->tag, "tag:yaml.org,2002:str");
	assert_scalar(mint_yaml_map_get(doc.root, "c"), "one two");
	mint_yaml_doc_free(&doc);
}

static void test_yaml_parse_scalar_may_hold_nul(void **state)
{
	(void)state;
	struct mint_yaml_doc doc;
	parse_ok("a: \"x\\0y\"\n", &doc);
	const struct mint_yaml_node *a = mint_yaml_map_get(doc.root, "a");
	assert_int_equal(a->len, 3);
	assert_memory_equal(a->value, "x\0y", 3);
	mint_yaml_doc_free(&doc);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_yaml_parse_mapping_records_line_and_column),
		cmocka_unit_test(test_yaml_parse_json_is_yaml),
		cmocka_unit_test(test_yaml_parse_alias_shares_the_anchored_node),
		cmocka_unit_test(test_yaml_parse_redefined_anchor_applies_to_later_aliases),
		cmocka_unit_test(test_yaml_parse_merge_key_explicit_keys_win),
		cmocka_unit_test(test_yaml_parse_quoted_merge_key_is_an_ordinary_key),
		cmocka_unit_test(test_yaml_parse_merge_of_a_scalar_is_an_error),
		cmocka_unit_test(test_yaml_parse_duplicate_key_names_both_lines),
		cmocka_unit_test(test_yaml_parse_duplicate_key_found_in_a_large_mapping),
		cmocka_unit_test(test_yaml_parse_syntax_error_has_line_and_column),
		cmocka_unit_test(test_yaml_parse_invalid_utf8_reports_offset),
		cmocka_unit_test(test_yaml_parse_unknown_alias_is_an_error),
		cmocka_unit_test(test_yaml_parse_billion_laughs_hits_the_node_bound),
		cmocka_unit_test(test_yaml_parse_small_alias_use_stays_within_bounds),
		cmocka_unit_test(test_yaml_parse_depth_bound_counts_aliased_levels),
		cmocka_unit_test(test_yaml_parse_input_size_bound),
		cmocka_unit_test(test_yaml_parse_empty_stream_has_no_root),
		cmocka_unit_test(test_yaml_parse_reads_only_the_first_document),
		cmocka_unit_test(test_yaml_parse_block_scalars_and_tags),
		cmocka_unit_test(test_yaml_parse_scalar_may_hold_nul),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
