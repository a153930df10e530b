/* SPDX-License-Identifier: Apache-2.0 */
/* What the parts of a package build (lib/pkgbuild/) share. */
#ifndef MINT_PKGBUILD_INTERNAL_H
#define MINT_PKGBUILD_INTERNAL_H

#include "mint/buf.h"
#include "mint/pipeline.h"
#include "mint/pkg_build.h"
#include "mint/pkg_sbom.h"
#include "mint/recipe.h"

/* One package the build emits: the recipe's own or a subpackage. */
struct pkg_target {
	const struct mint_recipe_meta *meta;
	const struct mint_recipe_step *pipeline;
	size_t n_pipeline;
	bool skipped;                 /* its `if:` was false */
	struct mint_build_steps steps;
	char *destdir;                /* host path of melange-out/<name> */
};

struct pkg_job {
	const struct mint_pkg_build_opts *o;
	struct mint_recipe recipe;
	const char *arch;             /* apk arch */
	char *full_version;
	struct mint_image_kvs vars;   /* without targets.contextdir */
	struct mint_pipeline_lib *lib;
	struct pkg_target *targets;   /* [0] the package, then subpackages */
	size_t n_targets;
	char *workspace;              /* host dir bound at /home/build */
	char *rootfs;                 /* the bwrap runner's temporary dir, or NULL */
	char *guest_root;             /* <rootfs>/root: the guest's / */
	struct mint_sandbox sandbox;
	struct mint_pkg_sbom_source *sources; /* what fetch steps downloaded */
	size_t n_sources;
	char recipe_sha256[65];       /* hex, for the SBOMs */
	struct mint_pkg_build_result *res;
};

/* build.c: the steps mint_pkg_build and mint_pkg_test share. */
int pkg_job_arch(struct pkg_job *j, struct mint_err *err);
int pkg_prepare(struct pkg_job *j, struct mint_err *err);
int pkg_target_vars(const struct pkg_job *j, const struct pkg_target *t,
		    struct mint_image_kvs *out, struct mint_err *err);
void pkg_job_free(struct pkg_job *j);

void pkg_log(const struct pkg_job *j, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* workspace.c */
int pkg_workspace_create(struct pkg_job *j, struct mint_err *err);
int pkg_copy_tree(const char *from, const char *to, struct mint_err *err);
/* The host path of a guest path under /home/build; MINT_EUNSAFE outside. */
int pkg_guest_to_host(const struct pkg_job *j, const char *guest, struct mint_buf *out,
		      struct mint_err *err);

/* fetch.c: a MINT_BUILD_STEP_FETCH on the host. */
int pkg_fetch(struct pkg_job *j, const struct mint_build_step *s, struct mint_err *err);

/* environment.c: the sandbox (and the guest root for the bwrap runner). */
int pkg_environment_prepare(struct pkg_job *j, const struct mint_image_config *env,
			    const struct mint_image_strs *needs, const char *const *extra_repos,
			    size_t n_extra_repos, const char *const *extra_keys, size_t n_extra_keys,
			    struct mint_err *err);

/* run.c: runs steps; a failing one is an error naming it. */
int pkg_run_steps(struct pkg_job *j, const struct mint_build_steps *steps, struct mint_err *err);

/* emit.c: every target's .apk into a staging dir, then into place. */
int pkg_emit_all(struct pkg_job *j, struct mint_err *err);

#endif
