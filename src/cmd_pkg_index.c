/* SPDX-License-Identifier: Apache-2.0 */
/*
 * `mint pkg index -o APKINDEX.tar.gz [-a ARCH] [-m] [--signing-key K]
 * [--description D] FILE.apk...`: melange index. Every package is read and
 * checked before it is listed; the index is written (and signed) in one
 * step, so a failure leaves the old index, if any, as it was. Tar mtimes
 * are SOURCE_DATE_EPOCH, else 0.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>

#include "cli.h"
#include "cmd_pkg.h"
#include "mint/apk_write.h"

static const char usage[] =
	"usage: mint pkg index -o APKINDEX.tar.gz [options] FILE.apk...\n"
	"\n"
	"Writes a repository index over the packages, sorted by name and version.\n"
	"\n"
	"options:\n"
	"  -o, --output FILE        the index to write (required)\n"
	"  -a, --arch ARCH          list only packages of ARCH\n"
	"  -m, --merge              keep the records of FILE's existing index that the\n"
	"                           given packages do not replace\n"
	"      --signing-key KEY    sign with this private key (named KEY.pub)\n"
	"      --description TEXT   the index's DESCRIPTION\n"
	"  -h, --help               this help\n";

enum { OPT_SIGNING_KEY = 256, OPT_DESCRIPTION };

/* SOURCE_DATE_EPOCH, or 0 when unset. */
static int source_date_epoch(const char *cmd, int64_t *out)
{
	const char *sde = getenv("SOURCE_DATE_EPOCH");
	uint64_t v = 0;
	if (sde && *sde && (!mint_span_to_u64(mint_span_str(sde), &v) || v > INT64_MAX))
		return cli_usage_error(cmd, "SOURCE_DATE_EPOCH is not a number of seconds: '%s'",
				       sde);
	*out = (int64_t)v;
	return 0;
}

int cmd_pkg_index(int argc, char **argv)
{
	static const struct option long_opts[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "arch", required_argument, NULL, 'a' },
		{ "merge", no_argument, NULL, 'm' },
		{ "signing-key", required_argument, NULL, OPT_SIGNING_KEY },
		{ "description", required_argument, NULL, OPT_DESCRIPTION },
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	const char *cmd = "mint pkg index", *key = NULL;
	struct mint_apk_index_opts o = { 0 };
	int opt;
	optind = 1;
	while ((opt = getopt_long(argc, argv, "o:a:mh", long_opts, NULL)) != -1) {
		switch (opt) {
		case 'h': fputs(usage, stdout); return CLI_EXIT_OK;
		case 'o': o.out_path = optarg; break;
		case 'a': o.only_arch = optarg; break;
		case 'm': o.merge = true; break;
		case OPT_SIGNING_KEY: key = optarg; break;
		case OPT_DESCRIPTION: o.description = optarg; break;
		default: return CLI_EXIT_USAGE;
		}
	}
	if (!o.out_path)
		return cli_usage_error(cmd, "needs -o APKINDEX.tar.gz");
	if (optind >= argc && !o.merge)
		return cli_usage_error(cmd, "expects at least one FILE.apk");
	int rc = source_date_epoch(cmd, &o.mtime);
	if (rc)
		return rc;
	o.apk_paths = (const char *const *)argv + optind;
	o.n_apks = (size_t)(argc - optind);
	struct mint_apk_signer signer = { 0 };
	struct mint_err err = { 0 };
	if (key && mint_apk_signer_load(key, &signer, &err))
		return cli_fail(&err);
	o.signer = key ? &signer : NULL;
	if (mint_apk_index_write(&o, &err))
		rc = cli_fail(&err);
	else
		printf("wrote %s (%zu packages given%s)\n", o.out_path, o.n_apks,
		       key ? ", signed" : "");
	mint_apk_signer_free(&signer);
	return rc;
}
