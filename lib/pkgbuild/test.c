/* SPDX-License-Identifier: Apache-2.0 */
/*
 * mint_pkg_test: melange test. For the package and each subpackage that
 * has a `test:`, a fresh workspace and environment (test.environment plus
 * the package under test, installed from the build's output repository
 * and what the test pipelines need), then the test pipeline.
 */
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "build_internal.h"

static void reset_sandbox(struct pkg_job *j)
{
	struct mint_err ignored = { 0 };
	if (j->workspace)
		mint_remove_tree(j->workspace, &ignored);
	if (j->rootfs)
		mint_remove_tree(j->rootfs, &ignored);
	free(j->workspace);
	free(j->rootfs);
	free(j->guest_root);
	j->workspace = j->rootfs = j->guest_root = NULL;
	mint_recipe_kvs_free(&j->sandbox.env);
	memset(&j->sandbox, 0, sizeof(j->sandbox));
}

static int add_need(struct mint_image_strs *needs, const char *name, struct mint_err *err)
{
	char **v = realloc(needs->v, (needs->n + 1) * sizeof(*v));
	if (!v)
		return mint_err_set(err, MINT_ENOMEM, "out of memory");
	needs->v = v;
	v[needs->n] = strdup(name);
	if (!v[needs->n])
		return mint_err_set(err, MINT_ENOMEM, "out of memory");
	needs->n++;
	return 0;
}

static int test_one(struct pkg_job *j, const struct pkg_target *t, const char *repo,
		    struct mint_err *err)
{
	const struct mint_recipe_test *test = &t->meta->test;
	static const struct mint_image_config no_env;
	struct mint_image_strs needs = { 0 };
	struct mint_image_kvs vars = { 0 };
	struct mint_build_steps steps = { 0 };
	pkg_log(j, "testing %s", t->meta->name);
	int rc = mint_pipeline_needs(j->lib, test->pipeline, test->n_pipeline, &needs, err);
	if (!rc)
		rc = add_need(&needs, t->meta->name, err);
	if (!rc)
		rc = pkg_target_vars(j, t, &vars, err);
	if (!rc)
		rc = mint_pipeline_expand(j->lib, test->pipeline, test->n_pipeline, &vars, &steps,
					  err);
	if (!rc)
		rc = pkg_workspace_create(j, err);
	if (!rc)
		rc = pkg_environment_prepare(j, test->has_environment ? &test->environment : &no_env,
					     &needs, &repo, 1, NULL, 0, err);
	if (!rc)
		rc = pkg_run_steps(j, &steps, err);
	if (rc)
		mint_err_prefix(err, "test of %s", t->meta->name);
	mint_build_steps_free(&steps);
	mint_recipe_kvs_free(&vars);
	mint_image_strs_free(&needs);
	reset_sandbox(j);
	return rc;
}

int mint_pkg_test(const struct mint_pkg_build_opts *o, struct mint_pkg_build_result *res,
		  struct mint_err *err)
{
	struct pkg_job j = { .o = o, .res = res };
	char repo[PATH_MAX];
	size_t tested = 0;
	memset(res, 0, sizeof(*res));
	if (!realpath(o->out_dir ? o->out_dir : "packages", repo))
		return mint_err_set(err, MINT_ENOTFOUND,
				    "no package repository at %s: build the packages first",
				    o->out_dir ? o->out_dir : "packages");
	int rc = pkg_job_arch(&j, err);
	if (!rc)
		rc = pkg_prepare(&j, err);
	for (size_t i = 0; !rc && i < j.n_targets; i++) {
		const struct pkg_target *t = &j.targets[i];
		if (t->skipped || !t->meta->test.present)
			continue;
		rc = test_one(&j, t, repo, err);
		tested++;
	}
	if (!rc && !tested)
		pkg_log(&j, "%s has no tests", o->recipe_path);
	pkg_job_free(&j);
	return rc;
}
