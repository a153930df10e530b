/* SPDX-License-Identifier: Apache-2.0 */
/*
 * `mint pkg keygen [NAME] [--key-size N]`: melange keygen. Writes NAME.rsa
 * (private, 0600) and NAME.rsa.pub; NAME defaults to "melange" and the size
 * to 4096 bits. Packages signed with NAME.rsa name their key NAME.rsa.pub.
 */
#include <getopt.h>
#include <stdio.h>

#include "cli.h"
#include "cmd_pkg.h"
#include "mint/apk_write.h"

static const char usage[] =
	"usage: mint pkg keygen [options] [NAME]\n"
	"\n"
	"Generates an RSA key pair for signing packages and indexes: NAME.rsa\n"
	"(PKCS#1 PEM, mode 0600) and NAME.rsa.pub (the public key to hand to\n"
	"apk's keyring). NAME defaults to \"melange\". Never replaces a file.\n"
	"\n"
	"options:\n"
	"      --key-size N   key size in bits, at least 2048 (default 4096)\n"
	"  -h, --help         this help\n";

enum { OPT_KEY_SIZE = 256 };

static int parse_bits(const char *text, unsigned *bits)
{
	uint64_t v;
	if (!mint_span_to_u64(mint_span_str(text), &v) || v < 2048 || v > 16384)
		return cli_usage_error("mint pkg keygen",
				       "--key-size takes 2048 to 16384 bits, not '%s'", text);
	*bits = (unsigned)v;
	return 0;
}

int cmd_pkg_keygen(int argc, char **argv)
{
	static const struct option long_opts[] = {
		{ "key-size", required_argument, NULL, OPT_KEY_SIZE },
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	unsigned bits = 4096;
	int opt, rc = 0;
	optind = 1;
	while (!rc && (opt = getopt_long(argc, argv, "h", long_opts, NULL)) != -1) {
		switch (opt) {
		case 'h': fputs(usage, stdout); return CLI_EXIT_OK;
		case OPT_KEY_SIZE: rc = parse_bits(optarg, &bits); break;
		default: return CLI_EXIT_USAGE;
		}
	}
	if (rc)
		return rc;
	if (argc - optind > 1)
		return cli_usage_error("mint pkg keygen", "expects at most one NAME");
	const char *name = optind < argc ? argv[optind] : "melange";
	struct mint_err err = { 0 };
	if (mint_apk_keygen(name, bits, &err))
		return cli_fail(&err);
	printf("wrote %s.rsa and %s.rsa.pub (%u bits)\n", name, name, bits);
	return CLI_EXIT_OK;
}
