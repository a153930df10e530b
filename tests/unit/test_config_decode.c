/* SPDX-License-Identifier: Apache-2.0 */
/* lib/image/config_decode.c: table-driven mappings, string lists and maps. */
#include "testutil.h"

#include <stdlib.h>
#include <string.h>

#include "lib/image/config_internal.h"

static struct mint_yaml_doc doc;

static const struct mint_yaml_node *load(const char *text)
{
	struct mint_err err = { 0 };
	mint_yaml_doc_free(&doc);
	assert_ok(mint_yaml_parse(mint_span_str(text), "d.yaml", NULL, &doc, &err), &err);
	return doc.root;
}

static int teardown(void **state)
{
	(void)state;
	mint_yaml_doc_free(&doc);
	return 0;
}

static const char *err_text(const struct mint_err *err)
{
	static char msg[1024];
	mint_err_format(err, msg, sizeof(msg));
	return msg;
}

struct pair {
	char *a, *b;
};

static int field_a(struct cfg_ctx *c, const struct mint_yaml_node *v, const char *path, void *obj)
{
	assert_string_equal(path, "outer.a");
	return cfg_decode_str(c, v, path, &((struct pair *)obj)->a);
}

static int field_b(struct cfg_ctx *c, const struct mint_yaml_node *v, const char *path, void *obj)
{
	return cfg_decode_str(c, v, path, &((struct pair *)obj)->b);
}

static const struct cfg_field fields[] = { { "a", field_a }, { "b", field_b } };

static void test_config_decode_paths_join_fields_and_indexes(void **state)
{
	(void)state;
	char p[CFG_PATH_MAX];
	cfg_path_field(p, "", "contents");
	assert_string_equal(p, "contents");
	cfg_path_field(p, "contents", "packages");
	assert_string_equal(p, "contents.packages");
	cfg_path_index(p, "contents.packages", 12);
	assert_string_equal(p, "contents.packages[12]");
}

static void test_config_decode_fields_dispatches_by_name(void **state)
{
	(void)state;
	const struct mint_yaml_node *root = load("b: two\na: one\n");
	struct pair p = { 0 };
	struct mint_err err = { 0 };
	struct cfg_ctx c = { &doc, &err };
	assert_ok(cfg_decode_fields(&c, root, "outer", fields, 2, &p), &err);
	assert_string_equal(p.a, "one");
	assert_string_equal(p.b, "two");
	free(p.a);
	free(p.b);
}

static void test_config_decode_fields_null_is_empty_and_unknown_fails(void **state)
{
	(void)state;
	const struct mint_yaml_node *root = load("x: ~\ny: {c: 1}\n");
	struct pair p = { 0 };
	struct mint_err err = { 0 };
	struct cfg_ctx c = { &doc, &err };
	assert_ok(cfg_decode_fields(&c, mint_yaml_map_get(root, "x"), "outer", fields, 2, &p), &err);
	assert_null(p.a);
	assert_int_equal(cfg_decode_fields(&c, mint_yaml_map_get(root, "y"), "outer", fields, 2, &p),
			 MINT_EFORMAT);
	assert_string_equal(err_text(&err),
			    "d.yaml:2:5: unknown field 'c' in 'outer' (known fields: a, b)");
}

static void test_config_decode_strs_turns_null_items_into_empty(void **state)
{
	(void)state;
	const struct mint_yaml_node *root = load("[a, ~, 3]");
	struct mint_image_strs l = { 0 };
	struct mint_err err = { 0 };
	struct cfg_ctx c = { &doc, &err };
	assert_ok(cfg_decode_strs(&c, root, "l", &l), &err);
	assert_int_equal(l.n, 3);
	assert_string_equal(l.v[1], "");
	assert_string_equal(l.v[2], "3");
	assert_int_equal(cfg_refuse_empty_items(&c, root, "l", &l), MINT_EFORMAT);
	assert_string_equal(err_text(&err), "d.yaml:1:5: 'l[1]' is empty");
	mint_image_strs_free(&l);
}

static void test_config_decode_kvs_sorts_by_key(void **state)
{
	(void)state;
	const struct mint_yaml_node *root = load("{zeta: 1, alpha: ~, Mid: x}");
	struct mint_image_kvs m = { 0 };
	struct mint_err err = { 0 };
	struct cfg_ctx c = { &doc, &err };
	assert_ok(cfg_decode_kvs(&c, root, "env", &m), &err);
	assert_int_equal(m.n, 3);
	assert_string_equal(m.v[0].key, "Mid");
	assert_string_equal(m.v[1].key, "alpha");
	assert_string_equal(m.v[1].value, "");
	assert_string_equal(cfg_kvs_get(&m, "zeta")->value, "1");
	assert_null(cfg_kvs_get(&m, "beta"));
	cfg_kvs_free(&m);
}

static void test_config_decode_kvs_set_replaces_and_inserts_in_order(void **state)
{
	(void)state;
	struct mint_image_kvs m = { 0 };
	assert_int_equal(cfg_kvs_set(&m, "b", "1"), 0);
	assert_int_equal(cfg_kvs_set(&m, "a", "2"), 0);
	assert_int_equal(cfg_kvs_set(&m, "c", "3"), 0);
	assert_int_equal(cfg_kvs_set(&m, "b", "4"), 0);
	assert_int_equal(m.n, 3);
	assert_string_equal(m.v[0].key, "a");
	assert_string_equal(m.v[1].value, "4");
	assert_string_equal(m.v[2].key, "c");
	cfg_kvs_free(&m);
}

static void test_config_decode_strs_prepend_copy_puts_source_first(void **state)
{
	(void)state;
	struct mint_image_strs dst = { 0 }, src = { 0 };
	assert_int_equal(cfg_strs_push(&dst, "mine"), 0);
	assert_int_equal(cfg_strs_push(&src, "theirs1"), 0);
	assert_int_equal(cfg_strs_push(&src, "theirs2"), 0);
	assert_int_equal(cfg_strs_prepend_copy(&dst, &src), 0);
	assert_int_equal(dst.n, 3);
	assert_string_equal(dst.v[0], "theirs1");
	assert_string_equal(dst.v[2], "mine");
	assert_true(dst.v[0] != src.v[0]);
	assert_true(cfg_strs_contains(&dst, "theirs2"));
	assert_false(cfg_strs_contains(&dst, "other"));
	mint_image_strs_free(&dst);
	mint_image_strs_free(&src);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_config_decode_paths_join_fields_and_indexes),
		cmocka_unit_test(test_config_decode_fields_dispatches_by_name),
		cmocka_unit_test(test_config_decode_fields_null_is_empty_and_unknown_fails),
		cmocka_unit_test(test_config_decode_strs_turns_null_items_into_empty),
		cmocka_unit_test(test_config_decode_kvs_sorts_by_key),
		cmocka_unit_test(test_config_decode_kvs_set_replaces_and_inserts_in_order),
		cmocka_unit_test(test_config_decode_strs_prepend_copy_puts_source_first),
	};
	return cmocka_run_group_tests(tests, NULL, teardown);
}
