/* SPDX-License-Identifier: Apache-2.0 */
/*
 * `mint lock CONFIG`: resolves the config on each of its architectures and
 * writes apko.lock.json (`--output`, default CONFIG without its extension
 * + ".lock.json"): the packages per arch in install order with their URLs,
 * the byte ranges and checksums of their three members, the keyring and the
 * config's checksum. `mint build --lockfile` installs exactly that.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "commands.h"
#include "image_cli.h"
#include "mint/fs.h"

static const char usage[] =
	"usage: mint lock [options] CONFIG\n"
	"\n"
	"Resolves CONFIG's packages for each architecture and writes an apko-compatible\n"
	"lock file.\n"
	"\n"
	"options:\n" IMAGE_CLI_OPTIONS_HELP
	"      --output FILE         where to write (default: CONFIG with .lock.json)\n";

static int parse_args(struct image_cli *c, int argc, char **argv)
{
	static const struct option long_opts[] = {
		IMAGE_CLI_LONG_OPTIONS,
		{ "output", required_argument, NULL, IMAGE_OPT_OUTPUT },
		{ 0 },
	};
	int rc = image_cli_parse(c, argc, argv, usage, long_opts, NULL, NULL, NULL);
	if (rc)
		return rc;
	if (argc - optind != 1)
		return cli_usage_error("mint lock", "expects exactly one config file");
	return 0;
}

/* "dir/apko.yaml" -> "dir/apko.lock.json", as apko names it. */
static char *default_output(const char *config)
{
	const char *slash = strrchr(config, '/');
	const char *dot = strrchr(slash ? slash : config, '.');
	size_t stem = dot && dot != (slash ? slash + 1 : config) ? (size_t)(dot - config)
								   : strlen(config);
	char *out = malloc(stem + sizeof(".lock.json"));
	if (out) {
		memcpy(out, config, stem);
		strcpy(out + stem, ".lock.json");
	}
	return out;
}

static int write_lock(struct image_cli *c, const struct mint_image_packages *pkgs)
{
	struct mint_lock lock = { 0 };
	struct mint_buf json = MINT_BUF_INIT;
	struct mint_err err = { 0 };
	char *out = c->output ? strdup(c->output) : default_output(c->config_path);
	int rc = out ? 0 : mint_err_set(&err, MINT_ENOMEM, "out of memory");
	if (!rc)
		rc = mint_image_packages_lock(&c->cfg, c->config_path, pkgs, &lock, &err);
	if (!rc)
		rc = mint_lock_write(&lock, &json, &err);
	if (!rc)
		rc = mint_file_write_atomic(out, json.data, json.len, 0644, &err);
	if (!rc)
		fprintf(stderr, "mint: wrote %s\n", out);
	mint_lock_free(&lock);
	mint_buf_free(&json);
	free(out);
	return rc ? cli_fail(&err) : CLI_EXIT_OK;
}

int cmd_lock(int argc, char **argv)
{
	struct image_cli c;
	struct mint_image_packages pkgs = { 0 };
	image_cli_init(&c, "mint lock");
	int rc = parse_args(&c, argc, argv);
	if (!rc)
		rc = image_cli_load_config(&c, argv[optind], false);
	if (!rc)
		rc = image_cli_packages(&c, &pkgs);
	if (!rc)
		rc = write_lock(&c, &pkgs);
	mint_image_packages_free(&pkgs);
	image_cli_free(&c);
	return rc < 0 ? CLI_EXIT_OK : rc;
}
