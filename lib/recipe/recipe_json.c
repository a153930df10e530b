/* SPDX-License-Identifier: Apache-2.0 */
/*
 * `mint pkg show`: a parsed recipe as JSON, with melange's field names.
 * Strings outside pipelines have their ${{...}} references substituted for
 * one arch (unknown references stay as written); pipeline steps are shown
 * as written, since they are substituted only when they run. Empty fields
 * are left out. The JSON is written compact, then indented by two spaces
 * in one pass, so the bytes depend only on the recipe and the arch.
 */
#include "recipe_internal.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mint/gojson.h"

/* A compact JSON writer: one flag per nesting level says whether a comma
 * goes before the next member. */
#define MAX_NEST 64
/* Output beyond this is refused: substitution can make a small recipe big. */
#define MAX_JSON_BYTES (64u << 20)

struct jw {
	struct mint_buf *out;
	const struct mint_image_kvs *vars; /* NULL: strings as written */
	bool need_comma[MAX_NEST];
	unsigned depth;
	int rc;
};

static void put(struct jw *w, const char *s)
{
	if (!w->rc && mint_buf_puts(w->out, s))
		w->rc = MINT_ENOMEM;
	if (!w->rc && w->out->len > MAX_JSON_BYTES)
		w->rc = MINT_ELIMIT;
}

static void key(struct jw *w, const char *k)
{
	if (w->need_comma[w->depth])
		put(w, ",");
	w->need_comma[w->depth] = true;
	if (k && !w->rc) {
		if (mint_gojson_quote(w->out, k, strlen(k)))
			w->rc = MINT_ENOMEM;
		put(w, ":");
	}
}

static void open_(struct jw *w, const char *k, const char *brace)
{
	key(w, k);
	put(w, brace);
	if (w->depth + 1 >= MAX_NEST) {
		w->rc = MINT_ELIMIT;
		return;
	}
	w->need_comma[++w->depth] = false;
}

static void close_(struct jw *w, const char *brace)
{
	if (w->depth)
		w->depth--;
	put(w, brace);
}

static void raw_str(struct jw *w, const char *k, const char *v)
{
	key(w, k);
	if (!w->rc && mint_gojson_quote(w->out, v, strlen(v)))
		w->rc = MINT_ENOMEM;
}

/* A string field, substituted when the writer has vars; NULL is left out. */
static void str(struct jw *w, const char *k, const char *v)
{
	struct mint_buf b = MINT_BUF_INIT;
	if (!v || w->rc)
		return;
	if (!w->vars) {
		raw_str(w, k, v);
		return;
	}
	int rc = rcp_subst_known(v, w->vars, &b);
	if (!rc && mint_buf_putc(&b, '\0'))
		rc = MINT_ENOMEM;
	if (rc)
		w->rc = rc;
	else
		raw_str(w, k, b.data);
	mint_buf_free(&b);
}

static void boolean(struct jw *w, const char *k, bool v)
{
	key(w, k);
	put(w, v ? "true" : "false");
}

static void integer(struct jw *w, const char *k, int64_t v)
{
	char num[24];
	snprintf(num, sizeof(num), "%" PRId64, v);
	key(w, k);
	put(w, num);
}

static void strs(struct jw *w, const char *k, const struct mint_image_strs *l)
{
	if (!l->n)
		return;
	open_(w, k, "[");
	for (size_t i = 0; i < l->n; i++)
		str(w, NULL, l->v[i]);
	close_(w, "]");
}

static void kvs(struct jw *w, const char *k, const struct mint_image_kvs *m)
{
	if (!m->n)
		return;
	open_(w, k, "{");
	for (size_t i = 0; i < m->n; i++)
		str(w, m->v[i].key, m->v[i].value);
	close_(w, "}");
}

/* --- pipelines, as written ------------------------------------------------- */

static void steps(struct jw *w, const char *k, const struct mint_recipe_step *s, size_t n);

static void step(struct jw *w, const struct mint_recipe_step *s)
{
	open_(w, NULL, "{");
	str(w, "name", s->name);
	str(w, "uses", s->uses);
	kvs(w, "with", &s->with);
	str(w, "runs", s->runs);
	str(w, "working-directory", s->working_directory);
	str(w, "if", s->if_expr);
	str(w, "label", s->label);
	kvs(w, "environment", &s->environment);
	if (s->needs_packages.n) {
		open_(w, "needs", "{");
		strs(w, "packages", &s->needs_packages);
		close_(w, "}");
	}
	steps(w, "pipeline", s->pipeline, s->n_pipeline);
	close_(w, "}");
}

static void steps(struct jw *w, const char *k, const struct mint_recipe_step *s, size_t n)
{
	const struct mint_image_kvs *vars = w->vars;
	if (!n)
		return;
	w->vars = NULL;
	open_(w, k, "[");
	for (size_t i = 0; i < n; i++)
		step(w, &s[i]);
	close_(w, "]");
	w->vars = vars;
}

/* --- the model ---------------------------------------------------------------- */

static void environment(struct jw *w, const char *k, const struct mint_image_config *cfg)
{
	struct mint_buf b = MINT_BUF_INIT;
	if (w->rc)
		return;
	if (mint_image_config_to_json(cfg, &b)) {
		w->rc = MINT_ENOMEM;
		return;
	}
	while (b.len && b.data[b.len - 1] == '\n')
		b.len--;
	key(w, k);
	if (!w->rc && mint_buf_append(w->out, b.data, b.len))
		w->rc = MINT_ENOMEM;
	mint_buf_free(&b);
}

static void test(struct jw *w, const char *k, const struct mint_recipe_test *t)
{
	if (!t->present)
		return;
	open_(w, k, "{");
	if (t->has_environment)
		environment(w, "environment", &t->environment);
	steps(w, "pipeline", t->pipeline, t->n_pipeline);
	close_(w, "}");
}

static void dependencies(struct jw *w, const struct mint_recipe_dependencies *d)
{
	if (!d->runtime.n && !d->provides.n && !d->replaces.n && !d->has_provider_priority &&
	    !d->has_replaces_priority)
		return;
	open_(w, "dependencies", "{");
	strs(w, "runtime", &d->runtime);
	strs(w, "provides", &d->provides);
	strs(w, "replaces", &d->replaces);
	if (d->has_provider_priority)
		integer(w, "provider-priority", d->provider_priority);
	if (d->has_replaces_priority)
		integer(w, "replaces-priority", d->replaces_priority);
	close_(w, "}");
}

static void options(struct jw *w, const struct mint_recipe_pkg_options *o)
{
	if (!o->no_provides && !o->no_depends && !o->no_commands && !o->no_versioned_shlib_deps)
		return;
	open_(w, "options", "{");
	if (o->no_provides)
		boolean(w, "no-provides", true);
	if (o->no_depends)
		boolean(w, "no-depends", true);
	if (o->no_commands)
		boolean(w, "no-commands", true);
	if (o->no_versioned_shlib_deps)
		boolean(w, "no-versioned-shlib-deps", true);
	close_(w, "}");
}

static void scriptlets(struct jw *w, const struct mint_recipe_scriptlets *s)
{
	bool trigger = s->trigger_paths.n || s->trigger_script;
	if (!s->pre_install && !s->post_install && !s->pre_deinstall && !s->post_deinstall &&
	    !s->pre_upgrade && !s->post_upgrade && !trigger)
		return;
	open_(w, "scriptlets", "{");
	str(w, "pre-install", s->pre_install);
	str(w, "post-install", s->post_install);
	str(w, "pre-deinstall", s->pre_deinstall);
	str(w, "post-deinstall", s->post_deinstall);
	str(w, "pre-upgrade", s->pre_upgrade);
	str(w, "post-upgrade", s->post_upgrade);
	if (trigger) {
		open_(w, "trigger", "{");
		strs(w, "paths", &s->trigger_paths);
		str(w, "script", s->trigger_script);
		close_(w, "}");
	}
	close_(w, "}");
}

/* What package and subpackages share, but test (top-level for the package). */
static void meta(struct jw *w, const struct mint_recipe_meta *m)
{
	str(w, "description", m->description);
	str(w, "url", m->url);
	str(w, "commit", m->commit);
	dependencies(w, &m->dependencies);
	options(w, &m->options);
	scriptlets(w, &m->scriptlets);
	if (m->checks_disabled.n) {
		open_(w, "checks", "{");
		strs(w, "disabled", &m->checks_disabled);
		close_(w, "}");
	}
}

static void copyright(struct jw *w, const struct mint_recipe_package *p)
{
	if (!p->n_copyright)
		return;
	open_(w, "copyright", "[");
	for (size_t i = 0; i < p->n_copyright; i++) {
		const struct mint_recipe_copyright *c = &p->copyright[i];
		open_(w, NULL, "{");
		str(w, "license", c->license);
		str(w, "license-path", c->license_path);
		str(w, "attestation", c->attestation);
		str(w, "detection-override", c->detection_override);
		strs(w, "paths", &c->paths);
		close_(w, "}");
	}
	close_(w, "]");
}

static void package(struct jw *w, const struct mint_recipe *r)
{
	const struct mint_recipe_package *p = &r->package;
	char *full = mint_recipe_full_version(r);
	if (!full) {
		w->rc = MINT_ENOMEM;
		return;
	}
	open_(w, "package", "{");
	str(w, "name", p->meta.name);
	str(w, "version", p->version);
	integer(w, "epoch", (int64_t)p->epoch);
	raw_str(w, "full-version", full);
	meta(w, &p->meta);
	kvs(w, "annotations", &p->annotations);
	strs(w, "target-architecture", &p->target_architecture);
	str(w, "timeout", p->timeout);
	copyright(w, p);
	close_(w, "}");
	free(full);
}

/* ${{subpkg.name}} and the context directory of one subpackage. */
static int subpackage_vars(struct mint_image_kvs *vars, const char *name)
{
	char dir[CFG_PATH_MAX + 32];
	snprintf(dir, sizeof(dir), "/home/build/melange-out/%s", name ? name : "");
	int rc = cfg_kvs_set(vars, "subpkg.name", name ? name : "");
	if (!rc)
		rc = cfg_kvs_set(vars, "targets.subpkgdir", dir);
	if (!rc)
		rc = cfg_kvs_set(vars, "targets.contextdir", dir);
	return rc;
}

static void subpackages(struct jw *w, const struct mint_recipe *r, struct mint_image_kvs *vars)
{
	if (!r->n_subpackages)
		return;
	open_(w, "subpackages", "[");
	for (size_t i = 0; i < r->n_subpackages && !w->rc; i++) {
		const struct mint_recipe_subpackage *s = &r->subpackages[i];
		if (subpackage_vars(vars, s->meta.name))
			w->rc = MINT_ENOMEM;
		open_(w, NULL, "{");
		str(w, "name", s->meta.name);
		str(w, "if", s->if_expr);
		meta(w, &s->meta);
		steps(w, "pipeline", s->pipeline, s->n_pipeline);
		test(w, "test", &s->meta.test);
		close_(w, "}");
	}
	close_(w, "]");
}

static void recipe(struct jw *w, const struct mint_recipe *r, struct mint_image_kvs *vars)
{
	open_(w, NULL, "{");
	package(w, r);
	if (r->has_environment)
		environment(w, "environment", &r->environment);
	steps(w, "pipeline", r->pipeline, r->n_pipeline);
	subpackages(w, r, vars);
	test(w, "test", &r->package.meta.test);
	w->vars = NULL;
	kvs(w, "vars", &r->vars);
	if (r->has_update) {
		open_(w, "update", "{");
		boolean(w, "enabled", r->update_enabled);
		close_(w, "}");
	}
	close_(w, "}");
}

/* --- indentation ---------------------------------------------------------------- */

static int newline(struct mint_buf *out, unsigned depth)
{
	int rc = mint_buf_putc(out, '\n');
	for (unsigned i = 0; i < depth && !rc; i++)
		rc = mint_buf_puts(out, "  ");
	return rc;
}

/* Indents compact JSON (no blanks outside strings) by two spaces. */
static int indent(const char *s, size_t n, struct mint_buf *out)
{
	unsigned depth = 0;
	bool in_string = false;
	int rc = 0;
	for (size_t i = 0; i < n && !rc; i++) {
		char ch = s[i];
		if (in_string) {
			rc = mint_buf_putc(out, ch);
			if (ch == '\\' && i + 1 < n)
				rc = rc ? rc : mint_buf_putc(out, s[++i]);
			else if (ch == '"')
				in_string = false;
			continue;
		}
		if (ch == '"') {
			in_string = true;
			rc = mint_buf_putc(out, ch);
		} else if ((ch == '{' || ch == '[') && i + 1 < n && (s[i + 1] == '}' || s[i + 1] == ']')) {
			rc = mint_buf_putc(out, ch);
			rc = rc ? rc : mint_buf_putc(out, s[++i]);
		} else if (ch == '{' || ch == '[') {
			rc = mint_buf_putc(out, ch);
			rc = rc ? rc : newline(out, ++depth);
		} else if (ch == '}' || ch == ']') {
			rc = newline(out, depth ? --depth : 0);
			rc = rc ? rc : mint_buf_putc(out, ch);
		} else if (ch == ',') {
			rc = mint_buf_putc(out, ch);
			rc = rc ? rc : newline(out, depth);
		} else if (ch == ':') {
			rc = mint_buf_puts(out, ": ");
		} else {
			rc = mint_buf_putc(out, ch);
		}
	}
	return rc ? rc : mint_buf_putc(out, '\n');
}

int mint_recipe_to_json(const struct mint_recipe *r, const char *arch, struct mint_buf *out,
			struct mint_err *err)
{
	struct mint_image_kvs vars = { 0 };
	struct mint_buf compact = MINT_BUF_INIT;
	enum mint_arch host;
	if (!arch)
		arch = mint_arch_host(&host) ? mint_arch_to_apk(host) : "x86_64";
	int rc = mint_recipe_vars(r, arch, &vars, err);
	if (rc)
		return rc;
	struct jw w = { .out = &compact, .vars = &vars };
	recipe(&w, r, &vars);
	rc = w.rc;
	if (!rc)
		rc = indent(compact.data, compact.len, out);
	if (rc)
		mint_err_set(err, rc, rc == MINT_ELIMIT ? "the recipe's JSON would be too large or "
							   "too deeply nested"
							 : "out of memory");
	cfg_kvs_free(&vars);
	mint_buf_free(&compact);
	return rc;
}
