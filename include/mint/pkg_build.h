/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A melange-style package build, start to finish: read the recipe,
 * expand its pipelines, make the build environment (the image engine's
 * rootfs of environment.contents plus what the pipelines need), run every
 * step in the sandbox, then emit one signed .apk per package and
 * subpackage (automatic so:/cmd: dependencies, an SPDX SBOM inside) into
 * <out_dir>/<arch>/ and refresh that directory's APKINDEX.tar.gz.
 *
 * Nothing half-done reaches out_dir: packages are written into a staging
 * directory beside them and renamed into place only when every package
 * of the recipe was written; the index is replaced atomically.
 */
#ifndef MINT_PKG_BUILD_H
#define MINT_PKG_BUILD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mint/apk_write.h"
#include "mint/err.h"
#include "mint/image_build.h"
#include "mint/sandbox.h"

struct mint_pkg_build_opts {
	const char *recipe_path;
	const char *arch;              /* apk arch; NULL: this machine's */
	const struct mint_apk_signer *signer; /* NULL: unsigned packages and index */
	const char *out_dir;           /* NULL: "packages" */
	/* Copied into the workspace before the pipelines run. NULL: the
	 * directory <recipe dir>/<package name> when it exists (melange's
	 * default), else nothing. */
	const char *source_dir;
	enum mint_runner runner;       /* 0: MINT_RUNNER_BWRAP */
	const char *bwrap;             /* NULL: "bwrap" from PATH */
	bool network;                  /* let steps reach the network */
	const char *const *pipeline_dirs;
	size_t n_pipeline_dirs;
	/* The environment's packages (bwrap runner). */
	const struct mint_image_source_opts *source;
	const char *const *repositories_append;
	size_t n_repositories_append;
	const char *const *keyring_append;
	size_t n_keyring_append;
	const char *const *packages_append;
	size_t n_packages_append;
	int64_t build_date;            /* SOURCE_DATE_EPOCH; 0 when unset */
	const char *namespace_;        /* SBOM purl namespace; NULL: "unknown" */
	bool no_index;                 /* melange --generate-index=false */
	const char *tmpdir;            /* workspace parent; NULL: $TMPDIR or /tmp */
	mint_sandbox_log_fn log;       /* build output and progress lines */
	void *log_ctx;
};

struct mint_pkg_build_result {
	char **apks;                   /* paths written, package then subpackages */
	size_t n_apks;
	char *index;                   /* the index written, or NULL */
	/* A failing step: its output's last lines (also when err is set). */
	char tail[MINT_SANDBOX_TAIL];
};

int mint_pkg_build(const struct mint_pkg_build_opts *o, struct mint_pkg_build_result *res,
		   struct mint_err *err);
void mint_pkg_build_result_free(struct mint_pkg_build_result *r);

/* `mint pkg test`: runs the recipe's test pipelines (package and
 * subpackages) in an environment of test.environment plus the package
 * under test, installed from out_dir's repository. */
int mint_pkg_test(const struct mint_pkg_build_opts *o, struct mint_pkg_build_result *res,
		  struct mint_err *err);

#endif
