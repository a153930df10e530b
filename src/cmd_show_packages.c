/* SPDX-License-Identifier: Apache-2.0 */
/*
 * `mint show-packages CONFIG`: the packages an apko configuration resolves
 * to, per architecture, as apko's show-packages lists them. Repositories and
 * keys come from the config (build and image repositories both count), paths
 * in it are relative to the current directory, as in apko.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "apk_cli.h"
#include "cli.h"
#include "commands.h"
#include "mint/apk_resolve.h"
#include "mint/image_config.h"

static const char usage[] =
	"usage: mint show-packages [options] CONFIG\n"
	"\n"
	"Resolves the config's packages against its repositories and keyring and\n"
	"prints them in install order, one per line; with several architectures\n"
	"each one's list follows a line \"# ARCH\".\n"
	"\n"
	"options:\n"
	"      --format F           name-version (default) or name=version\n"
	"      --arch A             only these architectures (repeatable, comma-separated)\n"
	"      --cache-dir DIR      package and index cache (default ~/.cache/mint)\n"
	"      --offline            use only the cache\n" APK_CLI_OPTIONS_HELP;

enum { OPT_FORMAT = 3000, OPT_ARCH, OPT_CACHE_DIR, OPT_OFFLINE };

struct show_opts {
	const char *format;
	char *archs[32];
	size_t n_archs;
	const char *cache_dir;
	bool offline;
};

static int handle(void *ctx, int opt, const char *arg)
{
	struct show_opts *o = ctx;
	switch (opt) {
	case OPT_FORMAT:
		if (strcmp(arg, "name-version") && strcmp(arg, "name=version"))
			return cli_usage_error("mint show-packages",
					       "--format is name-version or name=version, not '%s'", arg);
		o->format = arg;
		return 0;
	case OPT_ARCH:
		for (char *save = NULL, *a = strtok_r((char *)arg, ",", &save); a;
		     a = strtok_r(NULL, ",", &save)) {
			if (o->n_archs == sizeof(o->archs) / sizeof(o->archs[0]))
				return cli_usage_error("mint show-packages", "too many --arch values");
			o->archs[o->n_archs++] = a;
		}
		return 0;
	case OPT_CACHE_DIR: o->cache_dir = arg; return 0;
	case OPT_OFFLINE: o->offline = true; return 0;
	}
	return cli_usage_error("mint show-packages", "unrecognised option");
}

/* The config's repositories, keys and packages as the resolver takes them. */
struct inputs {
	struct mint_apk_repo *repos;
	size_t n_repos;
	struct mint_apk_dep *world;
	size_t n_world;
	const char *archs[32];
	size_t n_archs;
};

static int add_repos(struct inputs *in, const struct mint_image_strs *list, struct mint_err *err)
{
	for (size_t i = 0; i < list->n; i++) {
		int rc = mint_apk_repo_parse(mint_span_str(list->v[i]), &in->repos[in->n_repos], err);
		if (rc)
			return rc;
		in->n_repos++;
	}
	return 0;
}

static int gather(const struct mint_image_config *cfg, struct apk_cli *c, struct inputs *in,
		  struct mint_err *err)
{
	const struct mint_image_contents *ct = &cfg->contents;
	in->repos = calloc(ct->repositories.n + ct->build_repositories.n + 1, sizeof(*in->repos));
	in->world = calloc(ct->packages.n + 1, sizeof(*in->world));
	if (!in->repos || !in->world)
		return mint_err_set(err, MINT_ENOMEM, "out of memory");
	int rc = add_repos(in, &ct->repositories, err);
	if (!rc)
		rc = add_repos(in, &ct->build_repositories, err);
	for (size_t i = 0; !rc && i < ct->keyring.n; i++) {
		rc = mint_apk_keyring_add_file(&c->keyring, ct->keyring.v[i], err);
		c->have_keyring = true;
	}
	for (size_t i = 0; !rc && i < ct->packages.n; i++) {
		rc = mint_apk_dep_parse(mint_span_str(ct->packages.v[i]), &in->world[i], err);
		in->n_world += !rc;
	}
	for (size_t i = 0; i < cfg->n_archs && i < 32; i++)
		in->archs[in->n_archs++] = mint_arch_to_apk(cfg->archs[i]);
	return rc;
}

static void print_packages(const struct mint_apk_resolution *res, const char *format)
{
	char sep = format && !strcmp(format, "name=version") ? '=' : '-';
	for (size_t a = 0; a < res->n_archs; a++) {
		if (res->n_archs > 1)
			printf("# %s\n", res->archs[a].arch);
		for (size_t i = 0; i < res->archs[a].n; i++) {
			const struct mint_apk_pkg *p = &res->archs[a].pkgs[i].pkg->pkg;
			printf("%s%c%s\n", p->name, sep, p->version);
		}
	}
}

static int resolve_and_print(struct apk_cli *c, const struct show_opts *o,
			     const struct mint_image_config *cfg, struct mint_err *err)
{
	struct inputs in = { 0 };
	struct mint_apk_cache cache = { 0 };
	struct mint_apk_resolution res = { 0 };
	struct mint_buf dir = MINT_BUF_INIT;
	int rc = gather(cfg, c, &in, err);
	if (!rc && !o->cache_dir)
		rc = mint_cache_default_dir(&dir, err);
	if (!rc)
		rc = mint_apk_cache_open(&cache, o->cache_dir ? o->cache_dir : dir.data, err);
	if (!rc) {
		cache.offline = o->offline;
		struct mint_apk_resolve_opts ro = {
			.repos = in.repos, .n_repos = in.n_repos,
			.archs = o->n_archs ? (const char *const *)o->archs : in.archs,
			.n_archs = o->n_archs ? o->n_archs : in.n_archs,
			.cache = &cache, .keyring = apk_cli_keyring(c),
		};
		rc = mint_apk_resolve(&ro, in.world, in.n_world, &res, err);
		if (!rc) {
			print_packages(&res, o->format);
		} else if (res.explanation) {
			/* the one error line first, then apk's explanation */
			cli_fail(err);
			fputs(res.explanation, stderr);
			mint_err_clear(err);
		}
		mint_apk_resolution_free(&res);
		mint_apk_cache_close(&cache);
	}
	for (size_t i = 0; i < in.n_repos; i++)
		mint_apk_repo_free(&in.repos[i]);
	free(in.repos);
	mint_apk_deps_free(in.world, in.n_world);
	mint_buf_free(&dir);
	return rc;
}

int cmd_show_packages(int argc, char **argv)
{
	static const struct option long_opts[] = {
		{ "format", required_argument, NULL, OPT_FORMAT },
		{ "arch", required_argument, NULL, OPT_ARCH },
		{ "cache-dir", required_argument, NULL, OPT_CACHE_DIR },
		{ "offline", no_argument, NULL, OPT_OFFLINE },
		{ 0 },
	};
	struct show_opts o = { 0 };
	struct apk_cli_extra extra = { "", long_opts, handle, &o };
	struct apk_cli c;
	int rc;
	if (!apk_cli_start(&c, "mint show-packages", argc, argv, usage, &extra, &rc))
		return rc;
	if (optind != argc - 1) {
		apk_cli_free(&c);
		return cli_usage_error("mint show-packages", "expects exactly one config file");
	}
	struct mint_image_config cfg;
	struct mint_err err = { 0 };
	rc = mint_image_config_load(argv[optind], NULL, &cfg, &err);
	if (!rc && !cfg.n_archs)
		rc = mint_image_config_default_archs(&cfg, &err);
	if (!rc)
		rc = resolve_and_print(&c, &o, &cfg, &err);
	if (rc && err.msg[0])
		cli_fail(&err);
	mint_image_config_free(&cfg);
	apk_cli_free(&c);
	return rc ? CLI_EXIT_FAIL : CLI_EXIT_OK;
}
