/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Reading a melange recipe: the top level of the YAML, the order its parts
 * are read in (package first, since vars and subpackages depend on it) and
 * melange's load-time checks (package names, versions, duplicates).
 * The parts live in recipe_package.c, recipe_subpackages.c and
 * recipe_vars.c.
 */
#include "recipe_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mint/apk_version.h"
#include "mint/fs.h"

#define MAX_RECIPE_BYTES (4u << 20)

#define RECIPE(obj) ((struct mint_recipe *)(obj))

bool rcp_name_valid(const char *name)
{
	if (!name || !((*name >= 'a' && *name <= 'z') || (*name >= 'A' && *name <= 'Z') ||
		       (*name >= '0' && *name <= '9')))
		return false;
	for (const char *p = name + 1; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		      (*p >= '0' && *p <= '9') || strchr("+_.-", *p)))
			return false;
	return true;
}

/* --- top-level fields ---------------------------------------------------------- */

static int top_package(struct cfg_ctx *c, const struct mint_yaml_node *v, const char *path,
		       void *obj)
{
	return rcp_decode_package(c, v, path, &RECIPE(obj)->package);
}

static int top_environment(struct cfg_ctx *c, const struct mint_yaml_node *v, const char *path,
			   void *obj)
{
	struct mint_recipe *r = RECIPE(obj);
	if (mint_yaml_is_null(v))
		return 0;
	r->has_environment = true;
	return mint_image_config_decode_node(c->doc, v, path, &r->environment, c->err);
}

static int top_pipeline(struct cfg_ctx *c, const struct mint_yaml_node *v, const char *path,
			void *obj)
{
	return rcp_decode_steps(c, v, path, &RECIPE(obj)->pipeline, &RECIPE(obj)->n_pipeline);
}

static int top_test(struct cfg_ctx *c, const struct mint_yaml_node *v, const char *path,
		    void *obj)
{
	return rcp_decode_meta_test(c, v, path, &RECIPE(obj)->package.meta);
}

/* Read after the rest (rcp_decode_vars, rcp_decode_subpackages). */
static int read_later(struct cfg_ctx *c, const struct mint_yaml_node *v, const char *path,
		      void *obj)
{
	(void)c, (void)v, (void)path, (void)obj;
	return 0;
}

static int ignore_strs(struct cfg_ctx *c, const struct mint_yaml_node *v, const char *path,
		       void *obj)
{
	struct mint_image_strs l = { 0 };
	(void)obj;
	int rc = cfg_decode_strs(c, v, path, &l);
	mint_image_strs_free(&l);
	return rc;
}

static int top_capabilities(struct cfg_ctx *c, const struct mint_yaml_node *v, const char *path,
			    void *obj)
{
	static const struct cfg_field fields[] = {
		{ "add", ignore_strs },
		{ "drop", ignore_strs },
	};
	return cfg_decode_fields(c, v, path, fields, N(fields), obj);
}

/* options: { <name>: { vars: {}, environment: { contents: { packages:
 * { add: [], remove: [] } } } } }: checked, not kept (mint has no
 * --build-option yet). */
static int option_packages(struct cfg_ctx *c, const struct mint_yaml_node *v, const char *path,
			   void *obj)
{
	static const struct cfg_field fields[] = {
		{ "add", ignore_strs },
		{ "remove", ignore_strs },
	};
	return cfg_decode_fields(c, v, path, fields, N(fields), obj);
}

static int option_contents(struct cfg_ctx *c, const struct mint_yaml_node *v, const char *path,
			   void *obj)
{
	static const struct cfg_field fields[] = {
		{ "packages", option_packages },
	};
	return cfg_decode_fields(c, v, path, fields, N(fields), obj);
}

static int option_environment(struct cfg_ctx *c, const struct mint_yaml_node *v,
			      const char *path, void *obj)
{
	static const struct cfg_field fields[] = {
		{ "contents", option_contents },
	};
	return cfg_decode_fields(c, v, path, fields, N(fields), obj);
}

static int top_options(struct cfg_ctx *c, const struct mint_yaml_node *v, const char *path,
		       void *obj)
{
	static const struct cfg_field fields[] = {
		{ "vars", rcp_decode_ignored_kvs },
		{ "environment", option_environment },
	};
	int rc = mint_yaml_want_mapping(c->doc, v, path, c->err);
	if (rc)
		return rc > 0 ? 0 : rc;
	for (size_t i = 0; i < v->n && !rc; i++) {
		char sub[CFG_PATH_MAX];
		const struct mint_yaml_node *k = v->pairs[i].key;
		cfg_path_field(sub, path, k->kind == MINT_YAML_SCALAR ? k->value : "?");
		rc = cfg_decode_fields(c, v->pairs[i].value, sub, fields, N(fields), obj);
	}
	return rc;
}

/* update: only `enabled` is kept; the rest configures melange's update bots. */
static int top_update(struct cfg_ctx *c, const struct mint_yaml_node *v, const char *path,
		      void *obj)
{
	struct mint_recipe *r = RECIPE(obj);
	int rc = mint_yaml_want_mapping(c->doc, v, path, c->err);
	if (rc)
		return rc > 0 ? 0 : rc;
	r->has_update = true;
	char sub[CFG_PATH_MAX];
	cfg_path_field(sub, path, "enabled");
	return mint_yaml_get_bool(c->doc, mint_yaml_map_get(v, "enabled"), sub, &r->update_enabled,
				  NULL, c->err);
}

static const struct cfg_field top_fields[] = {
	{ "package", top_package },
	{ "environment", top_environment },
	{ "pipeline", top_pipeline },
	{ "subpackages", read_later },
	{ "data", read_later },
	{ "vars", read_later },
	{ "var-transforms", read_later },
	{ "options", top_options },
	{ "test", top_test },
	{ "update", top_update },
	{ "capabilities", top_capabilities },
};

/* --- checks -------------------------------------------------------------------- */

static const struct mint_yaml_node *package_field(const struct mint_yaml_node *root,
						  const char *name)
{
	const struct mint_yaml_node *pkg = mint_yaml_map_get(root, "package");
	const struct mint_yaml_node *v = mint_yaml_map_get(pkg, name);
	return v ? v : pkg;
}

static int check_package(struct cfg_ctx *c, const struct mint_yaml_node *root,
			 const struct mint_recipe_package *p)
{
	if (!mint_yaml_map_get(root, "package"))
		return mint_yaml_fail(c->doc, root, c->err, MINT_EFORMAT,
				      "'package' is required: a recipe names the package it builds");
	if (cfg_empty(p->meta.name))
		return mint_yaml_fail(c->doc, package_field(root, "name"), c->err, MINT_EFORMAT,
				      "'package.name' is required");
	if (!rcp_name_valid(p->meta.name))
		return mint_yaml_fail(c->doc, package_field(root, "name"), c->err, MINT_EFORMAT,
				      "'package.name': \"%s\" is not a valid package name (letters, "
				      "digits and +_.- , starting with a letter or digit)",
				      p->meta.name);
	if (cfg_empty(p->version))
		return mint_yaml_fail(c->doc, package_field(root, "version"), c->err,
				      MINT_EFORMAT, "'package.version' is required");
	/* melange takes any text; apk could not order such packages. */
	if (!mint_apk_version_valid(mint_span_str(p->version)))
		return mint_yaml_fail(c->doc, package_field(root, "version"), c->err,
				      MINT_EUNSUPPORTED,
				      "'package.version': \"%s\" is not a valid apk version; "
				      "mint builds only versions apk can compare",
				      p->version);
	return 0;
}

static int decode_root(struct cfg_ctx *c, const struct mint_yaml_node *root, struct mint_recipe *r)
{
	if (!root)
		return mint_yaml_fail(c->doc, NULL, c->err, MINT_EFORMAT,
				      "no YAML document: a recipe needs at least 'package'");
	if (root->kind != MINT_YAML_MAPPING)
		return mint_yaml_fail(c->doc, root, c->err, MINT_EFORMAT,
				      "a recipe must be a mapping, not %s", mint_yaml_describe(root));
	int rc = cfg_decode_fields(c, root, "", top_fields, N(top_fields), r);
	if (!rc)
		rc = check_package(c, root, &r->package);
	if (!rc)
		rc = rcp_decode_vars(c, root, r);
	if (!rc)
		rc = rcp_decode_subpackages(c, root, r);
	return rc;
}

/* --- public -------------------------------------------------------------------- */

int mint_recipe_parse(struct mint_span text, const char *name, struct mint_recipe *out,
		      struct mint_err *err)
{
	struct mint_yaml_limits lim = mint_yaml_default_limits;
	struct mint_yaml_doc doc;
	memset(out, 0, sizeof(*out));
	lim.max_bytes = MAX_RECIPE_BYTES;
	if (!(out->file = strdup(name ? name : "recipe")) ||
	    mint_buf_append(&out->text, text.ptr, text.len))
		return mint_err_set(err, MINT_ENOMEM, "out of memory");
	int rc = mint_yaml_parse(text, out->file, &lim, &doc, err);
	if (rc)
		return rc;
	struct cfg_ctx c = { &doc, err };
	rc = decode_root(&c, doc.root, out);
	mint_yaml_doc_free(&doc);
	return rc;
}

int mint_recipe_load(const char *path, struct mint_recipe *out, struct mint_err *err)
{
	struct mint_buf text = MINT_BUF_INIT;
	memset(out, 0, sizeof(*out));
	int rc = mint_file_read(path, MAX_RECIPE_BYTES, &text, err);
	if (!rc)
		rc = mint_recipe_parse(mint_buf_span(&text), path, out, err);
	mint_buf_free(&text);
	return rc;
}

void mint_recipe_free(struct mint_recipe *r)
{
	if (!r)
		return;
	free(r->file);
	rcp_package_free(&r->package);
	mint_image_config_free(&r->environment);
	mint_recipe_steps_free(r->pipeline, r->n_pipeline);
	for (size_t i = 0; i < r->n_subpackages; i++)
		rcp_subpackage_free(&r->subpackages[i]);
	free(r->subpackages);
	cfg_kvs_free(&r->vars);
	mint_buf_free(&r->text);
	memset(r, 0, sizeof(*r));
}

char *mint_recipe_full_version(const struct mint_recipe *r)
{
	const char *v = r->package.version ? r->package.version : "";
	size_t n = strlen(v) + 32;
	char *s = malloc(n);
	if (s)
		snprintf(s, n, "%s-r%llu", v, (unsigned long long)r->package.epoch);
	return s;
}
