/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The `subpackages:` of a melange recipe, with `range:` expanded: a
 * subpackage that ranges over a `data:` entry becomes one subpackage per
 * item of that entry, in the order of the item keys (melange sorts them),
 * with ${{range.key}} and ${{range.value}} replaced in every string of it.
 * Other ${{...}} references are left for the pipeline expansion.
 */
#include "recipe_internal.h"

#include <stdlib.h>
#include <string.h>

/* Enough for any real recipe; stops data x subpackages from blowing up. */
#define MAX_SUBPACKAGES 10000
/* Bytes of text the expanded copies of ranged subpackages may hold. */
#define MAX_EXPANDED_BYTES (64u << 20)

struct range_data {
	char *name;
	struct mint_image_kvs items;
};

struct data_set {
	struct range_data *v;
	size_t n;
};

static void data_free(struct data_set *d)
{
	for (size_t i = 0; i < d->n; i++) {
		free(d->v[i].name);
		cfg_kvs_free(&d->v[i].items);
	}
	free(d->v);
}

static int data_name(struct cfg_ctx *c, const struct mint_yaml_node *v, const char *path,
		     void *obj)
{
	return cfg_decode_str(c, v, path, &((struct range_data *)obj)->name);
}

static int data_items(struct cfg_ctx *c, const struct mint_yaml_node *v, const char *path,
		      void *obj)
{
	return cfg_decode_kvs(c, v, path, &((struct range_data *)obj)->items);
}

static const struct range_data *data_find(const struct data_set *d, const char *name)
{
	for (size_t i = 0; i < d->n; i++)
		if (d->v[i].name && !strcmp(d->v[i].name, name))
			return &d->v[i];
	return NULL;
}

static int decode_data(struct cfg_ctx *c, const struct mint_yaml_node *seq, struct data_set *d)
{
	static const struct cfg_field fields[] = {
		{ "name", data_name },
		{ "items", data_items },
	};
	int rc = mint_yaml_want_sequence(c->doc, seq, "data", c->err);
	if (rc)
		return rc > 0 ? 0 : rc;
	if (seq->n && !(d->v = calloc(seq->n, sizeof(*d->v))))
		return mint_yaml_fail(c->doc, seq, c->err, MINT_ENOMEM, "out of memory");
	for (size_t i = 0; i < seq->n; i++) {
		char sub[CFG_PATH_MAX];
		const struct mint_yaml_node *item = seq->items[i];
		cfg_path_index(sub, "data", i);
		struct range_data one = { 0 };
		rc = cfg_decode_fields(c, item, sub, fields, N(fields), &one);
		d->v[d->n++] = one;
		if (rc)
			return rc;
		if (cfg_empty(one.name))
			return mint_yaml_fail(c->doc, item, c->err, MINT_EFORMAT,
					      "'%s.name' is required", sub);
		if (data_find(d, one.name) != &d->v[d->n - 1])
			return mint_yaml_fail(c->doc, item, c->err, MINT_EDUPLICATE,
					      "'%s.name': data \"%s\" is defined twice", sub,
					      one.name);
	}
	return 0;
}

/* --- one subpackage -------------------------------------------------------- */

#define SUB(obj) ((struct mint_recipe_subpackage *)(obj))

static int sub_range(struct cfg_ctx *c, const struct mint_yaml_node *v, const char *path,
		     void *obj)
{
	return cfg_decode_str(c, v, path, &SUB(obj)->range_key);
}

static int sub_if(struct cfg_ctx *c, const struct mint_yaml_node *v, const char *path,
		  void *obj)
{
	return cfg_decode_str(c, v, path, &SUB(obj)->if_expr);
}

static int sub_pipeline(struct cfg_ctx *c, const struct mint_yaml_node *v, const char *path,
			void *obj)
{
	return rcp_decode_steps(c, v, path, &SUB(obj)->pipeline, &SUB(obj)->n_pipeline);
}

static const struct cfg_field sub_fields[] = {
	{ "name", rcp_decode_meta_name },
	{ "range", sub_range },
	{ "if", sub_if },
	{ "pipeline", sub_pipeline },
	{ "dependencies", rcp_decode_meta_dependencies },
	{ "options", rcp_decode_meta_options },
	{ "scriptlets", rcp_decode_meta_scriptlets },
	{ "description", rcp_decode_meta_description },
	{ "url", rcp_decode_meta_url },
	{ "commit", rcp_decode_meta_commit },
	{ "checks", rcp_decode_meta_checks },
	{ "setcap", rcp_decode_setcap },
	{ "test", rcp_decode_meta_test },
	{ "annotations", rcp_decode_ignored_kvs },
};

void rcp_subpackage_free(struct mint_recipe_subpackage *s)
{
	rcp_meta_free(&s->meta);
	free(s->if_expr);
	mint_recipe_steps_free(s->pipeline, s->n_pipeline);
	free(s->range_key);
	free(s->range_value);
	memset(s, 0, sizeof(*s));
}

/* --- range substitution ------------------------------------------------------ */

static int subst_strs(struct mint_image_strs *l, const struct mint_image_kvs *vars)
{
	int rc = 0;
	for (size_t i = 0; i < l->n && !rc; i++)
		rc = rcp_subst_in_place(&l->v[i], vars);
	return rc;
}

static int subst_kv_values(struct mint_image_kvs *kv, const struct mint_image_kvs *vars)
{
	int rc = 0;
	for (size_t i = 0; i < kv->n && !rc; i++)
		rc = rcp_subst_in_place(&kv->v[i].value, vars);
	return rc;
}

static int subst_steps(struct mint_recipe_step *steps, size_t n, const struct mint_image_kvs *vars)
{
	int rc = 0;
	for (size_t i = 0; i < n && !rc; i++) {
		struct mint_recipe_step *s = &steps[i];
		char **fields[] = { &s->name, &s->uses, &s->runs, &s->working_directory,
				    &s->if_expr, &s->label };
		for (size_t f = 0; f < N(fields) && !rc; f++)
			rc = rcp_subst_in_place(fields[f], vars);
		if (!rc)
			rc = subst_kv_values(&s->with, vars);
		if (!rc)
			rc = subst_kv_values(&s->environment, vars);
		if (!rc)
			rc = subst_strs(&s->needs_packages, vars);
		if (!rc)
			rc = subst_steps(s->pipeline, s->n_pipeline, vars);
	}
	return rc;
}

static int subst_meta(struct mint_recipe_meta *m, const struct mint_image_kvs *vars)
{
	struct mint_recipe_scriptlets *sc = &m->scriptlets;
	char **fields[] = { &m->name, &m->description, &m->url, &m->commit,
			    &sc->pre_install, &sc->post_install, &sc->pre_deinstall,
			    &sc->post_deinstall, &sc->pre_upgrade, &sc->post_upgrade,
			    &sc->trigger_script };
	int rc = 0;
	for (size_t f = 0; f < N(fields) && !rc; f++)
		rc = rcp_subst_in_place(fields[f], vars);
	if (!rc)
		rc = subst_strs(&m->dependencies.runtime, vars);
	if (!rc)
		rc = subst_strs(&m->dependencies.provides, vars);
	if (!rc)
		rc = subst_strs(&m->dependencies.replaces, vars);
	if (!rc)
		rc = subst_strs(&sc->trigger_paths, vars);
	if (!rc)
		rc = subst_strs(&m->checks_disabled, vars);
	if (!rc)
		rc = subst_steps(m->test.pipeline, m->test.n_pipeline, vars);
	return rc;
}

static int subst_range(struct mint_recipe_subpackage *s, const struct mint_image_kv *item)
{
	struct mint_image_kvs vars = { 0 };
	int rc = cfg_kvs_set(&vars, "range.key", item->key);
	if (!rc)
		rc = cfg_kvs_set(&vars, "range.value", item->value);
	if (!rc)
		rc = subst_meta(&s->meta, &vars);
	if (!rc)
		rc = rcp_subst_in_place(&s->if_expr, &vars);
	if (!rc)
		rc = subst_steps(s->pipeline, s->n_pipeline, &vars);
	free(s->range_key);
	s->range_key = NULL;
	if (!rc)
		rc = cfg_strdup(&s->range_key, item->key);
	if (!rc)
		rc = cfg_strdup(&s->range_value, item->value);
	cfg_kvs_free(&vars);
	return rc;
}

/* --- the list ---------------------------------------------------------------- */

static int push(struct cfg_ctx *c, const struct mint_yaml_node *at, struct mint_recipe *r,
		size_t *cap)
{
	if (r->n_subpackages >= MAX_SUBPACKAGES)
		return mint_yaml_fail(c->doc, at, c->err, MINT_ELIMIT,
				      "more than %d subpackages once ranges are expanded",
				      MAX_SUBPACKAGES);
	if (r->n_subpackages == *cap) {
		size_t ncap = *cap ? *cap * 2 : 8;
		void *nv = realloc(r->subpackages, ncap * sizeof(*r->subpackages));
		if (!nv)
			return mint_yaml_fail(c->doc, at, c->err, MINT_ENOMEM, "out of memory");
		r->subpackages = nv;
		*cap = ncap;
	}
	memset(&r->subpackages[r->n_subpackages++], 0, sizeof(*r->subpackages));
	return 0;
}

static bool mentions_range(const char *name)
{
	return name && (strstr(name, "range.key") || strstr(name, "range.value"));
}

static int check_range_name(struct cfg_ctx *c, const struct mint_yaml_node *node,
			    const char *path, const struct mint_recipe_subpackage *s)
{
	if (mentions_range(s->meta.name))
		return 0;
	return mint_yaml_fail(c->doc, mint_yaml_map_get(node, "name"), c->err, MINT_EFORMAT,
			      "'%s.name' must use ${{range.key}} or ${{range.value}}: every "
			      "subpackage made from range \"%s\" would have the same name",
			      path, s->range_key);
}

/* melange's rules for the name of the last subpackage read. */
static int check_name(struct cfg_ctx *c, const struct mint_yaml_node *node, const char *path,
		      struct mint_recipe *r, const struct mint_image_kvs *known)
{
	struct mint_recipe_subpackage *s = &r->subpackages[r->n_subpackages - 1];
	const struct mint_yaml_node *at = mint_yaml_map_get(node, "name");
	int rc = rcp_subst_in_place(&s->meta.name, known);
	if (rc)
		return rcp_fail(c, at, path, rc);
	const char *name = s->meta.name;
	if (cfg_empty(name))
		return mint_yaml_fail(c->doc, node, c->err, MINT_EFORMAT, "'%s.name' is required",
				      path);
	if (!rcp_name_valid(name))
		return mint_yaml_fail(c->doc, at, c->err, MINT_EFORMAT,
				      "'%s.name': \"%s\" is not a valid package name (letters, "
				      "digits and +_.- , starting with a letter or digit)",
				      path, name);
	if (r->package.meta.name && !strcmp(name, r->package.meta.name))
		return mint_yaml_fail(c->doc, at, c->err, MINT_EDUPLICATE,
				      "'%s.name': \"%s\" is the name of the package itself", path,
				      name);
	for (size_t i = 0; i + 1 < r->n_subpackages; i++)
		if (!strcmp(r->subpackages[i].meta.name, name))
			return mint_yaml_fail(c->doc, at, c->err, MINT_EDUPLICATE,
					      "'%s.name': subpackage \"%s\" is defined twice",
					      path, name);
	return 0;
}

/* What expanding the subpackages list needs besides the recipe. */
struct expansion {
	struct data_set data;
	struct mint_image_kvs known; /* package.* and vars.* */
	size_t cap;                  /* room in r->subpackages */
	size_t bytes_left;           /* of MAX_EXPANDED_BYTES */
};

/* The bytes of text under n, aliases counted each time (bounded by the
 * document's node limit). */
static size_t node_bytes(const struct mint_yaml_node *n)
{
	size_t sum = 0;
	if (n->kind == MINT_YAML_SCALAR)
		return n->len;
	for (size_t i = 0; i < n->n; i++) {
		if (n->kind == MINT_YAML_SEQUENCE)
			sum += node_bytes(n->items[i]);
		else
			sum += node_bytes(n->pairs[i].key) + node_bytes(n->pairs[i].value);
		if (sum > MAX_EXPANDED_BYTES)
			break;
	}
	return sum;
}

static int charge(struct cfg_ctx *c, const struct mint_yaml_node *node, struct expansion *x,
		  size_t items)
{
	size_t each = node_bytes(node) + 1;
	if (each <= x->bytes_left && items <= x->bytes_left / each) {
		x->bytes_left -= each * items;
		return 0;
	}
	return mint_yaml_fail(c->doc, node, c->err, MINT_ELIMIT,
			      "ranged subpackages would hold more than %u MiB of text once "
			      "expanded",
			      MAX_EXPANDED_BYTES >> 20);
}

static int expand_range(struct cfg_ctx *c, const struct mint_yaml_node *node, const char *path,
			struct expansion *x, struct mint_recipe *r)
{
	const struct data_set *data = &x->data;
	const struct mint_image_kvs *known = &x->known;
	size_t *cap = &x->cap;
	struct mint_recipe_subpackage probe = { 0 };
	int rc = cfg_decode_fields(c, node, path, sub_fields, N(sub_fields), &probe);
	if (!rc)
		rc = check_range_name(c, node, path, &probe);
	const struct range_data *d = rc ? NULL : data_find(data, probe.range_key);
	if (!rc && !d)
		rc = mint_yaml_fail(c->doc, mint_yaml_map_get(node, "range"), c->err,
				    MINT_EFORMAT, "'%s.range': no data named \"%s\"", path,
				    probe.range_key);
	rcp_subpackage_free(&probe);
	if (!rc)
		rc = charge(c, node, x, d->items.n);
	for (size_t i = 0; !rc && i < d->items.n; i++) {
		if ((rc = push(c, node, r, cap)))
			break;
		struct mint_recipe_subpackage *s = &r->subpackages[r->n_subpackages - 1];
		rc = cfg_decode_fields(c, node, path, sub_fields, N(sub_fields), s);
		if (!rc && (rc = subst_range(s, &d->items.v[i])))
			rc = rcp_fail(c, node, path, rc);
		if (!rc)
			rc = check_name(c, node, path, r, known);
	}
	return rc;
}

static int decode_one(struct cfg_ctx *c, const struct mint_yaml_node *node, const char *path,
		      struct expansion *x, struct mint_recipe *r)
{
	if (node->kind == MINT_YAML_MAPPING && !mint_yaml_is_null(mint_yaml_map_get(node, "range")))
		return expand_range(c, node, path, x, r);
	int rc = push(c, node, r, &x->cap);
	if (!rc)
		rc = cfg_decode_fields(c, node, path, sub_fields, N(sub_fields),
				       &r->subpackages[r->n_subpackages - 1]);
	if (!rc)
		rc = check_name(c, node, path, r, &x->known);
	return rc;
}

int rcp_decode_subpackages(struct cfg_ctx *c, const struct mint_yaml_node *root,
			   struct mint_recipe *r)
{
	struct expansion x = { .bytes_left = MAX_EXPANDED_BYTES };
	const struct mint_yaml_node *seq = mint_yaml_map_get(root, "subpackages");
	if (rcp_load_vars(r, &x.known)) {
		cfg_kvs_free(&x.known);
		return mint_yaml_fail(c->doc, root, c->err, MINT_ENOMEM, "out of memory");
	}
	int rc = decode_data(c, mint_yaml_map_get(root, "data"), &x.data);
	if (!rc)
		rc = mint_yaml_want_sequence(c->doc, seq, "subpackages", c->err);
	for (size_t i = 0; rc == 0 && i < seq->n; i++) {
		char sub[CFG_PATH_MAX];
		cfg_path_index(sub, "subpackages", i);
		if (seq->items[i]->kind != MINT_YAML_MAPPING) {
			rc = mint_yaml_want_mapping(c->doc, seq->items[i], sub, c->err);
			if (rc > 0)
				rc = mint_yaml_fail(c->doc, seq->items[i], c->err, MINT_EFORMAT,
						    "'%s' must be a mapping, not null", sub);
			break;
		}
		rc = decode_one(c, seq->items[i], sub, &x, r);
	}
	data_free(&x.data);
	cfg_kvs_free(&x.known);
	return rc > 0 ? 0 : rc;
}
