/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The `package:` section of a melange recipe, and the fields a package
 * shares with its subpackages (dependencies, options, scriptlets, checks,
 * test, setcap). Fields melange has but mint does not act on (resources,
 * test-resources, cpe, setcap) are checked for shape and not kept.
 */
#include "recipe_internal.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define META(obj) ((struct mint_recipe_meta *)(obj))
#define PKG(obj) ((struct mint_recipe_package *)(obj))

static int ignore_str(struct cfg_ctx *c, const struct mint_yaml_node *v, const char *path,
		      void *obj)
{
	char *s = NULL;
	(void)obj;
	int rc = cfg_decode_str(c, v, path, &s);
	free(s);
	return rc;
}

int rcp_decode_ignored_kvs(struct cfg_ctx *c, const struct mint_yaml_node *v, const char *path,
			   void *obj)
{
	struct mint_image_kvs kv = { 0 };
	(void)obj;
	int rc = cfg_decode_kvs(c, v, path, &kv);
	cfg_kvs_free(&kv);
	return rc;
}

/* --- shared fields --------------------------------------------------------- */

int rcp_decode_meta_name(struct cfg_ctx *c, const struct mint_yaml_node *v, const char *path,
			 void *obj)
{
	free(META(obj)->name);
	META(obj)->name = NULL;
	return cfg_decode_str(c, v, path, &META(obj)->name);
}

int rcp_decode_meta_description(struct cfg_ctx *c, const struct mint_yaml_node *v,
				const char *path, void *obj)
{
	return cfg_decode_str(c, v, path, &META(obj)->description);
}

int rcp_decode_meta_url(struct cfg_ctx *c, const struct mint_yaml_node *v, const char *path,
			void *obj)
{
	return cfg_decode_str(c, v, path, &META(obj)->url);
}

int rcp_decode_meta_commit(struct cfg_ctx *c, const struct mint_yaml_node *v, const char *path,
			   void *obj)
{
	return cfg_decode_str(c, v, path, &META(obj)->commit);
}

/* melange keeps priorities as text that must convert to an integer. */
static int decode_priority(struct cfg_ctx *c, const struct mint_yaml_node *v, const char *path,
			   bool *has, int64_t *out)
{
	char *s = NULL, *end;
	int rc = cfg_decode_str(c, v, path, &s);
	if (rc || !s)
		return rc;
	errno = 0;
	long long n = strtoll(s, &end, 10);
	if (!*s || *end || errno)
		rc = mint_yaml_fail(c->doc, v, c->err, MINT_EFORMAT,
				    "'%s' must be an integer, not \"%s\"", path, s);
	free(s);
	if (!rc) {
		*has = true;
		*out = n;
	}
	return rc;
}

#define DEPS(obj) (&META(obj)->dependencies)

static int deps_runtime(struct cfg_ctx *c, const struct mint_yaml_node *v, const char *path,
			void *obj)
{
	return cfg_decode_strs(c, v, path, &DEPS(obj)->runtime);
}

static int deps_provides(struct cfg_ctx *c, const struct mint_yaml_node *v, const char *path,
			 void *obj)
{
	return cfg_decode_strs(c, v, path, &DEPS(obj)->provides);
}

static int deps_replaces(struct cfg_ctx *c, const struct mint_yaml_node *v, const char *path,
			 void *obj)
{
	return cfg_decode_strs(c, v, path, &DEPS(obj)->replaces);
}

static int deps_provider_priority(struct cfg_ctx *c, const struct mint_yaml_node *v,
				  const char *path, void *obj)
{
	return decode_priority(c, v, path, &DEPS(obj)->has_provider_priority,
			       &DEPS(obj)->provider_priority);
}

static int deps_replaces_priority(struct cfg_ctx *c, const struct mint_yaml_node *v,
				  const char *path, void *obj)
{
	return decode_priority(c, v, path, &DEPS(obj)->has_replaces_priority,
			       &DEPS(obj)->replaces_priority);
}

int rcp_decode_meta_dependencies(struct cfg_ctx *c, const struct mint_yaml_node *v,
				 const char *path, void *obj)
{
	static const struct cfg_field fields[] = {
		{ "runtime", deps_runtime },
		{ "provides", deps_provides },
		{ "replaces", deps_replaces },
		{ "provider-priority", deps_provider_priority },
		{ "replaces-priority", deps_replaces_priority },
	};
	return cfg_decode_fields(c, v, path, fields, N(fields), obj);
}

#define OPTS(obj) (&META(obj)->options)

static int decode_bool(struct cfg_ctx *c, const struct mint_yaml_node *v, const char *path,
		       bool *out)
{
	return mint_yaml_get_bool(c->doc, v, path, out, NULL, c->err);
}

static int opt_no_provides(struct cfg_ctx *c, const struct mint_yaml_node *v, const char *path,
			   void *obj)
{
	return decode_bool(c, v, path, &OPTS(obj)->no_provides);
}

static int opt_no_depends(struct cfg_ctx *c, const struct mint_yaml_node *v, const char *path,
			  void *obj)
{
	return decode_bool(c, v, path, &OPTS(obj)->no_depends);
}

static int opt_no_commands(struct cfg_ctx *c, const struct mint_yaml_node *v, const char *path,
			   void *obj)
{
	return decode_bool(c, v, path, &OPTS(obj)->no_commands);
}

static int opt_no_versioned_shlib_deps(struct cfg_ctx *c, const struct mint_yaml_node *v,
				       const char *path, void *obj)
{
	return decode_bool(c, v, path, &OPTS(obj)->no_versioned_shlib_deps);
}

int rcp_decode_meta_options(struct cfg_ctx *c, const struct mint_yaml_node *v, const char *path,
			    void *obj)
{
	static const struct cfg_field fields[] = {
		{ "no-provides", opt_no_provides },
		{ "no-depends", opt_no_depends },
		{ "no-commands", opt_no_commands },
		{ "no-versioned-shlib-deps", opt_no_versioned_shlib_deps },
	};
	return cfg_decode_fields(c, v, path, fields, N(fields), obj);
}

#define SCR(obj) (&META(obj)->scriptlets)

static int scr_pre_install(struct cfg_ctx *c, const struct mint_yaml_node *v, const char *path,
			   void *obj)
{
	return cfg_decode_str(c, v, path, &SCR(obj)->pre_install);
}

static int scr_post_install(struct cfg_ctx *c, const struct mint_yaml_node *v, const char *path,
			    void *obj)
{
	return cfg_decode_str(c, v, path, &SCR(obj)->post_install);
}

static int scr_pre_deinstall(struct cfg_ctx *c, const struct mint_yaml_node *v,
			     const char *path, void *obj)
{
	return cfg_decode_str(c, v, path, &SCR(obj)->pre_deinstall);
}

static int scr_post_deinstall(struct cfg_ctx *c, const struct mint_yaml_node *v,
			      const char *path, void *obj)
{
	return cfg_decode_str(c, v, path, &SCR(obj)->post_deinstall);
}

static int scr_pre_upgrade(struct cfg_ctx *c, const struct mint_yaml_node *v, const char *path,
			   void *obj)
{
	return cfg_decode_str(c, v, path, &SCR(obj)->pre_upgrade);
}

static int scr_post_upgrade(struct cfg_ctx *c, const struct mint_yaml_node *v, const char *path,
			    void *obj)
{
	return cfg_decode_str(c, v, path, &SCR(obj)->post_upgrade);
}

static int trigger_paths(struct cfg_ctx *c, const struct mint_yaml_node *v, const char *path,
			 void *obj)
{
	return cfg_decode_strs(c, v, path, &SCR(obj)->trigger_paths);
}

static int trigger_script(struct cfg_ctx *c, const struct mint_yaml_node *v, const char *path,
			  void *obj)
{
	return cfg_decode_str(c, v, path, &SCR(obj)->trigger_script);
}

static int scr_trigger(struct cfg_ctx *c, const struct mint_yaml_node *v, const char *path,
		       void *obj)
{
	static const struct cfg_field fields[] = {
		{ "paths", trigger_paths },
		{ "script", trigger_script },
	};
	return cfg_decode_fields(c, v, path, fields, N(fields), obj);
}

int rcp_decode_meta_scriptlets(struct cfg_ctx *c, const struct mint_yaml_node *v,
			       const char *path, void *obj)
{
	static const struct cfg_field fields[] = {
		{ "pre-install", scr_pre_install },
		{ "post-install", scr_post_install },
		{ "pre-deinstall", scr_pre_deinstall },
		{ "post-deinstall", scr_post_deinstall },
		{ "pre-upgrade", scr_pre_upgrade },
		{ "post-upgrade", scr_post_upgrade },
		{ "trigger", scr_trigger },
	};
	return cfg_decode_fields(c, v, path, fields, N(fields), obj);
}

static int checks_disabled(struct cfg_ctx *c, const struct mint_yaml_node *v, const char *path,
			   void *obj)
{
	return cfg_decode_strs(c, v, path, &META(obj)->checks_disabled);
}

int rcp_decode_meta_checks(struct cfg_ctx *c, const struct mint_yaml_node *v, const char *path,
			   void *obj)
{
	static const struct cfg_field fields[] = {
		{ "disabled", checks_disabled },
	};
	return cfg_decode_fields(c, v, path, fields, N(fields), obj);
}

#define TEST(obj) (&META(obj)->test)

static int test_environment(struct cfg_ctx *c, const struct mint_yaml_node *v, const char *path,
			    void *obj)
{
	struct mint_recipe_test *t = TEST(obj);
	if (mint_yaml_is_null(v))
		return 0;
	mint_image_config_free(&t->environment);
	t->has_environment = true;
	return mint_image_config_decode_node(c->doc, v, path, &t->environment, c->err);
}

static int test_pipeline(struct cfg_ctx *c, const struct mint_yaml_node *v, const char *path,
			 void *obj)
{
	return rcp_decode_steps(c, v, path, &TEST(obj)->pipeline, &TEST(obj)->n_pipeline);
}

int rcp_decode_meta_test(struct cfg_ctx *c, const struct mint_yaml_node *v, const char *path,
			 void *obj)
{
	static const struct cfg_field fields[] = {
		{ "environment", test_environment },
		{ "pipeline", test_pipeline },
	};
	if (mint_yaml_is_null(v))
		return 0;
	TEST(obj)->present = true;
	return cfg_decode_fields(c, v, path, fields, N(fields), obj);
}

static int setcap_one(struct cfg_ctx *c, const struct mint_yaml_node *v, const char *path)
{
	static const struct cfg_field fields[] = {
		{ "path", ignore_str },
		{ "add", rcp_decode_ignored_kvs },
		{ "reason", ignore_str },
	};
	return cfg_decode_fields(c, v, path, fields, N(fields), NULL);
}

int rcp_decode_setcap(struct cfg_ctx *c, const struct mint_yaml_node *v, const char *path,
		      void *obj)
{
	(void)obj;
	int rc = mint_yaml_want_sequence(c->doc, v, path, c->err);
	if (rc)
		return rc > 0 ? 0 : rc;
	for (size_t i = 0; i < v->n && !rc; i++) {
		char sub[CFG_PATH_MAX];
		cfg_path_index(sub, path, i);
		rc = setcap_one(c, v->items[i], sub);
	}
	return rc;
}

int rcp_decode_steps(struct cfg_ctx *c, const struct mint_yaml_node *v, const char *path,
		     struct mint_recipe_step **steps, size_t *n)
{
	mint_recipe_steps_free(*steps, *n);
	*steps = NULL;
	*n = 0;
	if (mint_yaml_is_null(v))
		return 0;
	return mint_recipe_parse_steps(c->doc, v, path, steps, n, c->err);
}

/* --- package only ---------------------------------------------------------- */

static int pkg_version(struct cfg_ctx *c, const struct mint_yaml_node *v, const char *path,
		       void *obj)
{
	return cfg_decode_str(c, v, path, &PKG(obj)->version);
}

static int pkg_epoch(struct cfg_ctx *c, const struct mint_yaml_node *v, const char *path,
		     void *obj)
{
	return mint_yaml_get_uint(c->doc, v, path, UINT32_MAX, &PKG(obj)->epoch, NULL, c->err);
}

static int pkg_annotations(struct cfg_ctx *c, const struct mint_yaml_node *v, const char *path,
			   void *obj)
{
	return cfg_decode_kvs(c, v, path, &PKG(obj)->annotations);
}

static int pkg_target_architecture(struct cfg_ctx *c, const struct mint_yaml_node *v,
				   const char *path, void *obj)
{
	return cfg_decode_strs(c, v, path, &PKG(obj)->target_architecture);
}

static int pkg_timeout(struct cfg_ctx *c, const struct mint_yaml_node *v, const char *path,
		       void *obj)
{
	return cfg_decode_str(c, v, path, &PKG(obj)->timeout);
}

static int pkg_resources(struct cfg_ctx *c, const struct mint_yaml_node *v, const char *path,
			 void *obj)
{
	static const struct cfg_field fields[] = {
		{ "cpu", ignore_str },
		{ "cpumodel", ignore_str },
		{ "memory", ignore_str },
		{ "disk", ignore_str },
	};
	return cfg_decode_fields(c, v, path, fields, N(fields), obj);
}

static int pkg_cpe(struct cfg_ctx *c, const struct mint_yaml_node *v, const char *path,
		   void *obj)
{
	static const struct cfg_field fields[] = {
		{ "part", ignore_str },       { "vendor", ignore_str },
		{ "product", ignore_str },    { "version", ignore_str },
		{ "update", ignore_str },     { "edition", ignore_str },
		{ "language", ignore_str },   { "sw_edition", ignore_str },
		{ "target_sw", ignore_str },  { "target_hw", ignore_str },
		{ "other", ignore_str },
	};
	return cfg_decode_fields(c, v, path, fields, N(fields), obj);
}

#define COPY(obj) ((struct mint_recipe_copyright *)(obj))

static int copy_license(struct cfg_ctx *c, const struct mint_yaml_node *v, const char *path,
			void *obj)
{
	return cfg_decode_str(c, v, path, &COPY(obj)->license);
}

static int copy_license_path(struct cfg_ctx *c, const struct mint_yaml_node *v,
			     const char *path, void *obj)
{
	return cfg_decode_str(c, v, path, &COPY(obj)->license_path);
}

static int copy_attestation(struct cfg_ctx *c, const struct mint_yaml_node *v, const char *path,
			    void *obj)
{
	return cfg_decode_str(c, v, path, &COPY(obj)->attestation);
}

static int copy_detection_override(struct cfg_ctx *c, const struct mint_yaml_node *v,
				   const char *path, void *obj)
{
	return cfg_decode_str(c, v, path, &COPY(obj)->detection_override);
}

static int copy_paths(struct cfg_ctx *c, const struct mint_yaml_node *v, const char *path,
		      void *obj)
{
	return cfg_decode_strs(c, v, path, &COPY(obj)->paths);
}

static int pkg_copyright(struct cfg_ctx *c, const struct mint_yaml_node *v, const char *path,
			 void *obj)
{
	static const struct cfg_field fields[] = {
		{ "license", copy_license },
		{ "license-path", copy_license_path },
		{ "attestation", copy_attestation },
		{ "detection-override", copy_detection_override },
		{ "paths", copy_paths },
	};
	struct mint_recipe_package *p = PKG(obj);
	int rc = mint_yaml_want_sequence(c->doc, v, path, c->err);
	if (rc)
		return rc > 0 ? 0 : rc;
	if (p->n_copyright)
		return mint_yaml_fail(c->doc, v, c->err, MINT_EFORMAT, "'%s' given twice", path);
	if (v->n && !(p->copyright = calloc(v->n, sizeof(*p->copyright))))
		return mint_yaml_fail(c->doc, v, c->err, MINT_ENOMEM, "out of memory");
	for (size_t i = 0; i < v->n && !rc; i++) {
		char sub[CFG_PATH_MAX];
		cfg_path_index(sub, path, i);
		p->n_copyright++;
		rc = cfg_decode_fields(c, v->items[i], sub, fields, N(fields), &p->copyright[i]);
	}
	return rc;
}

int rcp_decode_package(struct cfg_ctx *c, const struct mint_yaml_node *v, const char *path,
		       void *obj)
{
	static const struct cfg_field fields[] = {
		{ "name", rcp_decode_meta_name },
		{ "version", pkg_version },
		{ "epoch", pkg_epoch },
		{ "description", rcp_decode_meta_description },
		{ "url", rcp_decode_meta_url },
		{ "commit", rcp_decode_meta_commit },
		{ "annotations", pkg_annotations },
		{ "target-architecture", pkg_target_architecture },
		{ "timeout", pkg_timeout },
		{ "resources", pkg_resources },
		{ "test-resources", pkg_resources },
		{ "copyright", pkg_copyright },
		{ "dependencies", rcp_decode_meta_dependencies },
		{ "options", rcp_decode_meta_options },
		{ "scriptlets", rcp_decode_meta_scriptlets },
		{ "checks", rcp_decode_meta_checks },
		{ "cpe", pkg_cpe },
		{ "setcap", rcp_decode_setcap },
	};
	return cfg_decode_fields(c, v, path, fields, N(fields), obj);
}

/* --- frees ----------------------------------------------------------------- */

void rcp_test_free(struct mint_recipe_test *t)
{
	mint_image_config_free(&t->environment);
	mint_recipe_steps_free(t->pipeline, t->n_pipeline);
	memset(t, 0, sizeof(*t));
}

static void scriptlets_free(struct mint_recipe_scriptlets *s)
{
	free(s->pre_install);
	free(s->post_install);
	free(s->pre_deinstall);
	free(s->post_deinstall);
	free(s->pre_upgrade);
	free(s->post_upgrade);
	mint_image_strs_free(&s->trigger_paths);
	free(s->trigger_script);
}

void rcp_meta_free(struct mint_recipe_meta *m)
{
	free(m->name);
	free(m->description);
	free(m->url);
	free(m->commit);
	mint_image_strs_free(&m->dependencies.runtime);
	mint_image_strs_free(&m->dependencies.provides);
	mint_image_strs_free(&m->dependencies.replaces);
	scriptlets_free(&m->scriptlets);
	mint_image_strs_free(&m->checks_disabled);
	rcp_test_free(&m->test);
	memset(m, 0, sizeof(*m));
}

void rcp_package_free(struct mint_recipe_package *p)
{
	rcp_meta_free(&p->meta);
	free(p->version);
	for (size_t i = 0; i < p->n_copyright; i++) {
		struct mint_recipe_copyright *cp = &p->copyright[i];
		free(cp->license);
		free(cp->license_path);
		free(cp->attestation);
		free(cp->detection_override);
		mint_image_strs_free(&cp->paths);
	}
	free(p->copyright);
	mint_image_strs_free(&p->target_architecture);
	cfg_kvs_free(&p->annotations);
	free(p->timeout);
	memset(p, 0, sizeof(*p));
}
