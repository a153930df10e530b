/* SPDX-License-Identifier: Apache-2.0 */
/*
 * mint_pkg_build: the order of a melange build. Everything that can be
 * checked without running anything (the recipe, every pipeline's inputs,
 * the `if:` of each subpackage) is checked first; then the workspace and
 * the environment are made, the pipelines run (the package's, then each
 * subpackage's), and the packages are emitted.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "build_internal.h"
#include "mint/fs.h"
#include "mint/image_config.h"

#define GUEST_OUT "/home/build/melange-out"

void pkg_log(const struct pkg_job *j, const char *fmt, ...)
{
	char line[1024];
	va_list ap;
	if (!j->o->log)
		return;
	va_start(ap, fmt);
	int n = vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	j->o->log(j->o->log_ctx, line, (size_t)n < sizeof(line) ? (size_t)n : sizeof(line) - 1);
}

static bool arch_targeted(const struct mint_recipe *r, const char *arch)
{
	const struct mint_image_strs *t = &r->package.target_architecture;
	if (!t->n)
		return true;
	for (size_t i = 0; i < t->n; i++)
		if (!strcmp(t->v[i], "all") || !strcmp(t->v[i], arch))
			return true;
	return false;
}

/* The variables one target's steps see. */
int pkg_target_vars(const struct pkg_job *j, const struct pkg_target *t,
		       struct mint_image_kvs *out, struct mint_err *err)
{
	struct mint_buf dir = { 0 };
	int rc = mint_recipe_kvs_merge(out, &j->vars);
	if (!rc)
		rc = mint_buf_printf(&dir, "%s/%s", GUEST_OUT, t->meta->name);
	if (!rc)
		rc = mint_recipe_kvs_set(out, "targets.contextdir", dir.data);
	if (!rc && t != &j->targets[0])
		rc = mint_recipe_kvs_set(out, "targets.subpkgdir", dir.data);
	if (!rc)
		rc = mint_recipe_kvs_set(out, "subpkg.name", t->meta->name);
	if (!rc)
		rc = mint_recipe_kvs_set(out, "context.name", t->meta->name);
	mint_buf_free(&dir);
	return rc ? mint_err_set(err, MINT_ENOMEM, "out of memory") : 0;
}

static int subpackage_enabled(const struct pkg_job *j, const struct mint_recipe_subpackage *sp,
			      bool *out, struct mint_err *err)
{
	struct mint_buf text = { 0 };
	*out = true;
	if (!sp->if_expr)
		return 0;
	int rc = mint_recipe_subst(sp->if_expr, &j->vars, false, &text, err);
	if (!rc)
		rc = mint_pipeline_eval_if(text.data ? text.data : "", out, err);
	if (rc)
		mint_err_prefix(err, "subpackage %s: if", sp->meta.name);
	mint_buf_free(&text);
	return rc;
}

static int plan_targets(struct pkg_job *j, struct mint_err *err)
{
	const struct mint_recipe *r = &j->recipe;
	j->targets = calloc(r->n_subpackages + 1, sizeof(*j->targets));
	if (!j->targets)
		return mint_err_set(err, MINT_ENOMEM, "out of memory");
	j->n_targets = r->n_subpackages + 1;
	j->targets[0].meta = &r->package.meta;
	j->targets[0].pipeline = r->pipeline;
	j->targets[0].n_pipeline = r->n_pipeline;
	for (size_t i = 0; i < r->n_subpackages; i++) {
		struct pkg_target *t = &j->targets[i + 1];
		bool on;
		t->meta = &r->subpackages[i].meta;
		t->pipeline = r->subpackages[i].pipeline;
		t->n_pipeline = r->subpackages[i].n_pipeline;
		int rc = subpackage_enabled(j, &r->subpackages[i], &on, err);
		if (rc)
			return rc;
		t->skipped = !on;
	}
	return 0;
}

static int expand_targets(struct pkg_job *j, struct mint_err *err)
{
	for (size_t i = 0; i < j->n_targets; i++) {
		struct pkg_target *t = &j->targets[i];
		struct mint_image_kvs vars = { 0 };
		if (t->skipped)
			continue;
		int rc = pkg_target_vars(j, t, &vars, err);
		if (!rc)
			rc = mint_pipeline_expand(j->lib, t->pipeline, t->n_pipeline, &vars, &t->steps,
						  err);
		mint_recipe_kvs_free(&vars);
		if (rc)
			return rc;
	}
	return 0;
}

static int collect_needs(const struct pkg_job *j, struct mint_image_strs *needs,
			 struct mint_err *err)
{
	for (size_t i = 0; i < j->n_targets; i++) {
		const struct pkg_target *t = &j->targets[i];
		if (t->skipped)
			continue;
		int rc = mint_pipeline_needs(j->lib, t->pipeline, t->n_pipeline, needs, err);
		if (rc)
			return rc;
	}
	return 0;
}

static int make_destdirs(struct pkg_job *j, struct mint_err *err)
{
	for (size_t i = 0; i < j->n_targets; i++) {
		struct pkg_target *t = &j->targets[i];
		struct mint_buf guest = { 0 }, host = { 0 };
		if (t->skipped)
			continue;
		int rc = mint_buf_printf(&guest, "%s/%s", GUEST_OUT, t->meta->name);
		if (rc) {
			mint_buf_free(&guest);
			return mint_err_set(err, MINT_ENOMEM, "out of memory");
		}
		rc = pkg_guest_to_host(j, guest.data, &host, err);
		mint_buf_free(&guest);
		if (rc)
			return rc;
		t->destdir = host.data;
		rc = mint_mkdir_p(t->destdir, 0755, err);
		if (rc)
			return rc;
	}
	return 0;
}

static int run_targets(struct pkg_job *j, struct mint_err *err)
{
	for (size_t i = 0; i < j->n_targets; i++) {
		const struct pkg_target *t = &j->targets[i];
		if (t->skipped) {
			pkg_log(j, "skipping subpackage %s: its if is false", t->meta->name);
			continue;
		}
		pkg_log(j, "running the pipelines of %s", t->meta->name);
		int rc = pkg_run_steps(j, &t->steps, err);
		if (rc)
			return rc;
	}
	return 0;
}

int pkg_prepare(struct pkg_job *j, struct mint_err *err)
{
	int rc = mint_recipe_load(j->o->recipe_path, &j->recipe, err);
	if (rc)
		return rc;
	if (!arch_targeted(&j->recipe, j->arch))
		return mint_err_set(err, MINT_EUNSUPPORTED,
				    "%s: package %s does not build for %s (target-architecture)",
				    j->o->recipe_path, j->recipe.package.meta.name, j->arch);
	j->full_version = mint_recipe_full_version(&j->recipe);
	if (!j->full_version)
		return mint_err_set(err, MINT_ENOMEM, "out of memory");
	rc = mint_recipe_vars(&j->recipe, j->arch, &j->vars, err);
	if (!rc)
		rc = mint_pipeline_lib_new(&j->lib, j->o->pipeline_dirs, j->o->n_pipeline_dirs, err);
	if (!rc)
		rc = plan_targets(j, err);
	if (!rc)
		rc = expand_targets(j, err);
	return rc;
}

int pkg_job_arch(struct pkg_job *j, struct mint_err *err)
{
	enum mint_arch a, host;
	if (!mint_arch_host(&host))
		return mint_err_set(err, MINT_EUNSUPPORTED,
				    "this machine's architecture is not one mint builds for");
	a = host;
	if (j->o->arch && !mint_arch_parse(j->o->arch, &a))
		return mint_err_set(err, MINT_EINVAL, "unknown architecture '%s'", j->o->arch);
	/* Steps run this machine's binaries; a package labelled for another
	 * arch would hold the wrong ones. */
	if (a != host)
		return mint_err_set(err, MINT_EUNSUPPORTED,
				    "cannot build for %s on %s: cross-architecture builds are not "
				    "supported",
				    mint_arch_to_apk(a), mint_arch_to_apk(host));
	j->arch = mint_arch_to_apk(a);
	return 0;
}

void pkg_job_free(struct pkg_job *j)
{
	if (j->workspace) {
		struct mint_err ignored = { 0 };
		mint_remove_tree(j->workspace, &ignored);
	}
	if (j->rootfs) {
		struct mint_err ignored = { 0 };
		mint_remove_tree(j->rootfs, &ignored);
	}
	for (size_t i = 0; i < j->n_targets; i++) {
		mint_build_steps_free(&j->targets[i].steps);
		free(j->targets[i].destdir);
	}
	for (size_t i = 0; i < j->n_sources; i++) {
		free((char *)j->sources[i].uri);
		free((char *)j->sources[i].sha256);
		free((char *)j->sources[i].sha512);
	}
	free(j->sources);
	free(j->targets);
	free(j->workspace);
	free(j->rootfs);
	free(j->guest_root);
	free(j->full_version);
	mint_recipe_kvs_free(&j->vars);
	mint_recipe_kvs_free(&j->sandbox.env);
	mint_pipeline_lib_free(j->lib);
	mint_recipe_free(&j->recipe);
}

int mint_pkg_build(const struct mint_pkg_build_opts *o, struct mint_pkg_build_result *res,
		   struct mint_err *err)
{
	struct pkg_job j = { .o = o, .res = res };
	struct mint_image_strs needs = { 0 };
	memset(res, 0, sizeof(*res));
	int rc = pkg_job_arch(&j, err);
	if (!rc)
		rc = pkg_prepare(&j, err);
	if (!rc)
		rc = collect_needs(&j, &needs, err);
	if (!rc)
		rc = pkg_workspace_create(&j, err);
	if (!rc)
		rc = make_destdirs(&j, err);
	if (!rc)
		rc = pkg_environment_prepare(&j, &j.recipe.environment, &needs, NULL, 0, NULL, 0,
					     err);
	if (!rc)
		rc = run_targets(&j, err);
	if (!rc)
		rc = pkg_emit_all(&j, err);
	mint_image_strs_free(&needs);
	pkg_job_free(&j);
	return rc;
}

void mint_pkg_build_result_free(struct mint_pkg_build_result *r)
{
	for (size_t i = 0; i < r->n_apks; i++)
		free(r->apks[i]);
	free(r->apks);
	free(r->index);
	memset(r, 0, sizeof(*r));
}
