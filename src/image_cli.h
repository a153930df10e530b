/* SPDX-License-Identifier: Apache-2.0 */
/*
 * What `mint build`, `mint build-minirootfs` and `mint lock` share, with
 * apko's flags so habits carry over: the config and its overrides (--arch,
 * -k, -r, -b, -p, --annotations, --include-paths), the cache (--cache-dir,
 * --offline), trust (--ignore-signatures), the build date (--build-date,
 * SOURCE_DATE_EPOCH) and --lockfile; then the packages, resolved or locked.
 */
#ifndef MINT_IMAGE_CLI_H
#define MINT_IMAGE_CLI_H

#include <getopt.h>
#include <stdbool.h>
#include <stdint.h>

#include "mint/apk_cache.h"
#include "mint/image_build.h"
#include "mint/image_config.h"

struct image_cli {
	const char *cmd;            /* "mint build", for messages */
	const char **archs, **keys, **repos, **build_repos, **packages, **annotations,
		**include_paths;
	size_t n_archs, n_keys, n_repos, n_build_repos, n_packages, n_annotations,
		n_include_paths;
	const char *cache_dir;
	bool offline, ignore_signatures;
	const char *build_date;     /* RFC 3339 or epoch seconds */
	const char *lockfile;
	const char *sbom_path;
	bool vcs;                   /* --vcs (default) / --no-vcs */
	const char *output;         /* lock --output */
	const char *config_path;
	struct mint_image_config cfg;
	bool cfg_loaded;
	struct mint_apk_cache cache;
	bool cache_open;
	struct mint_image_rootfs_opts rootfs;
	bool keep_data;             /* packages keep their data streams, in rootfs.tmpdir */
};

/* The options image_cli_option handles, for getopt_long tables. */
#define IMAGE_CLI_SHORT_OPTS "k:r:b:p:h"
enum {
	IMAGE_OPT_ARCH = 4000,
	IMAGE_OPT_ANNOTATIONS,
	IMAGE_OPT_INCLUDE_PATHS,
	IMAGE_OPT_CACHE_DIR,
	IMAGE_OPT_OFFLINE,
	IMAGE_OPT_IGNORE_SIGNATURES,
	IMAGE_OPT_BUILD_DATE,
	IMAGE_OPT_LOCKFILE,
	IMAGE_OPT_SBOM_PATH,
	IMAGE_OPT_SBOM,
	IMAGE_OPT_VCS,
	IMAGE_OPT_NO_VCS,
	IMAGE_OPT_OUTPUT,
};
#define IMAGE_CLI_LONG_OPTIONS                                                    \
	{ "arch", required_argument, NULL, IMAGE_OPT_ARCH },                      \
	{ "keyring-append", required_argument, NULL, 'k' },                       \
	{ "repository-append", required_argument, NULL, 'r' },                    \
	{ "build-repository-append", required_argument, NULL, 'b' },              \
	{ "package-append", required_argument, NULL, 'p' },                       \
	{ "annotations", required_argument, NULL, IMAGE_OPT_ANNOTATIONS },        \
	{ "include-paths", required_argument, NULL, IMAGE_OPT_INCLUDE_PATHS },    \
	{ "cache-dir", required_argument, NULL, IMAGE_OPT_CACHE_DIR },            \
	{ "offline", no_argument, NULL, IMAGE_OPT_OFFLINE },                      \
	{ "ignore-signatures", no_argument, NULL, IMAGE_OPT_IGNORE_SIGNATURES },  \
	{ "help", no_argument, NULL, 'h' }

#define IMAGE_CLI_OPTIONS_HELP                                                               \
	"      --arch A              architectures (repeatable, comma-separated; all, host)\n"  \
	"  -k, --keyring-append K    add a key file to the config's keyring\n"                   \
	"  -r, --repository-append R add a repository (build and image)\n"                       \
	"  -b, --build-repository-append R  add a repository used only to build\n"               \
	"  -p, --package-append P    add a package to the config's packages\n"                   \
	"      --annotations K:V     set an annotation (repeatable)\n"                           \
	"      --include-paths DIR   where `include` files are also looked for\n"                \
	"      --cache-dir DIR       package and index cache (default ~/.cache/mint)\n"          \
	"      --offline             use only the cache\n"                                       \
	"      --ignore-signatures   accept indexes that are unsigned or signed by unknown keys\n"

void image_cli_init(struct image_cli *c, const char *cmd);
/* 0 when handled, 1 when not one of ours, or an exit code. */
int image_cli_option(struct image_cli *c, int opt, const char *arg);
/* getopt_long over argv with the shared options and long_opts (which must
 * include IMAGE_CLI_LONG_OPTIONS); options neither knows go to extra (1:
 * not handled). Returns 0, -1 after printing usage for -h, or an exit code. */
int image_cli_parse(struct image_cli *c, int argc, char **argv, const char *usage,
		    const struct option *long_opts, const char *extra_short,
		    int (*extra)(void *ctx, int opt, const char *arg), void *ctx);
/* Loads the config, applies the overrides and apko's defaults; archs
 * default to all nine unless default_host (build-minirootfs). 0 or an exit
 * code (the error printed). */
int image_cli_load_config(struct image_cli *c, const char *path, bool default_host);
/* The build date from SOURCE_DATE_EPOCH or --build-date into c->rootfs. */
int image_cli_build_date(struct image_cli *c);
/* --vcs (default): a config without vcs-url gets the origin and HEAD
 * commit of the git checkout it lives in, as apko does. */
int image_cli_vcs(struct image_cli *c);
/* Opens the cache and gets the packages: from --lockfile when given, else
 * resolved. 0 or an exit code (the error and any explanation printed). */
int image_cli_packages(struct image_cli *c, struct mint_image_packages *out);
void image_cli_free(struct image_cli *c);

#endif
