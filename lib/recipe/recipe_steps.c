/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Pipeline steps as a recipe or a pipeline file writes them: the
 * `pipeline:` sequence decoded into struct mint_recipe_step, following
 * melange's Pipeline schema (name, uses, with, runs, working-directory,
 * if, label, environment, needs.packages, nested pipeline). melange's
 * `assertions` and `inputs` are accepted and checked for shape but not
 * kept: assertions only counts steps, and inputs belong to a pipeline
 * file's top level (the pipeline library reads them there).
 *
 * Strings are kept as written; ${{...}} is substituted at expansion. Each
 * step owns a copy of its file name (`file`, freed with the steps) so the
 * steps outlive the YAML document they came from.
 *
 * Not here: substitution (recipe_subst.c) and expansion (pipeline_expand.c).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mint/recipe.h"

/* Nested `pipeline:` levels a step may have; the YAML depth bound keeps
 * this far away, the check keeps the recursion obviously finite. */
#define STEP_MAX_DEPTH 32

struct step_ctx {
	const struct mint_yaml_doc *doc;
	struct mint_err *err;
};

static int steps_decode(struct step_ctx *c, const struct mint_yaml_node *seq, const char *field,
			unsigned depth, struct mint_recipe_step **out, size_t *n);

/* The dotted field path for messages; a very deep one is cut short. */
static void field_path(char *out, size_t cap, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void field_path(char *out, size_t cap, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(out, cap, fmt, ap);
	va_end(ap);
}

static int oom(struct step_ctx *c, const struct mint_yaml_node *n, const char *field)
{
	return mint_yaml_fail(c->doc, n, c->err, MINT_ENOMEM, "out of memory reading '%s'", field);
}

static int kv_order(const void *a, const void *b)
{
	return strcmp(((const struct mint_image_kv *)a)->key, ((const struct mint_image_kv *)b)->key);
}

/* A mapping of strings (with, environment); null values become "". */
static int decode_kvs(struct step_ctx *c, const struct mint_yaml_node *map, const char *field,
		      struct mint_image_kvs *out)
{
	char sub[256];
	int rc = mint_yaml_want_mapping(c->doc, map, field, c->err);
	if (rc)
		return rc > 0 ? 0 : rc;
	if (!map->n)
		return 0;
	out->v = calloc(map->n, sizeof(*out->v));
	if (!out->v)
		return oom(c, map, field);
	for (size_t i = 0; i < map->n; i++) {
		const struct mint_yaml_pair *p = &map->pairs[i];
		struct mint_image_kv *kv = &out->v[out->n++];
		if (p->key->kind != MINT_YAML_SCALAR || mint_yaml_is_null(p->key))
			return mint_yaml_fail(c->doc, p->key, c->err, MINT_EFORMAT,
					      "keys of '%s' must be strings, not %s", field,
					      mint_yaml_describe(p->key));
		if ((rc = mint_yaml_get_string(c->doc, p->key, field, &kv->key, NULL, c->err)))
			return rc;
		field_path(sub, sizeof(sub), "%s.%s", field, kv->key);
		if ((rc = mint_yaml_get_string(c->doc, p->value, sub, &kv->value, NULL, c->err)))
			return rc;
		if (!kv->value && !(kv->value = strdup("")))
			return oom(c, p->value, sub);
	}
	qsort(out->v, out->n, sizeof(*out->v), kv_order);
	return 0;
}

static int decode_strs(struct step_ctx *c, const struct mint_yaml_node *seq, const char *field,
		       struct mint_image_strs *out)
{
	char sub[256];
	int rc = mint_yaml_want_sequence(c->doc, seq, field, c->err);
	if (rc)
		return rc > 0 ? 0 : rc;
	if (!seq->n)
		return 0;
	out->v = calloc(seq->n, sizeof(*out->v));
	if (!out->v)
		return oom(c, seq, field);
	for (size_t i = 0; i < seq->n; i++) {
		field_path(sub, sizeof(sub), "%s[%zu]", field, i);
		if (seq->items[i]->kind != MINT_YAML_SCALAR || mint_yaml_is_null(seq->items[i]))
			return mint_yaml_fail(c->doc, seq->items[i], c->err, MINT_EFORMAT,
					      "field '%s' must be a string, not %s", sub,
					      mint_yaml_describe(seq->items[i]));
		if ((rc = mint_yaml_get_string(c->doc, seq->items[i], sub, &out->v[out->n++], NULL,
					       c->err)))
			return rc;
	}
	return 0;
}

static int decode_needs(struct step_ctx *c, const struct mint_yaml_node *map, const char *field,
			struct mint_image_strs *out)
{
	static const char *const known[] = { "packages", NULL };
	char sub[256];
	int rc = mint_yaml_want_mapping(c->doc, map, field, c->err);
	if (rc)
		return rc > 0 ? 0 : rc;
	for (size_t i = 0; i < map->n; i++) {
		const struct mint_yaml_node *k = map->pairs[i].key;
		if (k->kind != MINT_YAML_SCALAR || strcmp(k->value, "packages"))
			return mint_yaml_unknown_field(c->doc, k, field, known, c->err);
	}
	field_path(sub, sizeof(sub), "%s.packages", field);
	return decode_strs(c, mint_yaml_map_get(map, "packages"), sub, out);
}

/* assertions: {required-steps: N}; melange counts steps with it, mint
 * runs every step and fails on the first error, so it is only checked. */
static int check_assertions(struct step_ctx *c, const struct mint_yaml_node *map,
			    const char *field)
{
	static const char *const known[] = { "required-steps", NULL };
	char sub[256];
	uint64_t v;
	int rc = mint_yaml_want_mapping(c->doc, map, field, c->err);
	if (rc)
		return rc > 0 ? 0 : rc;
	for (size_t i = 0; i < map->n; i++) {
		const struct mint_yaml_node *k = map->pairs[i].key;
		if (k->kind != MINT_YAML_SCALAR || strcmp(k->value, "required-steps"))
			return mint_yaml_unknown_field(c->doc, k, field, known, c->err);
		field_path(sub, sizeof(sub), "%s.required-steps", field);
		if ((rc = mint_yaml_get_uint(c->doc, map->pairs[i].value, sub, INT32_MAX, &v, NULL,
					     c->err)))
			return rc;
	}
	return 0;
}

static int get_str(struct step_ctx *c, const struct mint_yaml_node *v, const char *field,
		   const char *key, char **out)
{
	char sub[256];
	field_path(sub, sizeof(sub), "%s.%s", field, key);
	if (v && v->kind != MINT_YAML_SCALAR)
		return mint_yaml_fail(c->doc, v, c->err, MINT_EFORMAT,
				      "field '%s' must be a string, not %s", sub,
				      mint_yaml_describe(v));
	return mint_yaml_get_string(c->doc, v, sub, out, NULL, c->err);
}

static int decode_field(struct step_ctx *c, const struct mint_yaml_node *k,
			const struct mint_yaml_node *v, const char *field, unsigned depth,
			struct mint_recipe_step *s)
{
	static const char *const known[] = { "assertions", "environment", "if", "inputs",
					     "label", "name", "needs", "pipeline", "runs",
					     "uses", "with", "working-directory", NULL };
	char sub[256];
	const char *key = k->kind == MINT_YAML_SCALAR ? k->value : "";
	field_path(sub, sizeof(sub), "%s.%s", field, key);
	if (!strcmp(key, "name"))
		return get_str(c, v, field, key, &s->name);
	if (!strcmp(key, "uses"))
		return get_str(c, v, field, key, &s->uses);
	if (!strcmp(key, "runs"))
		return get_str(c, v, field, key, &s->runs);
	if (!strcmp(key, "working-directory"))
		return get_str(c, v, field, key, &s->working_directory);
	if (!strcmp(key, "if"))
		return get_str(c, v, field, key, &s->if_expr);
	if (!strcmp(key, "label"))
		return get_str(c, v, field, key, &s->label);
	if (!strcmp(key, "with"))
		return decode_kvs(c, v, sub, &s->with);
	if (!strcmp(key, "environment"))
		return decode_kvs(c, v, sub, &s->environment);
	if (!strcmp(key, "needs"))
		return decode_needs(c, v, sub, &s->needs_packages);
	if (!strcmp(key, "pipeline"))
		return steps_decode(c, v, sub, depth + 1, &s->pipeline, &s->n_pipeline);
	if (!strcmp(key, "assertions"))
		return check_assertions(c, v, sub);
	if (!strcmp(key, "inputs")) {
		int rc = mint_yaml_want_mapping(c->doc, v, sub, c->err);
		return rc > 0 ? 0 : rc;
	}
	return mint_yaml_unknown_field(c->doc, k, field, known, c->err);
}

/* The rules between fields, checked once the step is read. */
static int check_step(struct step_ctx *c, const struct mint_yaml_node *map, const char *field,
		      const struct mint_recipe_step *s)
{
	if (s->uses && s->runs)
		return mint_yaml_fail(c->doc, map, c->err, MINT_EFORMAT,
				      "step '%s' has both 'uses' and 'runs'", field);
	if (s->uses && s->n_pipeline)
		return mint_yaml_fail(c->doc, map, c->err, MINT_EFORMAT,
				      "step '%s' has both 'uses' and 'pipeline'", field);
	if (s->with.n && !s->uses)
		return mint_yaml_fail(c->doc, map, c->err, MINT_EFORMAT,
				      "step '%s' has 'with' but no 'uses'", field);
	if (s->uses && !s->uses[0])
		return mint_yaml_fail(c->doc, map, c->err, MINT_EFORMAT,
				      "step '%s' has an empty 'uses'", field);
	return 0;
}

static int step_decode(struct step_ctx *c, const struct mint_yaml_node *map, const char *field,
		       unsigned depth, struct mint_recipe_step *s)
{
	int rc = mint_yaml_want_mapping(c->doc, map, field, c->err);
	if (rc > 0)
		return mint_yaml_fail(c->doc, map, c->err, MINT_EFORMAT,
				      "step '%s' must be a mapping, not null", field);
	if (rc)
		return rc;
	s->line = map->line;
	s->column = map->column;
	if (!(s->file = strdup(c->doc->name ? c->doc->name : "")))
		return oom(c, map, field);
	for (size_t i = 0; i < map->n; i++)
		if ((rc = decode_field(c, map->pairs[i].key, map->pairs[i].value, field, depth, s)))
			return rc;
	return check_step(c, map, field, s);
}

static int steps_decode(struct step_ctx *c, const struct mint_yaml_node *seq, const char *field,
			unsigned depth, struct mint_recipe_step **out, size_t *n)
{
	char sub[256];
	int rc;
	if (depth > STEP_MAX_DEPTH)
		return mint_yaml_fail(c->doc, seq, c->err, MINT_ELIMIT,
				      "'%s' nests pipelines deeper than %d levels", field,
				      STEP_MAX_DEPTH);
	if ((rc = mint_yaml_want_sequence(c->doc, seq, field, c->err)))
		return rc > 0 ? 0 : rc;
	if (!seq->n)
		return 0;
	*out = calloc(seq->n, sizeof(**out));
	if (!*out)
		return oom(c, seq, field);
	for (size_t i = 0; i < seq->n; i++) {
		field_path(sub, sizeof(sub), "%s[%zu]", field, i);
		(*n)++;
		if ((rc = step_decode(c, seq->items[i], sub, depth, &(*out)[i])))
			return rc;
	}
	return 0;
}

int mint_recipe_parse_steps(const struct mint_yaml_doc *doc, const struct mint_yaml_node *seq,
			    const char *field, struct mint_recipe_step **out, size_t *n,
			    struct mint_err *err)
{
	struct step_ctx c = { doc, err };
	*out = NULL;
	*n = 0;
	int rc = steps_decode(&c, seq, field ? field : "pipeline", 0, out, n);
	if (rc) {
		mint_recipe_steps_free(*out, *n);
		*out = NULL;
		*n = 0;
	}
	return rc;
}

static void kvs_free(struct mint_image_kvs *kv)
{
	for (size_t i = 0; i < kv->n; i++) {
		free(kv->v[i].key);
		free(kv->v[i].value);
	}
	free(kv->v);
}

void mint_recipe_steps_free(struct mint_recipe_step *steps, size_t n)
{
	for (size_t i = 0; steps && i < n; i++) {
		struct mint_recipe_step *s = &steps[i];
		free(s->name);
		free(s->uses);
		kvs_free(&s->with);
		free(s->runs);
		free(s->working_directory);
		free(s->if_expr);
		free(s->label);
		kvs_free(&s->environment);
		mint_image_strs_free(&s->needs_packages);
		mint_recipe_steps_free(s->pipeline, s->n_pipeline);
		/* Owned: see the comment at the top of the file. */
		free((char *)s->file);
	}
	free(steps);
}
