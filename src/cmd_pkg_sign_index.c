/* SPDX-License-Identifier: Apache-2.0 */
/*
 * `mint pkg sign-index --signing-key K [-f] APKINDEX.tar.gz`: melange
 * sign-index. An index that is already signed is left alone unless -f is
 * given; then its signature is replaced. The signature's tar mtime is
 * SOURCE_DATE_EPOCH, else 0.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>

#include "cli.h"
#include "cmd_pkg.h"
#include "mint/apk_index_file.h"
#include "mint/apk_write.h"

static const char usage[] =
	"usage: mint pkg sign-index --signing-key KEY [-f] APKINDEX.tar.gz\n"
	"\n"
	"Signs a repository index in place with KEY (named KEY.pub).\n"
	"\n"
	"options:\n"
	"      --signing-key KEY   the private key (required)\n"
	"  -f, --force             replace an existing signature\n"
	"  -h, --help              this help\n";

enum { OPT_SIGNING_KEY = 256 };

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

/* 1 when path is a readable index that already carries a signature. */
static int already_signed(const char *path, struct mint_err *err)
{
	struct mint_apk_index_file f;
	int rc = mint_apk_index_file_read(path, NULL, NULL, 0, &f, err);
	if (rc)
		return rc;
	rc = f.n_sigs > 0;
	mint_apk_index_file_free(&f);
	return rc;
}

int cmd_pkg_sign_index(int argc, char **argv)
{
	static const struct option long_opts[] = {
		{ "signing-key", required_argument, NULL, OPT_SIGNING_KEY },
		{ "force", no_argument, NULL, 'f' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	const char *cmd = "mint pkg sign-index", *key = NULL;
	bool force = false;
	int opt;
	optind = 1;
	while ((opt = getopt_long(argc, argv, "fh", long_opts, NULL)) != -1) {
		switch (opt) {
		case 'h': fputs(usage, stdout); return CLI_EXIT_OK;
		case 'f': force = true; break;
		case OPT_SIGNING_KEY: key = optarg; break;
		default: return CLI_EXIT_USAGE;
		}
	}
	if (!key)
		return cli_usage_error(cmd, "needs --signing-key KEY");
	if (argc - optind != 1)
		return cli_usage_error(cmd, "expects one APKINDEX.tar.gz");
	const char *path = argv[optind];
	int64_t mtime = 0;
	int rc = source_date_epoch(cmd, &mtime);
	if (rc)
		return rc;
	struct mint_err err = { 0 };
	int signed_now = already_signed(path, &err);
	if (signed_now < 0)
		return cli_fail(&err);
	if (signed_now && !force) {
		printf("%s is already signed; -f replaces the signature\n", path);
		return CLI_EXIT_OK;
	}
	struct mint_apk_signer signer;
	if (mint_apk_signer_load(key, &signer, &err))
		return cli_fail(&err);
	if (mint_apk_index_sign(path, &signer, mtime, &err))
		rc = cli_fail(&err);
	else
		printf("signed %s as %s\n", path, signer.key_name);
	mint_apk_signer_free(&signer);
	return rc;
}
