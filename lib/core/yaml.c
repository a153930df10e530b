/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The YAML document model (see mint/yaml.h): libyaml's events are folded
 * into a tree in an arena freed at once, with the bounds checked
 * as each event arrives so that hostile input is refused before it costs
 * anything. Scalar resolution
 * and the typed accessors are in yaml_get.c.
 */
#include "mint/yaml.h"

#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "mint/hashmap.h"

const struct mint_yaml_limits mint_yaml_default_limits = {
	.max_bytes = 4u << 20,
	.max_depth = 64,
	.max_nodes = 1u << 20,
};

#define MERGE_TAG "tag:yaml.org,2002:merge"
/* Mappings with more pairs than this find duplicate keys by hashing. */
#define LINEAR_DUP_CHECK 16

static void *doc_new(struct mint_yaml_doc *doc, size_t size)
{
	return mint_arena_alloc(&doc->arena, size);
}

static char *doc_strdup(struct mint_yaml_doc *doc, struct mint_span s)
{
	return mint_arena_strdup(&doc->arena, s);
}

/* A collection still open: its children so far (for a mapping, keys and
 * values alternate). */
struct frame {
	struct mint_yaml_node *node;
	struct mint_yaml_node **kids;
	size_t n, cap;
	char *anchor;
};

struct builder {
	yaml_parser_t parser;
	struct mint_yaml_doc *doc;
	struct mint_yaml_limits lim;
	struct frame *stack;
	unsigned depth;
	struct mint_hashmap anchors;
	size_t total; /* nodes so far, aliases expanded */
	bool done;
	struct mint_err *err;
};

static int fail_at(struct builder *b, unsigned line, unsigned column, int code, const char *fmt,
		   const char *arg)
{
	mint_err_set(b->err, code, fmt, arg);
	if (line)
		mint_err_set_pos(b->err, line, column);
	mint_err_set_file(b->err, b->doc->name);
	return code;
}

static int oom(struct builder *b)
{
	mint_err_set_file(b->err, b->doc->name);
	return mint_err_set(b->err, MINT_ENOMEM, "out of memory while reading YAML");
}

static int syntax_error(struct builder *b)
{
	yaml_parser_t *p = &b->parser;
	if (p->error == YAML_MEMORY_ERROR)
		return oom(b);
	const char *problem = p->problem ? p->problem : "malformed YAML";
	if (p->error == YAML_READER_ERROR) {
		mint_err_set(b->err, MINT_EFORMAT, "YAML: %s", problem);
		mint_err_set_offset(b->err, p->problem_offset);
		mint_err_set_file(b->err, b->doc->name);
		return MINT_EFORMAT;
	}
	if (p->context)
		mint_err_set(b->err, MINT_EFORMAT, "YAML syntax: %s (%s)", problem, p->context);
	else
		mint_err_set(b->err, MINT_EFORMAT, "YAML syntax: %s", problem);
	mint_err_set_pos(b->err, (unsigned)p->problem_mark.line + 1,
			 (unsigned)p->problem_mark.column + 1);
	mint_err_set_file(b->err, b->doc->name);
	return MINT_EFORMAT;
}

static int count_nodes(struct builder *b, size_t n, const yaml_mark_t *m)
{
	if (n > b->lim.max_nodes - b->total) {
		mint_err_set(b->err, MINT_ELIMIT,
			     "document expands to more than %zu nodes (aliases included)",
			     b->lim.max_nodes);
		mint_err_set_pos(b->err, (unsigned)m->line + 1, (unsigned)m->column + 1);
		mint_err_set_file(b->err, b->doc->name);
		return MINT_ELIMIT;
	}
	b->total += n;
	return 0;
}

static int check_depth(struct builder *b, unsigned extra, const yaml_mark_t *m)
{
	if (b->depth + extra > b->lim.max_depth) {
		mint_err_set(b->err, MINT_ELIMIT, "YAML nested deeper than %u levels",
			     b->lim.max_depth);
		mint_err_set_pos(b->err, (unsigned)m->line + 1, (unsigned)m->column + 1);
		mint_err_set_file(b->err, b->doc->name);
		return MINT_ELIMIT;
	}
	return 0;
}

static struct mint_yaml_node *new_node(struct builder *b, enum mint_yaml_kind kind,
				       const yaml_mark_t *m, const yaml_char_t *tag)
{
	struct mint_yaml_node *n = doc_new(b->doc, sizeof(*n));
	if (!n)
		return NULL;
	memset(n, 0, sizeof(*n));
	n->kind = kind;
	n->line = (unsigned)m->line + 1;
	n->column = (unsigned)m->column + 1;
	n->weight = 1;
	n->height = 1;
	if (tag) {
		n->tag = doc_strdup(b->doc, mint_span_str((const char *)tag));
		if (!n->tag)
			return NULL;
	}
	return n;
}

static int define_anchor(struct builder *b, const char *name, struct mint_yaml_node *n)
{
	if (!name)
		return 0;
	/* A redefined anchor replaces the old one for later aliases. */
	return mint_hashmap_put(&b->anchors, mint_span_str(name), n) ? oom(b) : 0;
}

static char *copy_anchor(struct builder *b, const yaml_char_t *anchor)
{
	return doc_strdup(b->doc, mint_span_str((const char *)anchor));
}

/* Hands a finished node to its parent (or makes it the root). */
static int attach(struct builder *b, struct mint_yaml_node *n)
{
	if (b->depth == 0) {
		b->doc->root = n;
		return 0;
	}
	struct frame *f = &b->stack[b->depth - 1];
	if (f->n == f->cap) {
		size_t cap = f->cap ? f->cap * 2 : 8;
		struct mint_yaml_node **k = realloc(f->kids, cap * sizeof(*k));
		if (!k)
			return oom(b);
		f->kids = k;
		f->cap = cap;
	}
	f->kids[f->n++] = n;
	/* Cannot overflow: every weight is part of b->total, which is bounded. */
	f->node->weight += n->weight;
	if (n->height + 1 > f->node->height)
		f->node->height = n->height + 1;
	return 0;
}

static enum mint_yaml_style scalar_style(yaml_scalar_style_t s)
{
	switch (s) {
	case YAML_SINGLE_QUOTED_SCALAR_STYLE:
		return MINT_YAML_SINGLE_QUOTED;
	case YAML_DOUBLE_QUOTED_SCALAR_STYLE:
		return MINT_YAML_DOUBLE_QUOTED;
	case YAML_LITERAL_SCALAR_STYLE:
		return MINT_YAML_LITERAL;
	case YAML_FOLDED_SCALAR_STYLE:
		return MINT_YAML_FOLDED;
	default:
		return MINT_YAML_PLAIN;
	}
}

static int on_scalar(struct builder *b, const yaml_event_t *e)
{
	int rc = count_nodes(b, 1, &e->start_mark);
	if (rc)
		return rc;
	if ((rc = check_depth(b, 1, &e->start_mark)))
		return rc;
	struct mint_yaml_node *n = new_node(b, MINT_YAML_SCALAR, &e->start_mark,
					    e->data.scalar.tag);
	if (!n)
		return oom(b);
	n->style = scalar_style(e->data.scalar.style);
	n->len = e->data.scalar.length;
	n->value = doc_strdup(b->doc, MINT_SPAN(e->data.scalar.value, e->data.scalar.length));
	if (!n->value)
		return oom(b);
	if (e->data.scalar.anchor) {
		char *name = copy_anchor(b, e->data.scalar.anchor);
		if (!name || define_anchor(b, name, n))
			return oom(b);
	}
	return attach(b, n);
}

static int on_alias(struct builder *b, const yaml_event_t *e)
{
	const char *name = (const char *)e->data.alias.anchor;
	void *target;
	if (!mint_hashmap_get(&b->anchors, mint_span_str(name), &target))
		return fail_at(b, (unsigned)e->start_mark.line + 1,
			       (unsigned)e->start_mark.column + 1, MINT_EFORMAT,
			       "alias '*%s' names no finished anchor before it", name);
	struct mint_yaml_node *n = target;
	int rc = count_nodes(b, n->weight, &e->start_mark);
	if (rc)
		return rc;
	if ((rc = check_depth(b, n->height, &e->start_mark)))
		return rc;
	return attach(b, n);
}

static int on_start(struct builder *b, const yaml_event_t *e, enum mint_yaml_kind kind)
{
	const yaml_char_t *tag = kind == MINT_YAML_MAPPING ? e->data.mapping_start.tag
							   : e->data.sequence_start.tag;
	const yaml_char_t *anchor = kind == MINT_YAML_MAPPING ? e->data.mapping_start.anchor
							      : e->data.sequence_start.anchor;
	int rc = count_nodes(b, 1, &e->start_mark);
	if (rc)
		return rc;
	if ((rc = check_depth(b, 1, &e->start_mark)))
		return rc;
	struct mint_yaml_node *n = new_node(b, kind, &e->start_mark, tag);
	if (!n)
		return oom(b);
	struct frame *f = &b->stack[b->depth++];
	memset(f, 0, sizeof(*f));
	f->node = n;
	if (anchor && !(f->anchor = copy_anchor(b, anchor)))
		return oom(b);
	return 0;
}

static bool is_merge_key(const struct mint_yaml_node *k)
{
	if (k->kind != MINT_YAML_SCALAR || k->len != 2 || memcmp(k->value, "<<", 2))
		return false;
	if (k->tag)
		return !strcmp(k->tag, MERGE_TAG);
	return k->style == MINT_YAML_PLAIN;
}

static bool same_key(const struct mint_yaml_node *a, const struct mint_yaml_node *b)
{
	return a->kind == MINT_YAML_SCALAR && b->kind == MINT_YAML_SCALAR && a->len == b->len &&
	       !memcmp(a->value, b->value, a->len);
}

/* Index of the first pair in pairs[0..n) with key k, or -1. With a map
 * (built for large mappings) the lookup is by hash. */
static long find_key(const struct mint_yaml_pair *pairs, size_t n, const struct mint_hashmap *idx,
		     const struct mint_yaml_node *k)
{
	if (k->kind != MINT_YAML_SCALAR)
		return -1;
	if (idx) {
		void *v;
		if (!mint_hashmap_get(idx, MINT_SPAN(k->value, k->len), &v))
			return -1;
		return (long)(uintptr_t)v;
	}
	for (size_t i = 0; i < n; i++)
		if (same_key(pairs[i].key, k))
			return (long)i;
	return -1;
}

struct pairs {
	struct mint_yaml_pair *v;
	size_t n, cap;
	struct mint_hashmap idx; /* key text -> index, once n passes LINEAR_DUP_CHECK */
	bool indexed;
};

static int pairs_add(struct builder *b, struct pairs *p, struct mint_yaml_node *k,
		     struct mint_yaml_node *v)
{
	if (p->n == p->cap) {
		size_t cap = p->cap ? p->cap * 2 : 8;
		struct mint_yaml_pair *nv = realloc(p->v, cap * sizeof(*nv));
		if (!nv)
			return oom(b);
		p->v = nv;
		p->cap = cap;
	}
	p->v[p->n] = (struct mint_yaml_pair){ k, v };
	p->n++;
	if (!p->indexed && p->n > LINEAR_DUP_CHECK) {
		p->indexed = true;
		for (size_t i = 0; i < p->n; i++)
			if (p->v[i].key->kind == MINT_YAML_SCALAR &&
			    mint_hashmap_put(&p->idx,
					     MINT_SPAN(p->v[i].key->value, p->v[i].key->len),
					     (void *)(uintptr_t)i))
				return oom(b);
	} else if (p->indexed && k->kind == MINT_YAML_SCALAR) {
		if (mint_hashmap_put(&p->idx, MINT_SPAN(k->value, k->len),
				     (void *)(uintptr_t)(p->n - 1)))
			return oom(b);
	}
	return 0;
}

static long pairs_find(const struct pairs *p, const struct mint_yaml_node *k)
{
	return find_key(p->v, p->n, p->indexed ? &p->idx : NULL, k);
}

/* Adds the pairs of one merged mapping that the mapping does not have yet:
 * explicit keys win, then earlier merge sources (as yaml.v3 does). */
static int merge_source(struct builder *b, struct pairs *p, const struct mint_yaml_node *src,
			const struct mint_yaml_node *at)
{
	if (src->kind != MINT_YAML_MAPPING) {
		mint_err_set(b->err, MINT_EFORMAT,
			     "merge key '<<' wants a mapping or a sequence of mappings");
		mint_err_set_pos(b->err, at->line, at->column);
		mint_err_set_file(b->err, b->doc->name);
		return MINT_EFORMAT;
	}
	yaml_mark_t m = { 0, at->line - 1, at->column - 1 };
	int rc = count_nodes(b, src->n, &m);
	if (rc)
		return rc;
	for (size_t i = 0; i < src->n; i++) {
		if (pairs_find(p, src->pairs[i].key) >= 0)
			continue;
		if ((rc = pairs_add(b, p, src->pairs[i].key, src->pairs[i].value)))
			return rc;
	}
	return 0;
}

static int duplicate_key(struct builder *b, const struct mint_yaml_node *k,
			 const struct mint_yaml_node *first)
{
	mint_err_set(b->err, MINT_EFORMAT, "duplicate key '%.*s' (first at line %u)",
		     (int)(k->len > 200 ? 200 : k->len), k->value, first->line);
	mint_err_set_pos(b->err, k->line, k->column);
	mint_err_set_file(b->err, b->doc->name);
	return MINT_EFORMAT;
}

static int merge_all(struct builder *b, struct pairs *p, struct frame *f)
{
	for (size_t i = 0; i + 1 < f->n; i += 2) {
		if (!is_merge_key(f->kids[i]))
			continue;
		const struct mint_yaml_node *v = f->kids[i + 1];
		if (v->kind != MINT_YAML_SEQUENCE)
			return merge_source(b, p, v, v);
		int rc = 0;
		for (size_t j = 0; j < v->n && !rc; j++)
			rc = merge_source(b, p, v->items[j], v->items[j]);
		return rc;
	}
	return 0;
}

/* Builds the pairs of a finished mapping: explicit keys in order (checked
 * for duplicates), then what merge keys bring in. */
static int close_mapping(struct builder *b, struct frame *f)
{
	struct pairs p = { 0 };
	const struct mint_yaml_node *merge = NULL;
	int rc = 0;
	for (size_t i = 0; i + 1 < f->n && !rc; i += 2) {
		struct mint_yaml_node *k = f->kids[i];
		long at;
		if (is_merge_key(k) && merge)
			rc = duplicate_key(b, k, merge);
		else if (is_merge_key(k))
			merge = k;
		else if ((at = pairs_find(&p, k)) >= 0)
			rc = duplicate_key(b, k, p.v[at].key);
		else
			rc = pairs_add(b, &p, k, f->kids[i + 1]);
	}
	if (!rc && merge)
		rc = merge_all(b, &p, f);
	if (!rc && p.n) {
		f->node->pairs = doc_new(b->doc, p.n * sizeof(*p.v));
		if (!f->node->pairs)
			rc = oom(b);
		else
			memcpy(f->node->pairs, p.v, p.n * sizeof(*p.v));
	}
	f->node->n = p.n;
	free(p.v);
	mint_hashmap_free(&p.idx);
	return rc;
}

static int close_sequence(struct builder *b, struct frame *f)
{
	f->node->n = f->n;
	if (!f->n)
		return 0;
	f->node->items = doc_new(b->doc, f->n * sizeof(*f->kids));
	if (!f->node->items)
		return oom(b);
	memcpy(f->node->items, f->kids, f->n * sizeof(*f->kids));
	return 0;
}

static int on_end(struct builder *b)
{
	struct frame *f = &b->stack[b->depth - 1];
	int rc = f->node->kind == MINT_YAML_MAPPING ? close_mapping(b, f) : close_sequence(b, f);
	free(f->kids);
	f->kids = NULL;
	if (rc)
		return rc;
	struct mint_yaml_node *n = f->node;
	const char *anchor = f->anchor;
	b->depth--;
	if ((rc = define_anchor(b, anchor, n)))
		return rc;
	return attach(b, n);
}

static int on_event(struct builder *b, const yaml_event_t *e)
{
	switch (e->type) {
	case YAML_SCALAR_EVENT:
		return on_scalar(b, e);
	case YAML_ALIAS_EVENT:
		return on_alias(b, e);
	case YAML_SEQUENCE_START_EVENT:
		return on_start(b, e, MINT_YAML_SEQUENCE);
	case YAML_MAPPING_START_EVENT:
		return on_start(b, e, MINT_YAML_MAPPING);
	case YAML_SEQUENCE_END_EVENT:
	case YAML_MAPPING_END_EVENT:
		return on_end(b);
	case YAML_DOCUMENT_END_EVENT:
	case YAML_STREAM_END_EVENT:
		/* Only the first document counts, as for yaml.v3's Decoder. */
		b->done = true;
		return 0;
	default:
		return 0;
	}
}

static int run(struct builder *b, struct mint_span text)
{
	if (!yaml_parser_initialize(&b->parser))
		return oom(b);
	yaml_parser_set_input_string(&b->parser, (const unsigned char *)text.ptr, text.len);
	yaml_parser_set_encoding(&b->parser, YAML_UTF8_ENCODING);
	int rc = 0;
	while (!rc && !b->done) {
		yaml_event_t e;
		if (!yaml_parser_parse(&b->parser, &e)) {
			rc = syntax_error(b);
			break;
		}
		rc = on_event(b, &e);
		yaml_event_delete(&e);
	}
	yaml_parser_delete(&b->parser);
	return rc;
}

int mint_yaml_parse(struct mint_span text, const char *name, const struct mint_yaml_limits *limits,
		    struct mint_yaml_doc *doc, struct mint_err *err)
{
	struct builder b = { .doc = doc, .err = err };
	memset(doc, 0, sizeof(*doc));
	b.lim = limits ? *limits : mint_yaml_default_limits;
	doc->name = doc_strdup(doc, mint_span_str(name ? name : "<yaml>"));
	if (!doc->name)
		return mint_err_set(err, MINT_ENOMEM, "out of memory while reading YAML");
	int rc;
	if (text.len > b.lim.max_bytes) {
		rc = mint_err_set(err, MINT_ELIMIT, "YAML input is %zu bytes, more than the limit of %zu",
				  text.len, b.lim.max_bytes);
		mint_err_set_file(err, doc->name);
		goto out;
	}
	b.stack = calloc(b.lim.max_depth + 1, sizeof(*b.stack));
	if (!b.stack) {
		rc = oom(&b);
		goto out;
	}
	rc = run(&b, text);
out:
	for (unsigned i = 0; b.stack && i < b.depth; i++)
		free(b.stack[i].kids);
	free(b.stack);
	mint_hashmap_free(&b.anchors);
	if (rc) {
		mint_yaml_doc_free(doc);
	}
	return rc;
}

void mint_yaml_doc_free(struct mint_yaml_doc *doc)
{
	mint_arena_free(&doc->arena);
	doc->root = NULL;
	doc->name = NULL;
}
