/* SPDX-License-Identifier: Apache-2.0 */
/*
 * `mint apk version`: compare two apk version strings (-t) or check that
 * version strings are valid (-c), like `apk version -t` / `apk version -c`.
 * Comparing installed packages against repositories is not done here.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "cmd_apk.h"
#include "mint/apk_version.h"

#define CMD_NAME "mint apk version"

enum mode {
	MODE_NONE,
	MODE_TEST,
	MODE_CHECK,
};

static void print_usage(FILE *out)
{
	fprintf(out,
		"usage: " CMD_NAME " -t VERSION1 VERSION2\n"
		"       " CMD_NAME " -c VERSION...\n"
		"\n"
		"  -t, --test    compare two versions; print '<', '=' or '>'\n"
		"  -c, --check   print each invalid version on its own line;\n"
		"                exit 1 when any is invalid\n"
		"  -h, --help    show this help\n");
}

static const char *result_text(int r)
{
	if (r == MINT_APK_VERSION_LESS)
		return "<";
	if (r == MINT_APK_VERSION_GREATER)
		return ">";
	return "=";
}

static int run_test(int n, char **versions)
{
	if (n != 2)
		return cli_usage_error(CMD_NAME, "-t wants exactly two versions, got %d", n);
	int r = mint_apk_version_compare(mint_span_str(versions[0]), mint_span_str(versions[1]));
	printf("%s\n", result_text(r));
	return CLI_EXIT_OK;
}

static int run_check(int n, char **versions)
{
	int status = CLI_EXIT_OK;
	if (n < 1)
		return cli_usage_error(CMD_NAME, "-c wants at least one version");
	for (int i = 0; i < n; i++) {
		if (!mint_apk_version_valid(mint_span_str(versions[i]))) {
			printf("%s\n", versions[i]);
			status = CLI_EXIT_FAIL;
		}
	}
	return status;
}

static int set_mode(enum mode *mode, enum mode want)
{
	if (*mode != MODE_NONE && *mode != want)
		return cli_usage_error(CMD_NAME, "-t and -c cannot be combined");
	*mode = want;
	return CLI_EXIT_OK;
}

int cmd_apk_version(int argc, char **argv)
{
	static const struct option options[] = {
		{ "test", no_argument, NULL, 't' },
		{ "check", no_argument, NULL, 'c' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	enum mode mode = MODE_NONE;
	int c, rc;

	opterr = 0;
	optind = 1;
	while ((c = getopt_long(argc, argv, "tch", options, NULL)) != -1) {
		switch (c) {
		case 't':
			rc = set_mode(&mode, MODE_TEST);
			break;
		case 'c':
			rc = set_mode(&mode, MODE_CHECK);
			break;
		case 'h':
			print_usage(stdout);
			return CLI_EXIT_OK;
		default:
			if (optopt)
				return cli_usage_error(CMD_NAME, "unknown option '-%c'", optopt);
			return cli_usage_error(CMD_NAME, "unknown option '%s'", argv[optind - 1]);
		}
		if (rc != CLI_EXIT_OK)
			return rc;
	}
	if (mode == MODE_TEST)
		return run_test(argc - optind, argv + optind);
	if (mode == MODE_CHECK)
		return run_check(argc - optind, argv + optind);
	return cli_usage_error(CMD_NAME, "choose -t (compare) or -c (check)");
}
