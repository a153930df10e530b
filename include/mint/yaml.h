/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A small YAML document model over libyaml's event parser, for
 * configuration files (apko image configs, later melange pipelines).
 *
 * The first document of a stream becomes a tree of scalars, sequences and
 * mappings, each node with its 1-based line:column. Anchors and aliases are
 * resolved by sharing the anchored node (the tree is a DAG); merge keys
 * ("<<") are flattened into their mapping. Three bounds keep hostile input
 * cheap: the input size, the nesting depth (counting what aliases add) and
 * the number of nodes the document has once every alias is expanded, which
 * stops "billion laughs". Duplicate keys in a mapping are errors.
 *
 * Scalars are read the way Go's gopkg.in/yaml.v3 reads them into typed
 * fields (apko's parser): plain "~", "null" and "" are null, true/false in
 * three spellings are booleans, integers may be written 0o17, 017, 0x1f,
 * 0b101 or with '_' separators; quoted scalars are always strings. JSON is
 * YAML, so JSON input goes through the same parser.
 *
 * The typed accessors at the end turn a node into a C value or an error that
 * names the file, line and column and the field, e.g.
 * "image.yaml:12:5: field 'entrypoint.command' must be a string, not a mapping".
 */
#ifndef MINT_YAML_H
#define MINT_YAML_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mint/arena.h"
#include "mint/err.h"
#include "mint/span.h"

enum mint_yaml_kind {
	MINT_YAML_SCALAR = 1,
	MINT_YAML_SEQUENCE,
	MINT_YAML_MAPPING,
};

enum mint_yaml_style {
	MINT_YAML_PLAIN,         /* also every sequence and mapping */
	MINT_YAML_SINGLE_QUOTED,
	MINT_YAML_DOUBLE_QUOTED,
	MINT_YAML_LITERAL,       /* | block */
	MINT_YAML_FOLDED,        /* > block */
};

struct mint_yaml_pair;

struct mint_yaml_node {
	enum mint_yaml_kind kind;
	enum mint_yaml_style style;
	unsigned line, column;  /* 1-based, where the node starts */
	const char *tag;        /* explicit tag as libyaml expands it
	                         * ("tag:yaml.org,2002:str"), or NULL */
	/* Scalars: the text, NUL-terminated (it may also hold NUL bytes). */
	const char *value;
	size_t len;
	/* Sequences: n items. Mappings: n pairs, in document order. */
	size_t n;
	struct mint_yaml_node **items;
	struct mint_yaml_pair *pairs;
	/* Bookkeeping for the bounds: nodes and levels once aliases expand. */
	size_t weight;
	unsigned height;
};

struct mint_yaml_pair {
	struct mint_yaml_node *key;
	struct mint_yaml_node *value;
};

struct mint_yaml_limits {
	size_t max_bytes;   /* input size */
	unsigned max_depth; /* nesting levels, aliases included */
	size_t max_nodes;   /* nodes once every alias is expanded */
};

/* 4 MiB, 64 levels, 1 Mi nodes. */
extern const struct mint_yaml_limits mint_yaml_default_limits;

struct mint_yaml_doc {
	struct mint_arena arena;        /* every node and string lives here */
	struct mint_yaml_node *root;    /* NULL when the stream holds no document */
	const char *name;               /* for error messages; in the arena */
};

/* Parses the first document of text. name is what errors call the input
 * ("image.yaml"); limits NULL means mint_yaml_default_limits. Syntax errors
 * are MINT_EFORMAT with line:column, bounds MINT_ELIMIT. On failure doc is
 * left empty (safe to free). */
int mint_yaml_parse(struct mint_span text, const char *name, const struct mint_yaml_limits *limits,
		    struct mint_yaml_doc *doc, struct mint_err *err);
void mint_yaml_doc_free(struct mint_yaml_doc *doc);

/* --- Scalars as yaml.v3 resolves them ---------------------------------- */

enum mint_yaml_scalar_type {
	MINT_YAML_NULL,
	MINT_YAML_BOOL,
	MINT_YAML_INT,
	MINT_YAML_FLOAT,
	MINT_YAML_STR,
	MINT_YAML_OTHER_TAG, /* a tag this model does not interpret */
};

enum mint_yaml_scalar_type mint_yaml_scalar_type(const struct mint_yaml_node *n);
/* True for a missing node (NULL) and for a null scalar. */
bool mint_yaml_is_null(const struct mint_yaml_node *n);
/* "a mapping", "a sequence", "a string", "an integer", "a boolean",
 * "a number", "null": for messages. */
const char *mint_yaml_describe(const struct mint_yaml_node *n);
/* The value of key in a mapping (scalar keys compared as text), or NULL. */
const struct mint_yaml_node *mint_yaml_map_get(const struct mint_yaml_node *map, const char *key);

/* --- Typed accessors ----------------------------------------------------
 * field is the dotted path used in messages ("paths[2].permissions").
 * Each returns 0, or MINT_EFORMAT with the node's file:line:column. A null
 * node leaves the output untouched and sets *present (when given) to false. */

/* Fails with "doc:line:col: <message>" at node n (or the document start). */
int mint_yaml_fail(const struct mint_yaml_doc *doc, const struct mint_yaml_node *n,
		   struct mint_err *err, int code, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));

/* Any non-null scalar, as written: a malloc'd copy in *out. NUL bytes are
 * refused. */
int mint_yaml_get_string(const struct mint_yaml_doc *doc, const struct mint_yaml_node *n,
			 const char *field, char **out, bool *present, struct mint_err *err);
/* An integer in [0, max]. */
int mint_yaml_get_uint(const struct mint_yaml_doc *doc, const struct mint_yaml_node *n,
		       const char *field, uint64_t max, uint64_t *out, bool *present,
		       struct mint_err *err);
/* An integer in [min, max]. */
int mint_yaml_get_int(const struct mint_yaml_doc *doc, const struct mint_yaml_node *n,
		      const char *field, int64_t min, int64_t max, int64_t *out, bool *present,
		      struct mint_err *err);
/* true/false (also True, TRUE, ...) and, as yaml.v3 accepts for booleans,
 * yes/no/on/off/y/n in any quoting. */
int mint_yaml_get_bool(const struct mint_yaml_doc *doc, const struct mint_yaml_node *n,
		       const char *field, bool *out, bool *present, struct mint_err *err);
/* Checks that n is a mapping / sequence. Returns 1 for a null node (treat
 * as absent), 0 when the kind matches, or the error. */
int mint_yaml_want_mapping(const struct mint_yaml_doc *doc, const struct mint_yaml_node *n,
			   const char *field, struct mint_err *err);
int mint_yaml_want_sequence(const struct mint_yaml_doc *doc, const struct mint_yaml_node *n,
			    const char *field, struct mint_err *err);
/* The error for a key that names no known field: it lists known (NULL-
 * terminated) and suggests the closest name when one is near. where is the
 * enclosing field ("" for the top level). */
int mint_yaml_unknown_field(const struct mint_yaml_doc *doc, const struct mint_yaml_node *key,
			    const char *where, const char *const *known, struct mint_err *err);

#endif
