/* SPDX-License-Identifier: Apache-2.0 */
/*
 * `mint build-minirootfs CONFIG OUT.tar`: the rootfs of one architecture
 * (--build-arch, default the host's) as an uncompressed tar, as apko
 * writes it; the same entries, in the same order, as the image layer.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "commands.h"
#include "image_cli.h"
#include "mint/oci_layer.h"

static const char usage[] =
	"usage: mint build-minirootfs [options] CONFIG OUT.tar\n"
	"\n"
	"Writes the root file system of one architecture as an uncompressed tar.\n"
	"\n"
	"options:\n" IMAGE_CLI_OPTIONS_HELP
	"      --build-arch A        the architecture (default: this machine's)\n"
	"      --build-date DATE     as for mint build; SOURCE_DATE_EPOCH wins\n"
	"      --lockfile FILE       install exactly the packages of this lock\n";

static int parse_args(struct image_cli *c, int argc, char **argv)
{
	static const struct option long_opts[] = {
		IMAGE_CLI_LONG_OPTIONS,
		{ "build-arch", required_argument, NULL, IMAGE_OPT_ARCH },
		{ "build-date", required_argument, NULL, IMAGE_OPT_BUILD_DATE },
		{ "lockfile", required_argument, NULL, IMAGE_OPT_LOCKFILE },
		{ 0 },
	};
	int rc = image_cli_parse(c, argc, argv, usage, long_opts, NULL, NULL, NULL);
	if (rc)
		return rc;
	if (argc - optind != 2)
		return cli_usage_error("mint build-minirootfs", "expects CONFIG OUT.tar");
	if (c->n_archs > 1)
		return cli_usage_error("mint build-minirootfs", "builds one architecture");
	return 0;
}

static int write_rootfs(struct image_cli *c, const struct mint_image_packages *pkgs,
			const char *out)
{
	struct mint_image_rootfs r;
	struct mint_oci_layer *l = NULL;
	struct mint_oci_layer_info info;
	struct mint_err err = { 0 };
	if (pkgs->n_archs != 1) {
		mint_err_set(&err, MINT_EINVAL, "builds one architecture, the config gives %zu",
			     pkgs->n_archs);
		return cli_fail(&err);
	}
	int rc = mint_image_rootfs_build(&c->cfg, pkgs, 0, &c->rootfs, &r, &err);
	if (rc)
		return cli_fail(&err);
	rc = mint_oci_layer_new_plain(&l, out, &err);
	if (!rc)
		rc = mint_image_plan_write_layer(r.plan, l, &r.reader, &err);
	if (!rc)
		rc = mint_oci_layer_finish(l, &info, &err);
	mint_oci_layer_free(l);
	mint_image_rootfs_free(&r);
	return rc ? cli_fail(&err) : CLI_EXIT_OK;
}

int cmd_build_minirootfs(int argc, char **argv)
{
	struct image_cli c;
	struct mint_image_packages pkgs = { 0 };
	image_cli_init(&c, "mint build-minirootfs");
	int rc = parse_args(&c, argc, argv);
	if (!rc)
		rc = image_cli_load_config(&c, argv[optind], true);
	if (!rc)
		rc = image_cli_build_date(&c);
	c.keep_data = true; /* the rootfs is written from the streams the read kept */
	if (!rc)
		rc = image_cli_packages(&c, &pkgs);
	if (!rc)
		rc = write_rootfs(&c, &pkgs, argv[optind + 1]);
	mint_image_packages_free(&pkgs);
	image_cli_free(&c);
	return rc < 0 ? CLI_EXIT_OK : rc;
}
