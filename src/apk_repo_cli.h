/* SPDX-License-Identifier: Apache-2.0 */
/*
 * What `mint apk resolve` and `mint apk fetch` share: repository options
 * (-r, --arch, --cache-dir, --offline, --allow-untrusted), turning the
 * operands into a world, and running the resolution with the errors and
 * apk explanations printed the way the CLI prints them.
 */
#ifndef MINT_APK_REPO_CLI_H
#define MINT_APK_REPO_CLI_H

#include <stdbool.h>

#include "apk_cli.h"
#include "mint/apk_resolve.h"

struct apk_repo_cli {
	struct apk_cli *base;
	const char **repo_specs;
	size_t n_repos;
	const char **archs;
	size_t n_archs;
	const char *cache_dir;
	bool offline;
	bool allow_untrusted;
	const char *out_dir; /* fetch only */
	bool wants_out_dir;
};

#define APK_REPO_CLI_OPTIONS_HELP                                                         \
	"  -r, --repository REPO    a repository, as apko writes it: URL, file://,\n"          \
	"                           directory, or \"@tag URL\" (repeatable, in priority order)\n" \
	"      --arch ARCH          architecture(s) to resolve for (repeatable or\n"           \
	"                           comma-separated; default: this machine's)\n"               \
	"      --cache-dir DIR      package and index cache (default ~/.cache/mint)\n"        \
	"      --offline            use only the cache; say exactly what is missing\n"         \
	"      --allow-untrusted    accept unsigned indexes (tests and local work only)\n"

/* Parses the command line; returns true to go on, else *exit_code is set. */
bool apk_repo_cli_start(struct apk_repo_cli *r, struct apk_cli *base, const char *cmd,
			int argc, char **argv, const char *usage, int *exit_code);
/* Resolves the operands argv[first..argc). Returns CLI_EXIT_OK with *out
 * filled (and the cache open in *cache), or an exit code after printing. */
int apk_repo_cli_resolve(struct apk_repo_cli *r, int argc, char **argv, int first,
			 struct mint_apk_cache *cache, struct mint_apk_resolution *out);
void apk_repo_cli_free(struct apk_repo_cli *r);

#endif
