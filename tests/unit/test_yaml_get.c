/* SPDX-License-Identifier: Apache-2.0 */
/* lib/core/yaml_get.c: scalar resolution as yaml.v3 does it, typed accessors
 * and their messages. */
#include "testutil.h"

#include <stdlib.h>
#include <string.h>

#include "mint/yaml.h"

static struct mint_yaml_doc doc;

static const struct mint_yaml_node *load(const char *text)
{
	struct mint_err err = { 0 };
	mint_yaml_doc_free(&doc);
	assert_ok(mint_yaml_parse(mint_span_str(text), "cfg.yaml", NULL, &doc, &err), &err);
	return doc.root;
}

static int teardown(void **state)
{
	(void)state;
	mint_yaml_doc_free(&doc);
	return 0;
}

static const char *formatted(const struct mint_err *err)
{
	static char msg[1024];
	mint_err_format(err, msg, sizeof(msg));
	return msg;
}

static enum mint_yaml_scalar_type type_of(const char *value_yaml)
{
	const struct mint_yaml_node *root = load(value_yaml);
	return mint_yaml_scalar_type(root);
}

static void test_yaml_scalar_type_follows_yaml_v3_core_schema(void **state)
{
	(void)state;
	assert_int_equal(type_of("~"), MINT_YAML_NULL);
	assert_int_equal(type_of("Null"), MINT_YAML_NULL);
	assert_int_equal(type_of("''"), MINT_YAML_STR);
	assert_int_equal(type_of("True"), MINT_YAML_BOOL);
	assert_int_equal(type_of("yes"), MINT_YAML_STR);
	assert_int_equal(type_of("0o755"), MINT_YAML_INT);
	assert_int_equal(type_of("0755"), MINT_YAML_INT);
	assert_int_equal(type_of("0x1F"), MINT_YAML_INT);
	assert_int_equal(type_of("-0b101"), MINT_YAML_INT);
	assert_int_equal(type_of("1_000"), MINT_YAML_INT);
	assert_int_equal(type_of("0788"), MINT_YAML_FLOAT);
	assert_int_equal(type_of("1.5e3"), MINT_YAML_FLOAT);
	assert_int_equal(type_of(".inf"), MINT_YAML_FLOAT);
	assert_int_equal(type_of("'493'"), MINT_YAML_STR);
	assert_int_equal(type_of("!!str 493"), MINT_YAML_STR);
	assert_int_equal(type_of("!!int 493"), MINT_YAML_INT);
	assert_int_equal(type_of("!!int abc"), MINT_YAML_OTHER_TAG);
	assert_int_equal(type_of("!custom x"), MINT_YAML_OTHER_TAG);
	assert_int_equal(type_of("2001-12-14"), MINT_YAML_STR);
	assert_int_equal(type_of("+"), MINT_YAML_STR);
	assert_int_equal(type_of("0x"), MINT_YAML_STR);
}

static void test_yaml_get_uint_reads_octal_spellings(void **state)
{
	(void)state;
	const struct mint_yaml_node *root = load("[0o755, 0755, 493, 0x1ed, 0b111101101, 4_9_3]");
	for (size_t i = 0; i < root->n; i++) {
		uint64_t v = 0;
		bool present = false;
		struct mint_err err = { 0 };
		assert_ok(mint_yaml_get_uint(&doc, root->items[i], "p", 07777, &v, &present, &err),
			  &err);
		assert_true(present);
		assert_int_equal(v, 0755);
	}
}

static void test_yaml_get_uint_null_is_absent(void **state)
{
	(void)state;
	const struct mint_yaml_node *root = load("a: ~\nb:\n");
	uint64_t v = 7;
	bool present = true;
	assert_int_equal(mint_yaml_get_uint(&doc, mint_yaml_map_get(root, "a"), "a", 10, &v,
					    &present, NULL), 0);
	assert_false(present);
	assert_int_equal(v, 7);
	assert_int_equal(mint_yaml_get_uint(&doc, mint_yaml_map_get(root, "b"), "b", 10, &v,
					    &present, NULL), 0);
	assert_false(present);
}

static void test_yaml_get_uint_quoted_number_says_drop_the_quotes(void **state)
{
	(void)state;
	const struct mint_yaml_node *root = load("paths:\n  - permissions: '0755'\n");
	const struct mint_yaml_node *n = mint_yaml_map_get(mint_yaml_map_get(root, "paths")->items[0],
							   "permissions");
	uint64_t v;
	struct mint_err err = { 0 };
	assert_int_equal(mint_yaml_get_uint(&doc, n, "paths[0].permissions", 07777, &v, NULL, &err),
			 MINT_EFORMAT);
	assert_string_equal(formatted(&err),
			    "cfg.yaml:2:18: field 'paths[0].permissions' must be an integer, not a "
			    "string '0755' (write it without quotes)");
}

static void test_yaml_get_uint_range_errors(void **state)
{
	(void)state;
	const struct mint_yaml_node *root = load("[-1, 4294967296, 99999999999999999999999, 1.5]");
	uint64_t v;
	struct mint_err err = { 0 };
	assert_int_equal(mint_yaml_get_uint(&doc, root->items[0], "uid", UINT32_MAX, &v, NULL, &err),
			 MINT_EFORMAT);
	assert_string_equal(formatted(&err),
			    "cfg.yaml:1:2: field 'uid' is out of range '-1': want 0 to 4294967295");
	mint_err_clear(&err);
	assert_int_equal(mint_yaml_get_uint(&doc, root->items[1], "uid", UINT32_MAX, &v, NULL, &err),
			 MINT_EFORMAT);
	mint_err_clear(&err);
	assert_int_equal(mint_yaml_get_uint(&doc, root->items[2], "uid", UINT64_MAX, &v, NULL, &err),
			 MINT_EFORMAT);
	mint_err_clear(&err);
	assert_int_equal(mint_yaml_get_uint(&doc, root->items[3], "uid", UINT32_MAX, &v, NULL, &err),
			 MINT_EFORMAT);
	assert_string_equal(formatted(&err),
			    "cfg.yaml:1:43: field 'uid' must be an integer, not a number '1.5'");
}

static void test_yaml_get_int_accepts_negative_within_bounds(void **state)
{
	(void)state;
	const struct mint_yaml_node *root = load("[-5, -9223372036854775808, 3]");
	int64_t v;
	struct mint_err err = { 0 };
	assert_ok(mint_yaml_get_int(&doc, root->items[0], "x", -10, 10, &v, NULL, &err), &err);
	assert_int_equal(v, -5);
	assert_ok(mint_yaml_get_int(&doc, root->items[1], "x", INT64_MIN, 0, &v, NULL, &err), &err);
	assert_true(v == INT64_MIN);
	assert_int_equal(mint_yaml_get_int(&doc, root->items[2], "x", 0, 2, &v, NULL, &err),
			 MINT_EFORMAT);
}

static void test_yaml_get_string_takes_any_scalar_as_written(void **state)
{
	(void)state;
	const struct mint_yaml_node *root = load("[123, true, 0o755, 'x y', ~]");
	const char *want[] = { "123", "true", "0o755", "x y" };
	for (size_t i = 0; i < 4; i++) {
		char *s = NULL;
		bool present = false;
		struct mint_err err = { 0 };
		assert_ok(mint_yaml_get_string(&doc, root->items[i], "f", &s, &present, &err), &err);
		assert_true(present);
		assert_string_equal(s, want[i]);
		free(s);
	}
	char *s = NULL;
	bool present = true;
	assert_int_equal(mint_yaml_get_string(&doc, root->items[4], "f", &s, &present, NULL), 0);
	assert_false(present);
	assert_null(s);
}

static void test_yaml_get_string_of_mapping_names_the_field(void **state)
{
	(void)state;
	const struct mint_yaml_node *root = load("entrypoint:\n  command:\n    x: y\n");
	const struct mint_yaml_node *n = mint_yaml_map_get(mint_yaml_map_get(root, "entrypoint"),
							   "command");
	char *s = NULL;
	struct mint_err err = { 0 };
	assert_int_equal(mint_yaml_get_string(&doc, n, "entrypoint.command", &s, NULL, &err),
			 MINT_EFORMAT);
	assert_string_equal(formatted(&err), "cfg.yaml:3:5: field 'entrypoint.command' must be a "
					     "string, not a mapping");
}

static void test_yaml_get_string_refuses_nul(void **state)
{
	(void)state;
	const struct mint_yaml_node *root = load("\"a\\0b\"");
	char *s = NULL;
	struct mint_err err = { 0 };
	assert_int_equal(mint_yaml_get_string(&doc, root, "cmd", &s, NULL, &err), MINT_EFORMAT);
	assert_string_equal(formatted(&err), "cfg.yaml:1:1: field 'cmd' holds a NUL character");
}

static void test_yaml_get_bool_accepts_yaml11_words(void **state)
{
	(void)state;
	const struct mint_yaml_node *root = load("[true, FALSE, yes, 'on', n, Off, maybe, 'true']");
	const int want[] = { 1, 0, 1, 1, 0, 0, -1, -1 };
	for (size_t i = 0; i < root->n; i++) {
		bool v = false;
		int rc = mint_yaml_get_bool(&doc, root->items[i], "recursive", &v, NULL, NULL);
		if (want[i] < 0) {
			assert_int_equal(rc, MINT_EFORMAT);
		} else {
			assert_int_equal(rc, 0);
			assert_int_equal(v, want[i]);
		}
	}
}

static void test_yaml_want_mapping_reports_top_level_and_fields(void **state)
{
	(void)state;
	const struct mint_yaml_node *root = load("- a\n");
	struct mint_err err = { 0 };
	assert_int_equal(mint_yaml_want_mapping(&doc, root, "", &err), MINT_EFORMAT);
	assert_string_equal(formatted(&err),
			    "cfg.yaml:1:1: the document must be a mapping, not a sequence");
	assert_int_equal(mint_yaml_want_mapping(&doc, NULL, "x", NULL), 1);
	mint_err_clear(&err);
	assert_int_equal(mint_yaml_want_sequence(&doc, root->items[0], "archs", &err), MINT_EFORMAT);
	assert_string_equal(formatted(&err),
			    "cfg.yaml:1:3: field 'archs' must be a sequence, not a string 'a'");
}

static void test_yaml_unknown_field_lists_known_and_suggests(void **state)
{
	(void)state;
	static const char *const known[] = { "type", "command", "shell-fragment", "services",
					     NULL };
	const struct mint_yaml_node *root = load("entrypoint:\n  comand: /bin/sh\n  zzz: 1\n");
	const struct mint_yaml_node *ep = mint_yaml_map_get(root, "entrypoint");
	struct mint_err err = { 0 };
	assert_int_equal(mint_yaml_unknown_field(&doc, ep->pairs[0].key, "entrypoint", known, &err),
			 MINT_EFORMAT);
	assert_string_equal(formatted(&err),
			    "cfg.yaml:2:3: unknown field 'comand' in 'entrypoint' (known fields: "
			    "type, command, shell-fragment, services); did you mean 'command'?");
	mint_err_clear(&err);
	assert_int_equal(mint_yaml_unknown_field(&doc, ep->pairs[1].key, "", known, &err),
			 MINT_EFORMAT);
	assert_string_equal(formatted(&err), "cfg.yaml:3:3: unknown field 'zzz' (known fields: "
					     "type, command, shell-fragment, services)");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_yaml_scalar_type_follows_yaml_v3_core_schema),
		cmocka_unit_test(test_yaml_get_uint_reads_octal_spellings),
		cmocka_unit_test(test_yaml_get_uint_null_is_absent),
		cmocka_unit_test(test_yaml_get_uint_quoted_number_says_drop_the_quotes),
		cmocka_unit_test(test_yaml_get_uint_range_errors),
		cmocka_unit_test(test_yaml_get_int_accepts_negative_within_bounds),
		cmocka_unit_test(test_yaml_get_string_takes_any_scalar_as_written),
		cmocka_unit_test(test_yaml_get_string_of_mapping_names_the_field),
		cmocka_unit_test(test_yaml_get_string_refuses_nul),
		cmocka_unit_test(test_yaml_get_bool_accepts_yaml11_words),
		cmocka_unit_test(test_yaml_want_mapping_reports_top_level_and_fields),
		cmocka_unit_test(test_yaml_unknown_field_lists_known_and_suggests),
	};
	return cmocka_run_group_tests(tests, NULL, teardown);
}
