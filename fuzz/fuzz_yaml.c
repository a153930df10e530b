/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Fuzzes the YAML document model with small bounds, then walks the whole
 * tree (aliases expanded) through every accessor. The walk must stay within
 * the bounds the parser promised: no deeper than max_depth, no more nodes
 * than max_nodes.
 */
#include <stdint.h>
#include <stdlib.h>

#include "mint/yaml.h"

static const struct mint_yaml_limits limits = { 64 * 1024, 16, 4096 };

struct walk {
	const struct mint_yaml_doc *doc;
	size_t nodes;
};

static void visit_scalar(struct walk *w, const struct mint_yaml_node *n)
{
	char *s = NULL;
	uint64_t u;
	int64_t i;
	bool b;
	if (n->value[n->len] != '\0')
		abort();
	mint_yaml_describe(n);
	mint_yaml_get_string(w->doc, n, "f", &s, NULL, NULL);
	free(s);
	mint_yaml_get_uint(w->doc, n, "f", UINT32_MAX, &u, NULL, NULL);
	mint_yaml_get_int(w->doc, n, "f", INT64_MIN, INT64_MAX, &i, NULL, NULL);
	mint_yaml_get_bool(w->doc, n, "f", &b, NULL, NULL);
}

static void visit(struct walk *w, const struct mint_yaml_node *n, unsigned depth)
{
	static const char *const known[] = { "contents", "archs", "paths", NULL };
	if (depth > limits.max_depth || ++w->nodes > limits.max_nodes)
		abort();
	if (n->line == 0 || n->column == 0)
		abort();
	if (n->kind == MINT_YAML_SCALAR) {
		visit_scalar(w, n);
		return;
	}
	if (n->kind == MINT_YAML_SEQUENCE) {
		for (size_t i = 0; i < n->n; i++)
			visit(w, n->items[i], depth + 1);
		return;
	}
	for (size_t i = 0; i < n->n; i++) {
		mint_yaml_unknown_field(w->doc, n->pairs[i].key, "x", known, NULL);
		visit(w, n->pairs[i].key, depth + 1);
		visit(w, n->pairs[i].value, depth + 1);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct mint_yaml_doc doc;
	struct mint_err err = { 0 };
	if (mint_yaml_parse(MINT_SPAN(data, size), "fuzz.yaml", &limits, &doc, &err))
		return 0;
	struct walk w = { &doc, 0 };
	if (doc.root)
		visit(&w, doc.root, 1);
	mint_yaml_doc_free(&doc);
	return 0;
}
