/* SPDX-License-Identifier: Apache-2.0 */
/*
 * What `mint pkg build` and `mint pkg test` share, with melange's flags:
 * the recipe, --arch, --signing-key, --out-dir, --source-dir, --runner,
 * --pipeline-dir, -r/-k/--package-append for the environment, the cache,
 * --namespace, --generate-index, SOURCE_DATE_EPOCH.
 */
#ifndef MINT_PKG_CLI_H
#define MINT_PKG_CLI_H

#include <stdbool.h>

#include "mint/apk_cache.h"
#include "mint/pkg_build.h"

struct pkg_cli {
	const char *cmd;
	const char **archs, **pipeline_dirs, **repos, **keys, **packages;
	size_t n_archs, n_pipeline_dirs, n_repos, n_keys, n_packages;
	const char *signing_key, *out_dir, *source_dir, *cache_dir, *namespace_, *bwrap;
	const char *runner;
	bool offline, ignore_signatures, network, no_index, quiet;
	struct mint_apk_signer signer;
	bool has_signer;
	struct mint_apk_cache cache;
	bool cache_open;
	struct mint_image_source_opts source;
	struct mint_pkg_build_opts opts;
};

/* Parses argv (one RECIPE operand) and prepares opts. Returns 0, -1 after
 * printing help, or an exit code. */
int pkg_cli_start(struct pkg_cli *c, const char *cmd, const char *usage, int argc, char **argv);
/* Runs fn (mint_pkg_build or mint_pkg_test) once per --arch and prints the
 * outcome; returns the exit code. */
int pkg_cli_run(struct pkg_cli *c,
		int (*fn)(const struct mint_pkg_build_opts *, struct mint_pkg_build_result *,
			  struct mint_err *));
void pkg_cli_free(struct pkg_cli *c);

#define PKG_CLI_OPTIONS_HELP                                                                 \
	"      --arch A              apk or OCI arch; repeatable, comma-separated (default: this machine's)\n" \
	"      --signing-key KEY     sign packages and the index with KEY (melange.rsa)\n"         \
	"      --out-dir DIR         packages go to DIR/ARCH/ (default: ./packages)\n"             \
	"      --source-dir DIR      copied into the workspace (default: RECIPE_DIR/NAME if any)\n" \
	"      --runner R            bubblewrap (default) or host (host / read-only, no environment)\n" \
	"      --pipeline-dir DIR    look for `uses:` pipelines here first (repeatable)\n"          \
	"  -r, --repository-append R add a repository to the environment\n"                        \
	"  -k, --keyring-append K    add a key to the environment's keyring\n"                     \
	"      --package-append P    add a package to the environment\n"                           \
	"      --cache-dir DIR       package and index cache (default ~/.cache/mint)\n"            \
	"      --offline             use only the cache\n"                                         \
	"      --ignore-signatures   accept unsigned or untrusted indexes for the environment\n"  \
	"      --namespace NS        purl namespace of the packages' SBOMs (default: unknown)\n" \
	"      --network             let steps reach the network (default: none)\n"               \
	"      --generate-index=B    write DIR/ARCH/APKINDEX.tar.gz (default: true)\n"             \
	"      --bwrap PATH          the bubblewrap binary (default: bwrap from PATH)\n"          \
	"  -q, --quiet               print only errors and the packages written\n"

#endif
