/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The pipeline library: where `uses: <name>` finds its pipeline file, and
 * the reader of such a file (name, needs.packages, inputs, pipeline).
 *
 * User directories are searched first, in the order given, as
 * <dir>/<name>.yaml; then the built-ins compiled into the library from the
 * project's pipelines/ directory. Both go through the same reader. Files
 * are read when used, not cached: a build uses a handful.
 *
 * Not here: expanding the steps (pipeline_expand.c).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "lib/recipe/pipeline_internal.h"
#include "mint/fs.h"
#include "mint/path.h"
#include "mint/yaml.h"

#define PIPELINE_FILE_MAX (1024 * 1024)

struct mint_pipeline_lib {
	char **dirs;
	size_t n_dirs;
};

size_t mint_pipeline_builtin_count(void)
{
	return mint_pipeline_n_blobs;
}

const char *mint_pipeline_builtin_name(size_t i)
{
	return i < mint_pipeline_n_blobs ? mint_pipeline_blobs[i].name : NULL;
}

void mint_pipeline_lib_free(struct mint_pipeline_lib *lib)
{
	if (!lib)
		return;
	for (size_t i = 0; i < lib->n_dirs; i++)
		free(lib->dirs[i]);
	free(lib->dirs);
	free(lib);
}

int mint_pipeline_lib_new(struct mint_pipeline_lib **out, const char *const *dirs, size_t n_dirs,
			  struct mint_err *err)
{
	struct mint_pipeline_lib *lib = calloc(1, sizeof(*lib));
	*out = NULL;
	if (!lib || (n_dirs && !(lib->dirs = calloc(n_dirs, sizeof(*lib->dirs)))))
		goto oom;
	for (; lib->n_dirs < n_dirs; lib->n_dirs++)
		if (!(lib->dirs[lib->n_dirs] = strdup(dirs[lib->n_dirs])))
			goto oom;
	*out = lib;
	return 0;
oom:
	mint_pipeline_lib_free(lib);
	return mint_err_set(err, MINT_ENOMEM, "out of memory");
}

/* ---- reading one pipeline file ---- */

struct def_ctx {
	const struct mint_yaml_doc *doc;
	struct mint_err *err;
};

static int input_order(const void *a, const void *b)
{
	return strcmp(((const struct mint_pipeline_input *)a)->name,
		      ((const struct mint_pipeline_input *)b)->name);
}

static int scalar_field(struct def_ctx *c, const struct mint_yaml_node *v, const char *field,
			char **out)
{
	if (v && v->kind != MINT_YAML_SCALAR)
		return mint_yaml_fail(c->doc, v, c->err, MINT_EFORMAT,
				      "field '%s' must be a string, not %s", field,
				      mint_yaml_describe(v));
	return mint_yaml_get_string(c->doc, v, field, out, NULL, c->err);
}

static int decode_input(struct def_ctx *c, const struct mint_yaml_pair *p,
			struct mint_pipeline_input *in)
{
	static const char *const known[] = { "default", "description", "required", NULL };
	int rc = scalar_field(c, p->key, "inputs", &in->name);
	if (rc)
		return rc;
	if (!in->name)
		return mint_yaml_fail(c->doc, p->key, c->err, MINT_EFORMAT,
				      "an input of 'inputs' has no name");
	if ((rc = mint_yaml_want_mapping(c->doc, p->value, "inputs", c->err)))
		return rc > 0 ? 0 : rc;
	for (size_t i = 0; i < p->value->n; i++) {
		const struct mint_yaml_node *k = p->value->pairs[i].key;
		const struct mint_yaml_node *v = p->value->pairs[i].value;
		const char *key = k->kind == MINT_YAML_SCALAR ? k->value : "";
		if (!strcmp(key, "description"))
			rc = scalar_field(c, v, "inputs.description", &in->description);
		else if (!strcmp(key, "default"))
			rc = scalar_field(c, v, "inputs.default", &in->default_value);
		else if (!strcmp(key, "required"))
			rc = mint_yaml_get_bool(c->doc, v, "inputs.required", &in->required, NULL,
						c->err);
		else
			rc = mint_yaml_unknown_field(c->doc, k, "inputs", known, c->err);
		if (rc)
			return rc;
	}
	return 0;
}

static int decode_inputs(struct def_ctx *c, const struct mint_yaml_node *map,
			 struct mint_pipeline_def *def)
{
	int rc = mint_yaml_want_mapping(c->doc, map, "inputs", c->err);
	if (rc)
		return rc > 0 ? 0 : rc;
	if (!map->n)
		return 0;
	if (!(def->inputs = calloc(map->n, sizeof(*def->inputs))))
		return mint_err_set(c->err, MINT_ENOMEM, "out of memory");
	for (size_t i = 0; i < map->n; i++) {
		def->n_inputs++;
		if ((rc = decode_input(c, &map->pairs[i], &def->inputs[i])))
			return rc;
	}
	qsort(def->inputs, def->n_inputs, sizeof(*def->inputs), input_order);
	return 0;
}

static int decode_needs(struct def_ctx *c, const struct mint_yaml_node *map,
			struct mint_image_strs *out)
{
	static const char *const known[] = { "packages", NULL };
	int rc = mint_yaml_want_mapping(c->doc, map, "needs", c->err);
	if (rc)
		return rc > 0 ? 0 : rc;
	for (size_t i = 0; i < map->n; i++) {
		const struct mint_yaml_node *k = map->pairs[i].key;
		if (k->kind != MINT_YAML_SCALAR || strcmp(k->value, "packages"))
			return mint_yaml_unknown_field(c->doc, k, "needs", known, c->err);
	}
	const struct mint_yaml_node *seq = mint_yaml_map_get(map, "packages");
	if ((rc = mint_yaml_want_sequence(c->doc, seq, "needs.packages", c->err)))
		return rc > 0 ? 0 : rc;
	if (seq->n && !(out->v = calloc(seq->n, sizeof(*out->v))))
		return mint_err_set(c->err, MINT_ENOMEM, "out of memory");
	for (size_t i = 0; i < seq->n; i++) {
		if (mint_yaml_is_null(seq->items[i]))
			return mint_yaml_fail(c->doc, seq->items[i], c->err, MINT_EFORMAT,
					      "field 'needs.packages' holds a null");
		if ((rc = scalar_field(c, seq->items[i], "needs.packages", &out->v[out->n++])))
			return rc;
	}
	return 0;
}

static int decode_top(struct def_ctx *c, const struct mint_yaml_node *root,
		      struct mint_pipeline_def *def)
{
	/* A pipeline file is a Pipeline in melange's schema; the step fields
	 * at its top level (runs, uses, with, ...) are not used there. */
	static const char *const known[] = { "inputs", "name", "needs", "pipeline", NULL };
	int rc = mint_yaml_want_mapping(c->doc, root, "", c->err);
	if (rc > 0)
		return mint_err_set(c->err, MINT_EFORMAT, "%s: the pipeline file is empty",
				    c->doc->name);
	if (rc)
		return rc;
	for (size_t i = 0; i < root->n; i++) {
		const struct mint_yaml_node *k = root->pairs[i].key;
		const struct mint_yaml_node *v = root->pairs[i].value;
		const char *key = k->kind == MINT_YAML_SCALAR ? k->value : "";
		if (!strcmp(key, "name"))
			rc = scalar_field(c, v, "name", &def->title);
		else if (!strcmp(key, "inputs"))
			rc = decode_inputs(c, v, def);
		else if (!strcmp(key, "needs"))
			rc = decode_needs(c, v, &def->needs);
		else if (!strcmp(key, "pipeline"))
			rc = mint_recipe_parse_steps(c->doc, v, "pipeline", &def->steps,
						     &def->n_steps, c->err);
		else
			rc = mint_yaml_unknown_field(c->doc, k, "", known, c->err);
		if (rc)
			return rc;
	}
	return 0;
}

int mint_pipeline_def_parse(struct mint_span text, const char *file, const char *uses,
			    struct mint_pipeline_def *out, struct mint_err *err)
{
	struct mint_yaml_doc doc;
	memset(out, 0, sizeof(*out));
	int rc = mint_yaml_parse(text, file, NULL, &doc, err);
	if (rc)
		return rc;
	if (!(out->uses = strdup(uses)) || !(out->file = strdup(file))) {
		rc = mint_err_set(err, MINT_ENOMEM, "out of memory");
		goto out;
	}
	struct def_ctx c = { &doc, err };
	rc = decode_top(&c, doc.root, out);
out:
	mint_yaml_doc_free(&doc);
	if (rc)
		mint_pipeline_def_free(out);
	return rc;
}

void mint_pipeline_def_free(struct mint_pipeline_def *def)
{
	free(def->uses);
	free(def->file);
	free(def->title);
	for (size_t i = 0; i < def->n_inputs; i++) {
		free(def->inputs[i].name);
		free(def->inputs[i].description);
		free(def->inputs[i].default_value);
	}
	free(def->inputs);
	for (size_t i = 0; i < def->needs.n; i++)
		free(def->needs.v[i]);
	free(def->needs.v);
	mint_recipe_steps_free(def->steps, def->n_steps);
	memset(def, 0, sizeof(*def));
}

const struct mint_pipeline_input *mint_pipeline_def_input(const struct mint_pipeline_def *def,
							  const char *name)
{
	size_t lo = 0, hi = def->n_inputs;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int cmp = strcmp(def->inputs[mid].name, name);
		if (!cmp)
			return &def->inputs[mid];
		if (cmp < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

/* ---- finding a pipeline by name ---- */

/* A name must be a clean relative path so <dir>/<name>.yaml stays in dir. */
static int check_name(const char *uses, struct mint_err *err)
{
	struct mint_buf clean = MINT_BUF_INIT;
	int rc = mint_path_clean(mint_span_str(uses), false, &clean, NULL);
	bool same = !rc && !strcmp(mint_buf_cstr(&clean), uses);
	mint_buf_free(&clean);
	if (rc == MINT_ENOMEM)
		return mint_err_set(err, rc, "out of memory");
	if (!same || !uses[0])
		return mint_err_set(err, MINT_EUNSAFE,
				    "pipeline name '%s' is not a clean relative path", uses);
	return 0;
}

/* 1 when dir holds <uses>.yaml and it was read into *out. */
static int load_user(const char *dir, const char *uses, struct mint_pipeline_def *out,
		     struct mint_err *err)
{
	struct mint_buf path = MINT_BUF_INIT, text = MINT_BUF_INIT;
	struct stat st;
	int rc = mint_buf_printf(&path, "%s/%s.yaml", dir, uses);
	if (rc) {
		rc = mint_err_set(err, rc, "out of memory");
		goto out;
	}
	if (stat(path.data, &st) || !S_ISREG(st.st_mode)) {
		rc = 0;
		goto out;
	}
	if ((rc = mint_file_read(path.data, PIPELINE_FILE_MAX, &text, err)))
		goto out;
	rc = mint_pipeline_def_parse(mint_buf_span(&text), path.data, uses, out, err);
	if (!rc)
		rc = 1;
out:
	mint_buf_free(&path);
	mint_buf_free(&text);
	return rc;
}

static int load_builtin(const char *uses, struct mint_pipeline_def *out, struct mint_err *err)
{
	char file[MINT_ERR_FILE_MAX];
	for (size_t i = 0; i < mint_pipeline_n_blobs; i++) {
		const struct mint_pipeline_blob *b = &mint_pipeline_blobs[i];
		if (strcmp(b->name, uses))
			continue;
		snprintf(file, sizeof(file), "pipelines/%.400s.yaml", uses);
		return mint_pipeline_def_parse(MINT_SPAN(b->data, b->len), file, uses, out, err);
	}
	return mint_err_set(err, MINT_ENOTFOUND, "no pipeline named '%s'", uses);
}

int mint_pipeline_lib_load(const struct mint_pipeline_lib *lib, const char *uses,
			   struct mint_pipeline_def *out, struct mint_err *err)
{
	memset(out, 0, sizeof(*out));
	int rc = check_name(uses, err);
	if (rc)
		return rc;
	for (size_t i = 0; lib && i < lib->n_dirs; i++) {
		rc = load_user(lib->dirs[i], uses, out, err);
		if (rc)
			return rc < 0 ? rc : 0;
	}
	return load_builtin(uses, out, err);
}
