/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The building blocks of the image-config parser (config_internal.h): a
 * mapping read through a table of fields, string lists and string maps read
 * from YAML, and the small owned containers they fill.
 */
#include "config_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_FIELDS 24

void cfg_path_field(char *out, const char *parent, const char *name)
{
	if (*parent)
		snprintf(out, CFG_PATH_MAX, "%s.%s", parent, name);
	else
		snprintf(out, CFG_PATH_MAX, "%s", name);
}

void cfg_path_index(char *out, const char *parent, size_t i)
{
	snprintf(out, CFG_PATH_MAX, "%s[%zu]", parent, i);
}

static const struct cfg_field *find_field(const struct mint_yaml_node *key,
					  const struct cfg_field *fields, size_t n)
{
	if (key->kind != MINT_YAML_SCALAR)
		return NULL;
	for (size_t i = 0; i < n; i++)
		if (strlen(fields[i].name) == key->len && !memcmp(fields[i].name, key->value, key->len))
			return &fields[i];
	return NULL;
}

static int unknown(struct cfg_ctx *c, const struct mint_yaml_node *key, const char *path,
		   const struct cfg_field *fields, size_t n)
{
	const char *known[MAX_FIELDS + 1];
	size_t k = 0;
	for (; k < n && k < MAX_FIELDS; k++)
		known[k] = fields[k].name;
	known[k] = NULL;
	return mint_yaml_unknown_field(c->doc, key, path, known, c->err);
}

int cfg_decode_fields(struct cfg_ctx *c, const struct mint_yaml_node *map, const char *path,
		      const struct cfg_field *fields, size_t n, void *obj)
{
	int rc = mint_yaml_want_mapping(c->doc, map, path, c->err);
	if (rc)
		return rc > 0 ? 0 : rc;
	for (size_t i = 0; i < map->n; i++) {
		const struct mint_yaml_node *key = map->pairs[i].key;
		const struct cfg_field *f = find_field(key, fields, n);
		if (!f)
			return unknown(c, key, path, fields, n);
		char sub[CFG_PATH_MAX];
		cfg_path_field(sub, path, f->name);
		if ((rc = f->decode(c, map->pairs[i].value, sub, obj)))
			return rc;
	}
	return 0;
}

bool cfg_empty(const char *s)
{
	return !s || !*s;
}

int cfg_strdup(char **dst, const char *src)
{
	*dst = NULL;
	if (!src)
		return 0;
	*dst = strdup(src);
	return *dst ? 0 : MINT_ENOMEM;
}

static int strs_grow(struct mint_image_strs *l, size_t extra)
{
	if (extra > SIZE_MAX / sizeof(char *) - l->n)
		return MINT_ENOMEM;
	char **v = realloc(l->v, (l->n + extra) * sizeof(char *) + 1);
	if (!v)
		return MINT_ENOMEM;
	l->v = v;
	return 0;
}

int cfg_strs_push(struct mint_image_strs *l, const char *s)
{
	char *copy = strdup(s);
	if (!copy || strs_grow(l, 1)) {
		free(copy);
		return MINT_ENOMEM;
	}
	l->v[l->n++] = copy;
	return 0;
}

bool cfg_strs_contains(const struct mint_image_strs *l, const char *s)
{
	for (size_t i = 0; i < l->n; i++)
		if (!strcmp(l->v[i], s))
			return true;
	return false;
}

int cfg_strs_prepend_copy(struct mint_image_strs *dst, const struct mint_image_strs *src)
{
	if (!src->n)
		return 0;
	struct mint_image_strs out = { 0 };
	if (strs_grow(&out, src->n + dst->n))
		return MINT_ENOMEM;
	for (size_t i = 0; i < src->n; i++) {
		if (!(out.v[i] = strdup(src->v[i]))) {
			mint_image_strs_free(&out);
			return MINT_ENOMEM;
		}
		out.n++;
	}
	for (size_t i = 0; i < dst->n; i++)
		out.v[out.n++] = dst->v[i];
	free(dst->v);
	*dst = out;
	return 0;
}

void mint_image_strs_free(struct mint_image_strs *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
	l->v = NULL;
	l->n = 0;
}

/* Where key is, or where it would go (*found false). */
static size_t kvs_find(const struct mint_image_kvs *m, const char *key, bool *found)
{
	size_t lo = 0, hi = m->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int cmp = strcmp(m->v[mid].key, key);
		if (!cmp) {
			*found = true;
			return mid;
		}
		if (cmp < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	*found = false;
	return lo;
}

const struct mint_image_kv *cfg_kvs_get(const struct mint_image_kvs *m, const char *key)
{
	bool found;
	size_t at = kvs_find(m, key, &found);
	return found ? &m->v[at] : NULL;
}

int cfg_kvs_set(struct mint_image_kvs *m, const char *key, const char *value)
{
	bool found;
	size_t at = kvs_find(m, key, &found);
	char *v = strdup(value);
	if (!v)
		return MINT_ENOMEM;
	if (found) {
		free(m->v[at].value);
		m->v[at].value = v;
		return 0;
	}
	char *k = strdup(key);
	struct mint_image_kv *nv = k ? realloc(m->v, (m->n + 1) * sizeof(*nv)) : NULL;
	if (!nv) {
		free(k);
		free(v);
		return MINT_ENOMEM;
	}
	m->v = nv;
	memmove(&m->v[at + 1], &m->v[at], (m->n - at) * sizeof(*nv));
	m->v[at] = (struct mint_image_kv){ k, v };
	m->n++;
	return 0;
}

void cfg_kvs_free(struct mint_image_kvs *m)
{
	for (size_t i = 0; i < m->n; i++) {
		free(m->v[i].key);
		free(m->v[i].value);
	}
	free(m->v);
	m->v = NULL;
	m->n = 0;
}

static int oom(struct cfg_ctx *c, const struct mint_yaml_node *n, const char *path)
{
	return mint_yaml_fail(c->doc, n, c->err, MINT_ENOMEM, "out of memory reading '%s'", path);
}

int cfg_decode_str(struct cfg_ctx *c, const struct mint_yaml_node *v, const char *path,
		   char **out)
{
	return mint_yaml_get_string(c->doc, v, path, out, NULL, c->err);
}

int cfg_decode_strs(struct cfg_ctx *c, const struct mint_yaml_node *seq, const char *path,
		    struct mint_image_strs *out)
{
	int rc = mint_yaml_want_sequence(c->doc, seq, path, c->err);
	mint_image_strs_free(out);
	if (rc)
		return rc > 0 ? 0 : rc;
	for (size_t i = 0; i < seq->n; i++) {
		char sub[CFG_PATH_MAX];
		char *s = NULL;
		cfg_path_index(sub, path, i);
		if ((rc = mint_yaml_get_string(c->doc, seq->items[i], sub, &s, NULL, c->err)))
			return rc;
		rc = cfg_strs_push(out, s ? s : "");
		free(s);
		if (rc)
			return oom(c, seq->items[i], sub);
	}
	return 0;
}

int cfg_refuse_empty_items(struct cfg_ctx *c, const struct mint_yaml_node *seq,
			   const char *path, const struct mint_image_strs *l)
{
	for (size_t i = 0; i < l->n; i++)
		if (!*l->v[i])
			return mint_yaml_fail(c->doc, seq->items[i], c->err, MINT_EFORMAT,
					      "'%s[%zu]' is empty", path, i);
	return 0;
}

static int kv_order(const void *a, const void *b)
{
	return strcmp(((const struct mint_image_kv *)a)->key, ((const struct mint_image_kv *)b)->key);
}

/* Reads one key: value pair into *kv (both strings owned by kv). */
static int decode_kv(struct cfg_ctx *c, const struct mint_yaml_pair *p, const char *path,
		     struct mint_image_kv *kv)
{
	char sub[CFG_PATH_MAX];
	if (p->key->kind != MINT_YAML_SCALAR || mint_yaml_is_null(p->key))
		return mint_yaml_fail(c->doc, p->key, c->err, MINT_EFORMAT,
				      "keys of '%s' must be strings, not %s", path,
				      mint_yaml_describe(p->key));
	int rc = mint_yaml_get_string(c->doc, p->key, path, &kv->key, NULL, c->err);
	if (rc)
		return rc;
	cfg_path_field(sub, path, kv->key);
	if ((rc = mint_yaml_get_string(c->doc, p->value, sub, &kv->value, NULL, c->err)))
		return rc;
	if (!kv->value && !(kv->value = strdup("")))
		return oom(c, p->value, sub);
	return 0;
}

int cfg_decode_kvs(struct cfg_ctx *c, const struct mint_yaml_node *map, const char *path,
		   struct mint_image_kvs *out)
{
	int rc = mint_yaml_want_mapping(c->doc, map, path, c->err);
	cfg_kvs_free(out);
	if (rc)
		return rc > 0 ? 0 : rc;
	if (!map->n)
		return 0;
	out->v = calloc(map->n, sizeof(*out->v));
	if (!out->v)
		return oom(c, map, path);
	for (size_t i = 0; i < map->n; i++) {
		/* Counted first so that a half-read pair is freed too. */
		out->n++;
		if ((rc = decode_kv(c, &map->pairs[i], path, &out->v[i])))
			return rc;
	}
	/* The document model refuses duplicate keys, so sorting is enough. */
	qsort(out->v, out->n, sizeof(*out->v), kv_order);
	return 0;
}
