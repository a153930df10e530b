/* SPDX-License-Identifier: Apache-2.0 */
/*
 * `mint show-config CONFIG`: load an apko image configuration (following
 * its include), apply the overrides apko's build takes (-p -r -b -k --arch
 * --annotations), and print it as the JSON apko writes to /etc/apko.json.
 * Nothing is resolved or locked here: packages stay as written.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "commands.h"
#include "mint/image_config.h"

#define CMD_NAME "mint show-config"

static void print_usage(FILE *out)
{
	fprintf(out,
		"usage: " CMD_NAME " [options] CONFIG\n"
		"\n"
		"Print an apko image configuration as the JSON apko stores in the image\n"
		"(/etc/apko.json), after includes and command-line overrides.\n"
		"\n"
		"  -I, --include-paths DIR      look for includes under DIR too\n"
		"  -p, --package-append PKG     add a package\n"
		"  -r, --repository-append URL  add a repository (build and runtime)\n"
		"  -b, --build-repository-append URL\n"
		"                               add a build-time-only repository\n"
		"  -k, --keyring-append KEY     add a signing key\n"
		"      --arch ARCH              replace the archs ('all', 'host', or a list)\n"
		"      --annotations KEY:VALUE  set an annotation\n"
		"  -h, --help                   show this help\n"
		"\n"
		"Every option may be repeated and takes comma-separated values, as apko's do.\n");
}

/* Values of one repeatable option, split at commas. */
struct values {
	char **v;
	size_t n;
	char **copies; /* the strdup'd arguments the pieces point into */
	size_t n_copies;
};

static int values_add(struct values *vals, const char *arg)
{
	char *copy = strdup(arg);
	size_t pieces = 1;
	for (const char *p = arg; *p; p++)
		pieces += *p == ',';
	char **c = copy ? realloc(vals->copies, (vals->n_copies + 1) * sizeof(*c)) : NULL;
	if (c)
		vals->copies = c;
	char **v = c ? realloc(vals->v, (vals->n + pieces) * sizeof(*v)) : NULL;
	if (!v) {
		free(copy);
		return -1;
	}
	vals->v = v;
	vals->copies[vals->n_copies++] = copy;
	for (char *p = copy;;) {
		char *comma = strchr(p, ',');
		vals->v[vals->n++] = p;
		if (!comma)
			break;
		*comma = '\0';
		p = comma + 1;
	}
	return 0;
}

static void values_free(struct values *vals)
{
	for (size_t i = 0; i < vals->n_copies; i++)
		free(vals->copies[i]);
	free(vals->copies);
	free(vals->v);
}

enum {
	OPT_ARCH = 256,
	OPT_ANNOTATIONS,
};

enum which {
	V_INCLUDE,
	V_PACKAGES,
	V_REPOS,
	V_BUILD_REPOS,
	V_KEYS,
	V_ARCHS,
	V_ANNOTATIONS,
	V_COUNT,
};

static int which_of(int c)
{
	switch (c) {
	case 'I':
		return V_INCLUDE;
	case 'p':
		return V_PACKAGES;
	case 'r':
		return V_REPOS;
	case 'b':
		return V_BUILD_REPOS;
	case 'k':
		return V_KEYS;
	case OPT_ARCH:
		return V_ARCHS;
	case OPT_ANNOTATIONS:
		return V_ANNOTATIONS;
	default:
		return -1;
	}
}

static int apply_overrides(struct mint_image_config *cfg, struct values *vals,
			   struct mint_err *err)
{
	const char *const *v[V_COUNT];
	for (int i = 0; i < V_COUNT; i++)
		v[i] = (const char *const *)vals[i].v;
	int rc = mint_image_config_append_packages(cfg, v[V_PACKAGES], vals[V_PACKAGES].n, err);
	if (!rc)
		rc = mint_image_config_append_repositories(cfg, v[V_REPOS], vals[V_REPOS].n, err);
	if (!rc)
		rc = mint_image_config_append_build_repositories(cfg, v[V_BUILD_REPOS],
								 vals[V_BUILD_REPOS].n, err);
	if (!rc)
		rc = mint_image_config_append_keyring(cfg, v[V_KEYS], vals[V_KEYS].n, err);
	if (!rc)
		rc = mint_image_config_set_archs(cfg, v[V_ARCHS], vals[V_ARCHS].n, err);
	if (!rc)
		rc = mint_image_config_set_annotations(cfg, v[V_ANNOTATIONS], vals[V_ANNOTATIONS].n,
						       err);
	if (!rc)
		rc = mint_image_config_validate(cfg, err);
	return rc;
}

static int show(const char *path, struct values *vals)
{
	struct mint_image_config cfg;
	struct mint_err err = { 0 };
	struct mint_buf json = MINT_BUF_INIT;
	struct mint_image_config_opts opts = {
		.include_paths = (const char *const *)vals[V_INCLUDE].v,
		.n_include_paths = vals[V_INCLUDE].n,
	};
	int rc = mint_image_config_load(path, &opts, &cfg, &err);
	if (rc)
		return cli_fail(&err);
	rc = apply_overrides(&cfg, vals, &err);
	if (!rc && mint_image_config_to_json(&cfg, &json))
		rc = mint_err_set(&err, MINT_ENOMEM, "out of memory");
	if (!rc)
		fwrite(json.data, 1, json.len, stdout);
	mint_buf_free(&json);
	mint_image_config_free(&cfg);
	return rc ? cli_fail(&err) : CLI_EXIT_OK;
}

int cmd_show_config(int argc, char **argv)
{
	static const struct option options[] = {
		{ "include-paths", required_argument, NULL, 'I' },
		{ "package-append", required_argument, NULL, 'p' },
		{ "repository-append", required_argument, NULL, 'r' },
		{ "build-repository-append", required_argument, NULL, 'b' },
		{ "keyring-append", required_argument, NULL, 'k' },
		{ "arch", required_argument, NULL, OPT_ARCH },
		{ "annotations", required_argument, NULL, OPT_ANNOTATIONS },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct values vals[V_COUNT];
	int c, status = CLI_EXIT_OK;

	memset(vals, 0, sizeof(vals));
	opterr = 0;
	optind = 1;
	while (status == CLI_EXIT_OK &&
	       (c = getopt_long(argc, argv, ":I:p:r:b:k:h", options, NULL)) != -1) {
		int w = which_of(c);
		if (c == 'h') {
			print_usage(stdout);
			goto out;
		} else if (w >= 0) {
			if (values_add(&vals[w], optarg)) {
				fprintf(stderr, CMD_NAME ": out of memory\n");
				status = CLI_EXIT_FAIL;
			}
		} else if (c == ':') {
			status = cli_usage_error(CMD_NAME, "option '%s' needs a value",
						 argv[optind - 1]);
		} else if (optopt) {
			status = cli_usage_error(CMD_NAME, "unknown option '-%c'", optopt);
		} else {
			status = cli_usage_error(CMD_NAME, "unknown option '%s'", argv[optind - 1]);
		}
	}
	if (status == CLI_EXIT_OK && argc - optind != 1)
		status = cli_usage_error(CMD_NAME, "want exactly one CONFIG, got %d",
					 argc - optind);
	if (status == CLI_EXIT_OK)
		status = show(argv[optind], vals);
out:
	for (int i = 0; i < V_COUNT; i++)
		values_free(&vals[i]);
	return status;
}
