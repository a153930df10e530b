/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Options and output pieces shared by the `mint apk` subcommands: keyrings
 * (-k/--keyring, a directory or a key file, repeatable), size limits
 * (--max-*), and the JSON rendering of package metadata.
 */
#ifndef MINT_APK_CLI_H
#define MINT_APK_CLI_H

#include <getopt.h>
#include <jansson.h>
#include <stdbool.h>

#include "mint/apk_package.h"
#include "mint/apk_trust.h"

struct apk_cli {
	const char *cmd;              /* "mint apk info", for messages */
	struct mint_apk_keyring keyring;
	bool have_keyring;
	struct mint_apk_limits limits;
	bool json;
};

enum {
	APK_OPT_KEYRING = 'k',
	APK_OPT_JSON = 1000,
	APK_OPT_MAX_FILE,
	APK_OPT_MAX_CONTROL,
	APK_OPT_MAX_DATA,
	APK_OPT_MAX_RATIO,
	APK_OPT_MAX_ENTRIES,
};

#define APK_CLI_LONG_OPTIONS                                            \
	{ "keyring", required_argument, NULL, APK_OPT_KEYRING },        \
	{ "json", no_argument, NULL, APK_OPT_JSON },                    \
	{ "max-file-bytes", required_argument, NULL, APK_OPT_MAX_FILE }, \
	{ "max-control-bytes", required_argument, NULL, APK_OPT_MAX_CONTROL }, \
	{ "max-data-bytes", required_argument, NULL, APK_OPT_MAX_DATA }, \
	{ "max-ratio", required_argument, NULL, APK_OPT_MAX_RATIO },    \
	{ "max-entries", required_argument, NULL, APK_OPT_MAX_ENTRIES }

#define APK_CLI_OPTIONS_HELP                                                        \
	"  -k, --keyring PATH       trusted public keys: a directory or one key file\n"  \
	"                           (repeatable; default /etc/apk/keys when present)\n"  \
	"      --json               machine-readable output\n"                           \
	"      --max-file-bytes N   largest input file (default 1 GiB)\n"                \
	"      --max-control-bytes N  largest uncompressed control member (16 MiB)\n"    \
	"      --max-data-bytes N   largest uncompressed data or index (4 GiB)\n"        \
	"      --max-ratio N        largest decompression ratio (1030)\n"                \
	"      --max-entries N      most entries in a package (1000000)\n"

/* A subcommand's own options, handled after the shared ones. */
struct apk_cli_extra {
	const char *short_opts;       /* e.g. "l" */
	const struct option *long_opts; /* terminated by { 0 } */
	int (*handle)(void *ctx, int opt, const char *arg); /* 0 or an exit code */
	void *ctx;
};

void apk_cli_init(struct apk_cli *c, const char *cmd);
/* Parses argv up to the first operand (optind). Returns 0 to go on,
 * APK_CLI_HELP_SHOWN after printing usage for -h, or an exit code.
 * extra may be NULL. */
#define APK_CLI_HELP_SHOWN (-1)
int apk_cli_parse(struct apk_cli *c, int argc, char **argv, const char *usage,
		  const struct apk_cli_extra *extra);
/* How every subcommand starts: apk_cli_init and apk_cli_parse. Returns true
 * to go on, with *exit_code CLI_EXIT_OK (the caller then frees c); false
 * when the command is over, with c freed and *exit_code CLI_EXIT_OK after -h
 * printed usage, or the parse error's code. */
bool apk_cli_start(struct apk_cli *c, const char *cmd, int argc, char **argv,
		   const char *usage, const struct apk_cli_extra *extra, int *exit_code);
void apk_cli_free(struct apk_cli *c);
/* Handles one of the shared options. Returns 0 when handled, 1 when opt is
 * not a shared option, or an exit code (CLI_EXIT_*) after printing an error. */
int apk_cli_option(struct apk_cli *c, int opt, const char *arg);
/* Loads /etc/apk/keys when no keyring was given and it exists. Returns 0 or
 * an exit code. */
int apk_cli_default_keyring(struct apk_cli *c);
const struct mint_apk_keyring *apk_cli_keyring(const struct apk_cli *c);

json_t *apk_pkg_to_json(const struct mint_apk_pkg *p);
json_t *apk_signatures_to_json(const struct mint_apk_signature *sigs, size_t n);
/* Prints a JSON document on stdout with sorted keys and a newline. */
int apk_print_json(json_t *doc);

#endif
