/* SPDX-License-Identifier: Apache-2.0 */
/*
 * `mint pkg sign -k KEY FILE.apk...`: melange sign. Each package's signature
 * member is replaced by one made with KEY (named KEY.pub), dated like the
 * package's .PKGINFO; control and data stay byte for byte, so identities
 * and indexes remain valid. Stops at the first package that fails.
 */
#include <getopt.h>
#include <stdio.h>

#include "cli.h"
#include "cmd_pkg.h"
#include "mint/apk_write.h"

static const char usage[] =
	"usage: mint pkg sign -k KEY FILE.apk...\n"
	"\n"
	"Re-signs packages in place with the private key KEY (named KEY.pub).\n"
	"\n"
	"options:\n"
	"  -k, --signing-key KEY   the private key (required)\n"
	"  -h, --help              this help\n";

int cmd_pkg_sign(int argc, char **argv)
{
	static const struct option long_opts[] = {
		{ "signing-key", required_argument, NULL, 'k' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	const char *cmd = "mint pkg sign", *key = NULL;
	int opt;
	optind = 1;
	while ((opt = getopt_long(argc, argv, "k:h", long_opts, NULL)) != -1) {
		switch (opt) {
		case 'h': fputs(usage, stdout); return CLI_EXIT_OK;
		case 'k': key = optarg; break;
		default: return CLI_EXIT_USAGE;
		}
	}
	if (!key)
		return cli_usage_error(cmd, "needs -k KEY");
	if (optind >= argc)
		return cli_usage_error(cmd, "expects at least one FILE.apk");
	struct mint_apk_signer signer;
	struct mint_err err = { 0 };
	if (mint_apk_signer_load(key, &signer, &err))
		return cli_fail(&err);
	int rc = CLI_EXIT_OK;
	for (int i = optind; i < argc && rc == CLI_EXIT_OK; i++) {
		if (mint_apk_resign(argv[i], &signer, &err))
			rc = cli_fail(&err);
		else
			printf("signed %s as %s\n", argv[i], signer.key_name);
	}
	mint_apk_signer_free(&signer);
	return rc;
}
