/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Expansion: recipe steps in, the flat list of commands a build runs out.
 *
 * Walking the steps depth first, each step
 *  - is dropped with its nested steps when its `if:` is false;
 *  - gets the environment and working directory of its parent, plus its
 *    own (a relative working-directory is under /home/build);
 *  - with `uses: _builtin/fetch` becomes a FETCH step;
 *  - with `uses: <pipeline>` is replaced by that pipeline's steps, whose
 *    inputs.* are the `with:` values (substituted with the caller's
 *    variables) or the declared defaults; undeclared `with:` keys and
 *    missing required inputs are errors;
 *  - with `runs:` becomes a RUN step, then its nested steps follow.
 *
 * Every error starts with where the step was written, and for steps of a
 * pipeline file, through which `uses:` it was reached.
 *
 * Not here: finding and reading pipeline files (pipeline_lib.c).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/recipe/pipeline_internal.h"
#include "mint/path.h"

#define GUEST_HOME "/home/build"
/* `uses:` levels; a pipeline that uses itself stops here. */
#define USES_MAX_DEPTH 16
#define STEP_NAME_MAX 80

struct scope {
	const struct mint_image_kvs *vars;
	const struct mint_image_kvs *env;
	const char *workdir;            /* absolute; NULL means GUEST_HOME */
	const char *via;                /* "" or "make via recipe.yaml:3:5" */
	const char *pipeline_name;      /* name for unnamed steps, or NULL */
	unsigned depth;
};

struct expander {
	const struct mint_pipeline_lib *lib;
	struct mint_build_steps *out;
	struct mint_err *err;
};

static int expand_steps(struct expander *x, const struct mint_recipe_step *steps, size_t n,
			const struct scope *sc);

static int oom(struct mint_err *err)
{
	return mint_err_set(err, MINT_ENOMEM, "out of memory");
}

/* "file:line:col" with " (via)" when the step came through a `uses:`. */
static char *make_origin(const struct mint_recipe_step *s, const struct scope *sc)
{
	struct mint_buf b = MINT_BUF_INIT;
	int rc = mint_buf_printf(&b, "%s:%u:%u", s->file ? s->file : "", s->line, s->column);
	if (!rc && sc->via[0])
		rc = mint_buf_printf(&b, " (%s)", sc->via);
	if (rc) {
		mint_buf_free(&b);
		return NULL;
	}
	return mint_buf_detach(&b, NULL);
}

/* Messages keep room for what went wrong after a long `via` chain. */
#define ORIGIN_MSG_MAX 300

static void prefix_origin(struct mint_err *err, const char *origin)
{
	size_t len = strlen(origin);
	if (len > ORIGIN_MSG_MAX)
		mint_err_prefix(err, "%.*s...)", ORIGIN_MSG_MAX, origin);
	else
		mint_err_prefix(err, "%s", origin);
}

static int fail(struct expander *x, const char *origin, int code, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
static int fail(struct expander *x, const char *origin, int code, const char *fmt, ...)
{
	char msg[MINT_ERR_MSG_MAX];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	mint_err_set(x->err, code, "%s", msg);
	prefix_origin(x->err, origin);
	return code;
}

/* Substitutes text into a malloc'd string; errors carry the origin. */
static int subst_dup(struct expander *x, const char *origin, const char *text,
		     const struct mint_image_kvs *vars, bool keep_unknown, char **out)
{
	struct mint_buf b = MINT_BUF_INIT;
	int rc = mint_recipe_subst(text, vars, keep_unknown, &b, x->err);
	if (rc) {
		mint_buf_free(&b);
		prefix_origin(x->err, origin);
		return rc;
	}
	*out = mint_buf_detach(&b, NULL);
	return 0;
}

static void build_step_free(struct mint_build_step *s)
{
	free(s->name);
	free(s->origin);
	free(s->script);
	free(s->working_directory);
	mint_recipe_kvs_free(&s->environment);
	free(s->uri);
	free(s->expected_sha256);
	free(s->expected_sha512);
	free(s->dest);
}

void mint_build_steps_free(struct mint_build_steps *s)
{
	for (size_t i = 0; i < s->n; i++)
		build_step_free(&s->v[i]);
	free(s->v);
	s->v = NULL;
	s->n = 0;
}

/* Takes ownership of *s (also on failure). */
static int push_step(struct expander *x, struct mint_build_step *s)
{
	struct mint_build_step *nv = realloc(x->out->v, (x->out->n + 1) * sizeof(*nv));
	if (!nv) {
		build_step_free(s);
		return oom(x->err);
	}
	x->out->v = nv;
	nv[x->out->n++] = *s;
	return 0;
}

/* The working directory a step runs in, absolute. */
static int resolve_workdir(struct expander *x, const char *origin,
			   const struct mint_recipe_step *s, const struct scope *sc, char **out)
{
	char *wd = NULL;
	struct mint_buf b = MINT_BUF_INIT;
	if (!s->working_directory) {
		*out = strdup(sc->workdir ? sc->workdir : GUEST_HOME);
		return *out ? 0 : oom(x->err);
	}
	int rc = subst_dup(x, origin, s->working_directory, sc->vars, false, &wd);
	if (rc)
		return rc;
	if (wd[0] == '/') {
		*out = wd;
		return 0;
	}
	const char *rel = wd;
	while (rel[0] == '.' && rel[1] == '/')
		rel += 2;
	if (!strcmp(rel, ".") || !rel[0])
		rc = mint_buf_puts(&b, GUEST_HOME);
	else
		rc = mint_buf_printf(&b, GUEST_HOME "/%s", rel);
	free(wd);
	if (rc) {
		mint_buf_free(&b);
		return oom(x->err);
	}
	*out = mint_buf_detach(&b, NULL);
	return 0;
}

/* The step's name for messages: its own, the pipeline's, else the first
 * line of its script. */
static int step_name(struct expander *x, const char *origin, const struct mint_recipe_step *s,
		     const struct scope *sc, const char *script, char **out)
{
	if (s->name)
		return subst_dup(x, origin, s->name, sc->vars, true, out);
	if (sc->pipeline_name)
		*out = strdup(sc->pipeline_name);
	else {
		const char *p = script ? script : "";
		while (*p == ' ' || *p == '\t' || *p == '\n')
			p++;
		size_t len = strcspn(p, "\n");
		*out = strndup(p, len > STEP_NAME_MAX ? STEP_NAME_MAX : len);
	}
	return *out ? 0 : oom(x->err);
}

static int emit_run(struct expander *x, const char *origin, const struct mint_recipe_step *s,
		    const struct scope *sc, const char *workdir)
{
	struct mint_build_step b = { .kind = MINT_BUILD_STEP_RUN };
	int rc = subst_dup(x, origin, s->runs, sc->vars, false, &b.script);
	if (!rc)
		rc = step_name(x, origin, s, sc, b.script, &b.name);
	if (!rc && (!(b.origin = strdup(origin)) || !(b.working_directory = strdup(workdir)) ||
		    mint_recipe_kvs_merge(&b.environment, sc->env)))
		rc = oom(x->err);
	if (rc) {
		build_step_free(&b);
		return rc;
	}
	return push_step(x, &b);
}

static bool is_hex(const char *s, size_t len)
{
	if (strlen(s) != len)
		return false;
	for (size_t i = 0; i < len; i++)
		if (!strchr("0123456789abcdefABCDEF", s[i]))
			return false;
	return true;
}

/* The file name a URI's path ends in ("a.tar.gz"), or "" when none. */
static char *uri_basename(const char *uri)
{
	size_t end = strcspn(uri, "?#");
	size_t start = end;
	while (start && uri[start - 1] != '/')
		start--;
	return strndup(uri + start, end - start);
}

static bool clean_relative(const char *name)
{
	struct mint_buf b = MINT_BUF_INIT;
	int rc = mint_path_clean(mint_span_str(name), false, &b, NULL);
	bool ok = !rc && name[0] && !strcmp(mint_buf_cstr(&b), name);
	mint_buf_free(&b);
	return ok;
}

/* The with: value of key substituted, or NULL (empty counts as absent). */
static int fetch_arg(struct expander *x, const char *origin, const struct mint_recipe_step *s,
		     const struct scope *sc, const char *key, char **out)
{
	*out = NULL;
	for (size_t i = 0; i < s->with.n; i++) {
		if (strcmp(s->with.v[i].key, key))
			continue;
		int rc = subst_dup(x, origin, s->with.v[i].value, sc->vars, false, out);
		if (!rc && !(*out)[0]) {
			free(*out);
			*out = NULL;
		}
		return rc;
	}
	return 0;
}

static int check_fetch(struct expander *x, const char *origin, const struct mint_recipe_step *s,
		       struct mint_build_step *b)
{
	static const char *const known[] = { "dest", "expected-sha256", "expected-sha512", "uri" };
	for (size_t i = 0; i < s->with.n; i++) {
		size_t k = 0;
		while (k < 4 && strcmp(known[k], s->with.v[i].key))
			k++;
		if (k == 4)
			return fail(x, origin, MINT_EFORMAT,
				    "%s has no input '%s' (it takes uri, expected-sha256, "
				    "expected-sha512, dest)",
				    MINT_PIPELINE_BUILTIN_FETCH, s->with.v[i].key);
	}
	if (!b->uri)
		return fail(x, origin, MINT_EFORMAT, "fetch needs a 'uri'");
	if (!b->expected_sha256 && !b->expected_sha512)
		return fail(x, origin, MINT_EFORMAT,
			    "fetch of '%s' needs expected-sha256 or expected-sha512", b->uri);
	if (b->expected_sha256 && !is_hex(b->expected_sha256, 64))
		return fail(x, origin, MINT_EFORMAT,
			    "expected-sha256 '%s' is not 64 hexadecimal digits", b->expected_sha256);
	if (b->expected_sha512 && !is_hex(b->expected_sha512, 128))
		return fail(x, origin, MINT_EFORMAT,
			    "expected-sha512 '%s' is not 128 hexadecimal digits",
			    b->expected_sha512);
	if (!clean_relative(b->dest))
		return fail(x, origin, MINT_EUNSAFE,
			    "fetch destination '%s' (from '%s') is not a clean relative file name",
			    b->dest, b->uri);
	return 0;
}

static int emit_fetch(struct expander *x, const char *origin, const struct mint_recipe_step *s,
		      const struct scope *sc, const char *workdir)
{
	struct mint_build_step b = { .kind = MINT_BUILD_STEP_FETCH };
	int rc = fetch_arg(x, origin, s, sc, "uri", &b.uri);
	if (!rc)
		rc = fetch_arg(x, origin, s, sc, "expected-sha256", &b.expected_sha256);
	if (!rc)
		rc = fetch_arg(x, origin, s, sc, "expected-sha512", &b.expected_sha512);
	if (!rc)
		rc = fetch_arg(x, origin, s, sc, "dest", &b.dest);
	if (!rc && !b.dest && b.uri && !(b.dest = uri_basename(b.uri)))
		rc = oom(x->err);
	if (!rc)
		rc = check_fetch(x, origin, s, &b);
	if (!rc)
		rc = step_name(x, origin, s, sc, "fetch", &b.name);
	if (!rc && (!(b.origin = strdup(origin)) || !(b.working_directory = strdup(workdir)) ||
		    mint_recipe_kvs_merge(&b.environment, sc->env)))
		rc = oom(x->err);
	if (rc) {
		build_step_free(&b);
		return rc;
	}
	return push_step(x, &b);
}

/* The variables inside a used pipeline: the caller's without its own
 * inputs.*, plus this pipeline's inputs. */
static int input_vars(struct expander *x, const char *origin, const struct mint_recipe_step *s,
		      const struct mint_pipeline_def *def, const struct scope *sc,
		      struct mint_image_kvs *out)
{
	int rc;
	for (size_t i = 0; i < s->with.n; i++)
		if (!mint_pipeline_def_input(def, s->with.v[i].key))
			return fail(x, origin, MINT_EFORMAT, "pipeline '%s' has no input '%s'",
				    def->uses, s->with.v[i].key);
	for (size_t i = 0; i < sc->vars->n; i++)
		if (strncmp(sc->vars->v[i].key, "inputs.", 7) &&
		    mint_recipe_kvs_set(out, sc->vars->v[i].key, sc->vars->v[i].value))
			return oom(x->err);
	for (size_t i = 0; i < def->n_inputs; i++) {
		const struct mint_pipeline_input *in = &def->inputs[i];
		const char *given = NULL;
		char *value = NULL, key[MINT_ERR_MSG_MAX];
		for (size_t k = 0; k < s->with.n; k++)
			if (!strcmp(s->with.v[k].key, in->name))
				given = s->with.v[k].value;
		if (!given)
			given = in->default_value;
		if (!given && in->required)
			return fail(x, origin, MINT_EFORMAT,
				    "pipeline '%s' needs input '%s' (%s)", def->uses, in->name,
				    in->description ? in->description : "required");
		if ((rc = subst_dup(x, origin, given ? given : "", sc->vars, false, &value)))
			return rc;
		snprintf(key, sizeof(key), "inputs.%.700s", in->name);
		rc = mint_recipe_kvs_set(out, key, value);
		free(value);
		if (rc)
			return oom(x->err);
	}
	return 0;
}

static int expand_uses(struct expander *x, const char *origin, const struct mint_recipe_step *s,
		       const struct scope *sc, const struct mint_image_kvs *env,
		       const char *workdir)
{
	struct mint_pipeline_def def;
	struct mint_image_kvs vars = { 0 };
	struct mint_buf via = MINT_BUF_INIT;
	char *name = NULL;
	if (sc->depth >= USES_MAX_DEPTH)
		return fail(x, origin, MINT_ELIMIT,
			    "'uses: %s' nests pipelines deeper than %d (does a pipeline use itself?)",
			    s->uses, USES_MAX_DEPTH);
	int rc = mint_pipeline_lib_load(x->lib, s->uses, &def, x->err);
	if (rc) {
		prefix_origin(x->err, origin);
		return rc;
	}
	if ((rc = input_vars(x, origin, s, &def, sc, &vars)))
		goto out;
	if (s->name && (rc = subst_dup(x, origin, s->name, sc->vars, true, &name)))
		goto out;
	if (mint_buf_printf(&via, "%s via %s:%u:%u%s%s", s->uses, s->file ? s->file : "", s->line,
			    s->column, sc->via[0] ? ", " : "", sc->via)) {
		rc = oom(x->err);
		goto out;
	}
	struct scope inner = { &vars, env, workdir, mint_buf_cstr(&via), name ? name : s->uses,
			       sc->depth + 1 };
	rc = expand_steps(x, def.steps, def.n_steps, &inner);
out:
	free(name);
	mint_buf_free(&via);
	mint_recipe_kvs_free(&vars);
	mint_pipeline_def_free(&def);
	return rc;
}

/* The step's environment: its parent's plus its own, substituted. */
static int step_env(struct expander *x, const char *origin, const struct mint_recipe_step *s,
		    const struct scope *sc, struct mint_image_kvs *env)
{
	if (mint_recipe_kvs_merge(env, sc->env))
		return oom(x->err);
	for (size_t i = 0; i < s->environment.n; i++) {
		char *v = NULL;
		int rc = subst_dup(x, origin, s->environment.v[i].value, sc->vars, false, &v);
		if (rc)
			return rc;
		rc = mint_recipe_kvs_set(env, s->environment.v[i].key, v);
		free(v);
		if (rc)
			return oom(x->err);
	}
	return 0;
}

static int step_condition(struct expander *x, const char *origin,
			  const struct mint_recipe_step *s, const struct scope *sc, bool *run)
{
	char *cond = NULL;
	*run = true;
	if (!s->if_expr)
		return 0;
	int rc = subst_dup(x, origin, s->if_expr, sc->vars, false, &cond);
	if (!rc && (rc = mint_pipeline_eval_if(cond, run, x->err)))
		prefix_origin(x->err, origin);
	free(cond);
	return rc;
}

static int expand_step(struct expander *x, const struct mint_recipe_step *s,
		       const struct scope *sc)
{
	struct mint_image_kvs env = { 0 };
	char *workdir = NULL;
	bool run;
	char *origin = make_origin(s, sc);
	if (!origin)
		return oom(x->err);
	int rc = step_condition(x, origin, s, sc, &run);
	if (rc || !run)
		goto out;
	if ((rc = step_env(x, origin, s, sc, &env)) ||
	    (rc = resolve_workdir(x, origin, s, sc, &workdir)))
		goto out;
	struct scope here = *sc;
	here.env = &env;
	here.workdir = workdir;
	if (s->uses && !strcmp(s->uses, MINT_PIPELINE_BUILTIN_FETCH))
		rc = emit_fetch(x, origin, s, &here, workdir);
	else if (s->uses)
		rc = expand_uses(x, origin, s, sc, &env, workdir);
	else if (s->runs)
		rc = emit_run(x, origin, s, &here, workdir);
	if (!rc && s->n_pipeline)
		rc = expand_steps(x, s->pipeline, s->n_pipeline, &here);
out:
	free(origin);
	free(workdir);
	mint_recipe_kvs_free(&env);
	return rc;
}

static int expand_steps(struct expander *x, const struct mint_recipe_step *steps, size_t n,
			const struct scope *sc)
{
	for (size_t i = 0; i < n; i++) {
		int rc = expand_step(x, &steps[i], sc);
		if (rc)
			return rc;
	}
	return 0;
}

int mint_pipeline_expand(const struct mint_pipeline_lib *lib, const struct mint_recipe_step *steps,
			 size_t n, const struct mint_image_kvs *vars, struct mint_build_steps *out,
			 struct mint_err *err)
{
	static const struct mint_image_kvs none = { 0 };
	struct expander x = { lib, out, err };
	struct scope top = { vars ? vars : &none, &none, NULL, "", NULL, 0 };
	out->v = NULL;
	out->n = 0;
	int rc = expand_steps(&x, steps, n, &top);
	if (rc)
		mint_build_steps_free(out);
	return rc;
}

/* ---- needs ---- */

static int strs_add_unique(struct mint_image_strs *out, const char *s)
{
	for (size_t i = 0; i < out->n; i++)
		if (!strcmp(out->v[i], s))
			return 0;
	char **nv = realloc(out->v, (out->n + 1) * sizeof(*nv));
	if (!nv)
		return MINT_ENOMEM;
	out->v = nv;
	if (!(nv[out->n] = strdup(s)))
		return MINT_ENOMEM;
	out->n++;
	return 0;
}

static int needs_steps(const struct mint_pipeline_lib *lib, const struct mint_recipe_step *steps,
		       size_t n, unsigned depth, struct mint_image_strs *out,
		       struct mint_err *err);

static int needs_uses(const struct mint_pipeline_lib *lib, const struct mint_recipe_step *s,
		      unsigned depth, struct mint_image_strs *out, struct mint_err *err)
{
	struct mint_pipeline_def def;
	if (depth >= USES_MAX_DEPTH)
		return mint_err_set(err, MINT_ELIMIT,
				    "%s:%u:%u: 'uses: %s' nests pipelines deeper than %d", s->file,
				    s->line, s->column, s->uses, USES_MAX_DEPTH);
	int rc = mint_pipeline_lib_load(lib, s->uses, &def, err);
	if (rc) {
		mint_err_prefix(err, "%s:%u:%u", s->file, s->line, s->column);
		return rc;
	}
	for (size_t i = 0; !rc && i < def.needs.n; i++)
		if ((rc = strs_add_unique(out, def.needs.v[i])))
			rc = oom(err);
	if (!rc)
		rc = needs_steps(lib, def.steps, def.n_steps, depth + 1, out, err);
	mint_pipeline_def_free(&def);
	return rc;
}

static int needs_steps(const struct mint_pipeline_lib *lib, const struct mint_recipe_step *steps,
		       size_t n, unsigned depth, struct mint_image_strs *out,
		       struct mint_err *err)
{
	for (size_t i = 0; i < n; i++) {
		const struct mint_recipe_step *s = &steps[i];
		int rc = 0;
		for (size_t k = 0; !rc && k < s->needs_packages.n; k++)
			if (strs_add_unique(out, s->needs_packages.v[k]))
				rc = oom(err);
		if (!rc && s->uses && strcmp(s->uses, MINT_PIPELINE_BUILTIN_FETCH))
			rc = needs_uses(lib, s, depth, out, err);
		if (!rc)
			rc = needs_steps(lib, s->pipeline, s->n_pipeline, depth, out, err);
		if (rc)
			return rc;
	}
	return 0;
}

int mint_pipeline_needs(const struct mint_pipeline_lib *lib, const struct mint_recipe_step *steps,
			size_t n, struct mint_image_strs *out, struct mint_err *err)
{
	return needs_steps(lib, steps, n, 0, out, err);
}
