/* SPDX-License-Identifier: Apache-2.0 */
/* Repository options and resolution for the CLI (see apk_repo_cli.h). */
#include "apk_repo_cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>

#include "cli.h"

enum {
	OPT_REPOSITORY = 'r',
	OPT_OUTPUT = 'o',
	OPT_ARCH = 2000,
	OPT_CACHE_DIR,
	OPT_OFFLINE,
	OPT_ALLOW_UNTRUSTED,
};

static int push(const char ***list, size_t *n, const char *item)
{
	const char **grown = realloc(*list, (*n + 1) * sizeof(**list));
	if (!grown) {
		fprintf(stderr, "mint: out of memory\n");
		return CLI_EXIT_FAIL;
	}
	*list = grown;
	(*list)[(*n)++] = item;
	return 0;
}

/* --arch takes repeats and comma-separated lists; the pieces point into argv,
 * cut in place. */
static int add_archs(struct apk_repo_cli *r, char *arg)
{
	for (char *save = NULL, *a = strtok_r(arg, ",", &save); a; a = strtok_r(NULL, ",", &save)) {
		int rc = push(&r->archs, &r->n_archs, a);
		if (rc)
			return rc;
	}
	return 0;
}

static int handle(void *ctx, int opt, const char *arg)
{
	struct apk_repo_cli *r = ctx;
	switch (opt) {
	case OPT_REPOSITORY: return push(&r->repo_specs, &r->n_repos, arg);
	case OPT_ARCH: return add_archs(r, (char *)arg);
	case OPT_CACHE_DIR: r->cache_dir = arg; return 0;
	case OPT_OFFLINE: r->offline = true; return 0;
	case OPT_ALLOW_UNTRUSTED: r->allow_untrusted = true; return 0;
	case OPT_OUTPUT:
		if (r->wants_out_dir) {
			r->out_dir = arg;
			return 0;
		}
		break;
	}
	return cli_usage_error(r->base->cmd, "unrecognised option");
}

bool apk_repo_cli_start(struct apk_repo_cli *r, struct apk_cli *base, const char *cmd,
			int argc, char **argv, const char *usage, int *exit_code)
{
	static const struct option long_opts[] = {
		{ "repository", required_argument, NULL, OPT_REPOSITORY },
		{ "arch", required_argument, NULL, OPT_ARCH },
		{ "cache-dir", required_argument, NULL, OPT_CACHE_DIR },
		{ "offline", no_argument, NULL, OPT_OFFLINE },
		{ "allow-untrusted", no_argument, NULL, OPT_ALLOW_UNTRUSTED },
		{ "output", required_argument, NULL, OPT_OUTPUT },
		{ 0 },
	};
	r->base = base;
	struct apk_cli_extra extra = { "r:o:", long_opts, handle, r };
	return apk_cli_start(base, cmd, argc, argv, usage, &extra, exit_code);
}

static const char *host_arch(void)
{
	static struct utsname u;
	if (uname(&u))
		return "x86_64";
	if (!strcmp(u.machine, "arm64"))
		return "aarch64";
	return u.machine;
}

static int parse_world(const struct apk_repo_cli *r, int argc, char **argv, int first,
		       struct mint_apk_dep **world, size_t *n)
{
	*world = calloc((size_t)(argc - first) + 1, sizeof(**world));
	*n = 0;
	for (int i = first; i < argc; i++) {
		struct mint_err err = { 0 };
		if (mint_apk_dep_parse(mint_span_str(argv[i]), &(*world)[*n], &err))
			return cli_usage_error(r->base->cmd, "%s", err.msg);
		(*n)++;
	}
	return 0;
}

static int parse_repos(const struct apk_repo_cli *r, struct mint_apk_repo *repos)
{
	for (size_t i = 0; i < r->n_repos; i++) {
		struct mint_err err = { 0 };
		if (mint_apk_repo_parse(mint_span_str(r->repo_specs[i]), &repos[i], &err))
			return cli_usage_error(r->base->cmd, "repository '%s': %s", r->repo_specs[i],
					       err.msg);
	}
	return 0;
}

static int open_cache(const struct apk_repo_cli *r, struct mint_apk_cache *cache)
{
	struct mint_err err = { 0 };
	struct mint_buf dir = MINT_BUF_INIT;
	int rc = r->cache_dir ? 0 : mint_cache_default_dir(&dir, &err);
	if (!rc)
		rc = mint_apk_cache_open(cache, r->cache_dir ? r->cache_dir : dir.data, &err);
	mint_buf_free(&dir);
	if (rc)
		return cli_fail(&err);
	cache->offline = r->offline;
	cache->limits = r->base->limits;
	return 0;
}

static int run(struct apk_repo_cli *r, struct mint_apk_repo *repos, struct mint_apk_dep *world,
	       size_t n_world, struct mint_apk_cache *cache, struct mint_apk_resolution *out)
{
	const char *default_arch[] = { host_arch() };
	struct mint_apk_resolve_opts o = {
		.repos = repos, .n_repos = r->n_repos,
		.archs = r->n_archs ? r->archs : default_arch, .n_archs = r->n_archs ? r->n_archs : 1,
		.cache = cache, .keyring = apk_cli_keyring(r->base),
		.repo_flags = r->allow_untrusted ? MINT_APK_REPO_ALLOW_UNTRUSTED : 0,
	};
	struct mint_err err = { 0 };
	if (!mint_apk_resolve(&o, world, n_world, out, &err))
		return CLI_EXIT_OK;
	int rc = cli_fail(&err);
	if (out->explanation)
		fputs(out->explanation, stderr);
	mint_apk_resolution_free(out);
	return rc;
}

int apk_repo_cli_resolve(struct apk_repo_cli *r, int argc, char **argv, int first,
			 struct mint_apk_cache *cache, struct mint_apk_resolution *out)
{
	memset(out, 0, sizeof(*out));
	if (first >= argc)
		return cli_usage_error(r->base->cmd, "expects at least one package");
	if (!r->n_repos)
		return cli_usage_error(r->base->cmd, "expects at least one -r REPOSITORY");
	int rc = apk_cli_default_keyring(r->base);
	if (rc)
		return rc;
	if (r->allow_untrusted)
		fprintf(stderr, "mint: WARNING: --allow-untrusted: unsigned and untrusted indexes "
				"are accepted; use this for tests and local work only\n");
	else if (!r->base->have_keyring)
		return cli_usage_error(r->base->cmd,
				       "no keyring: pass -k KEYS (or --allow-untrusted)");
	struct mint_apk_repo *repos = calloc(r->n_repos, sizeof(*repos));
	struct mint_apk_dep *world = NULL;
	size_t n_world = 0;
	rc = repos ? parse_repos(r, repos) : CLI_EXIT_FAIL;
	if (!rc)
		rc = parse_world(r, argc, argv, first, &world, &n_world);
	if (!rc)
		rc = open_cache(r, cache);
	if (!rc)
		rc = run(r, repos, world, n_world, cache, out);
	if (rc && cache->root)
		mint_apk_cache_close(cache);
	for (size_t i = 0; repos && i < r->n_repos; i++)
		mint_apk_repo_free(&repos[i]);
	free(repos);
	mint_apk_deps_free(world, n_world);
	return rc;
}

void apk_repo_cli_free(struct apk_repo_cli *r)
{
	free(r->repo_specs);
	free(r->archs);
}
