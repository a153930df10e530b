/* SPDX-License-Identifier: Apache-2.0 */
/* `mint apk fetch`: resolve, then download and verify the closure into the cache. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>

#include "apk_repo_cli.h"
#include "cli.h"
#include "cmd_apk.h"

static const char usage[] =
	"usage: mint apk fetch -r REPO... -k KEYS... [--arch A]... [-o DIR] [options] PKG...\n"
	"\n"
	"Resolves like `mint apk resolve`, then downloads every package of the\n"
	"closure (in parallel), verifies it against its signed index record\n"
	"(identity, size, datahash) and stores it in the cache. With -o DIR the\n"
	"verified .apk files are also written to DIR/ARCH/NAME-VERSION.apk, the\n"
	"layout of a repository.\n"
	"\n"
	"options:\n"
	"  -o, --output DIR         also copy the packages here\n" APK_REPO_CLI_OPTIONS_HELP
		APK_CLI_OPTIONS_HELP;

static int fetch_arch(const struct apk_repo_cli *r, struct mint_apk_cache *cache,
		      const struct mint_apk_arch_resolution *a)
{
	char dir[4096] = "";
	if (r->out_dir) {
		snprintf(dir, sizeof(dir), "%s/%s", r->out_dir, a->arch);
		if (mkdir(r->out_dir, 0755) && errno != EEXIST)
			return -1;
		if (mkdir(dir, 0755) && errno != EEXIST)
			return -1;
	}
	const struct mint_apk_repo_pkg **pkgs = calloc(a->n ? a->n : 1, sizeof(*pkgs));
	if (!pkgs)
		return -1;
	for (size_t i = 0; i < a->n; i++)
		pkgs[i] = a->pkgs[i].pkg;
	struct mint_err err = { 0 };
	int rc = mint_apk_cache_fetch(cache, pkgs, a->n, apk_cli_keyring(r->base),
				      r->out_dir ? dir : NULL, &err);
	free(pkgs);
	if (rc)
		return cli_fail(&err);
	fprintf(stderr, "%s: %zu packages verified\n", a->arch, a->n);
	return 0;
}

int cmd_apk_fetch(int argc, char **argv)
{
	struct apk_cli c;
	struct apk_repo_cli r = { .wants_out_dir = true };
	int rc;
	if (!apk_repo_cli_start(&r, &c, "mint apk fetch", argc, argv, usage, &rc)) {
		apk_repo_cli_free(&r);
		return rc;
	}
	struct mint_apk_cache cache = { 0 };
	struct mint_apk_resolution res;
	rc = apk_repo_cli_resolve(&r, argc, argv, optind, &cache, &res);
	for (size_t a = 0; !rc && a < res.n_archs; a++) {
		rc = fetch_arch(&r, &cache, &res.archs[a]);
		if (rc < 0) {
			fprintf(stderr, "mint: %s: cannot create the output directory\n", r.out_dir);
			rc = CLI_EXIT_FAIL;
		}
	}
	if (res.archs) {
		mint_apk_resolution_free(&res);
		mint_apk_cache_close(&cache);
	}
	apk_repo_cli_free(&r);
	apk_cli_free(&c);
	return rc;
}
