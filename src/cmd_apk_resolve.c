/* SPDX-License-Identifier: Apache-2.0 */
/* `mint apk resolve`: repositories + constraints -> the exact packages, in install order. */
#include <stdio.h>

#include "apk_repo_cli.h"
#include "cli.h"
#include "cmd_apk.h"

static const char usage[] =
	"usage: mint apk resolve -r REPO... -k KEYS... [--arch A]... [options] PKG...\n"
	"\n"
	"Resolves the constraints (apk syntax: name, name>=1.2, name@tag, !name,\n"
	"so:libc.musl-x86_64.so.1 ...) against the repositories with apk-tools'\n"
	"semantics and prints the closure in install order, one name=version per\n"
	"line. With several architectures each one's list follows a line\n"
	"\"# ARCH\". --json adds the URL, identity, sizes, repository and the reason\n"
	"each package is in. An unsatisfiable request prints apk's explanation.\n"
	"\n"
	"options:\n" APK_REPO_CLI_OPTIONS_HELP APK_CLI_OPTIONS_HELP;

static json_t *resolved_json(const struct mint_apk_resolved *r)
{
	const struct mint_apk_pkg *p = &r->pkg->pkg;
	json_t *o = json_pack("{s:s,s:s,s:s,s:s,s:s}", "name", p->name, "version", p->version,
			      "url", r->pkg->url, "repository", r->pkg->repo->spec, "why",
			      r->reason ? r->reason : "");
	if (p->identity)
		json_object_set_new(o, "identity", json_string(p->identity));
	if (p->has_file_size)
		json_object_set_new(o, "size", json_integer((json_int_t)p->file_size));
	if (p->has_installed_size)
		json_object_set_new(o, "installed_size", json_integer((json_int_t)p->installed_size));
	if (r->pkg->repo->tag)
		json_object_set_new(o, "tag", json_string(r->pkg->repo->tag));
	return o;
}

static int print_resolution(const struct mint_apk_resolution *res, bool json)
{
	if (json) {
		json_t *archs = json_object();
		for (size_t a = 0; a < res->n_archs; a++) {
			json_t *list = json_array();
			for (size_t i = 0; i < res->archs[a].n; i++)
				json_array_append_new(list, resolved_json(&res->archs[a].pkgs[i]));
			json_object_set_new(archs, res->archs[a].arch, list);
		}
		return apk_print_json(json_pack("{s:o}", "archs", archs));
	}
	for (size_t a = 0; a < res->n_archs; a++) {
		if (res->n_archs > 1)
			printf("# %s\n", res->archs[a].arch);
		for (size_t i = 0; i < res->archs[a].n; i++) {
			const struct mint_apk_pkg *p = &res->archs[a].pkgs[i].pkg->pkg;
			printf("%s=%s\n", p->name, p->version);
		}
	}
	return CLI_EXIT_OK;
}

int cmd_apk_resolve(int argc, char **argv)
{
	struct apk_cli c;
	struct apk_repo_cli r = { 0 };
	int rc;
	if (!apk_repo_cli_start(&r, &c, "mint apk resolve", argc, argv, usage, &rc)) {
		apk_repo_cli_free(&r);
		return rc;
	}
	struct mint_apk_cache cache = { 0 };
	struct mint_apk_resolution res;
	rc = apk_repo_cli_resolve(&r, argc, argv, optind, &cache, &res);
	if (!rc) {
		rc = print_resolution(&res, c.json);
		mint_apk_resolution_free(&res);
		mint_apk_cache_close(&cache);
	}
	apk_repo_cli_free(&r);
	apk_cli_free(&c);
	return rc;
}
