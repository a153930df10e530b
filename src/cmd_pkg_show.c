/* SPDX-License-Identifier: Apache-2.0 */
/*
 * `mint pkg show RECIPE [--arch A]`: read a melange recipe the way a build
 * reads it (ranges expanded, vars and var-transforms computed, everything
 * checked) and print the model as JSON. Nothing is fetched or built.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "cmd_pkg.h"
#include "mint/image_config.h"
#include "mint/recipe.h"

#define CMD_NAME "mint pkg show"

static void print_usage(FILE *out)
{
	fprintf(out,
		"usage: " CMD_NAME " [--arch ARCH] RECIPE\n"
		"\n"
		"Print a melange recipe as JSON, as mint reads it: subpackage ranges\n"
		"expanded, vars computed, ${{...}} outside pipelines substituted.\n"
		"\n"
		"      --arch ARCH  the architecture to substitute (default: this machine's)\n"
		"  -h, --help       show this help\n");
}

static int show(const char *path, const char *arch)
{
	struct mint_recipe r;
	struct mint_buf out = MINT_BUF_INIT;
	struct mint_err err = { 0 };
	int rc = mint_recipe_load(path, &r, &err);
	if (!rc)
		rc = mint_recipe_to_json(&r, arch, &out, &err);
	if (!rc && fwrite(out.data, 1, out.len, stdout) != out.len)
		rc = mint_err_set(&err, MINT_EIO, "writing to standard output failed");
	mint_recipe_free(&r);
	mint_buf_free(&out);
	return rc ? cli_fail(&err) : CLI_EXIT_OK;
}

int cmd_pkg_show(int argc, char **argv)
{
	static const struct option options[] = {
		{ "arch", required_argument, NULL, 'a' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *arch = NULL;
	enum mint_arch a;
	int c;

	opterr = 0;
	optind = 1;
	while ((c = getopt_long(argc, argv, "h", options, NULL)) != -1) {
		switch (c) {
		case 'a':
			arch = optarg;
			break;
		case 'h':
			print_usage(stdout);
			return CLI_EXIT_OK;
		default:
			if (optopt)
				return cli_usage_error(CMD_NAME, "unknown option '-%c'", optopt);
			return cli_usage_error(CMD_NAME, "unknown option '%s'", argv[optind - 1]);
		}
	}
	if (arch && !mint_arch_parse(arch, &a))
		return cli_usage_error(CMD_NAME, "unknown architecture '%s'", arch);
	if (arch)
		arch = mint_arch_to_apk(a);
	if (argc - optind != 1)
		return cli_usage_error(CMD_NAME, "name one recipe file");
	return show(argv[optind], arch);
}
