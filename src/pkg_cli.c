/* SPDX-License-Identifier: Apache-2.0 */
/* Option parsing and running for `mint pkg build` and `mint pkg test`. */
#include "pkg_cli.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

enum {
	OPT_ARCH = 5000,
	OPT_SIGNING_KEY,
	OPT_OUT_DIR,
	OPT_SOURCE_DIR,
	OPT_RUNNER,
	OPT_PIPELINE_DIR,
	OPT_PACKAGE_APPEND,
	OPT_CACHE_DIR,
	OPT_OFFLINE,
	OPT_IGNORE_SIGNATURES,
	OPT_NAMESPACE,
	OPT_NETWORK,
	OPT_GENERATE_INDEX,
	OPT_BWRAP,
};

static const struct option long_opts[] = {
	{ "arch", required_argument, NULL, OPT_ARCH },
	{ "signing-key", required_argument, NULL, OPT_SIGNING_KEY },
	{ "out-dir", required_argument, NULL, OPT_OUT_DIR },
	{ "source-dir", required_argument, NULL, OPT_SOURCE_DIR },
	{ "runner", required_argument, NULL, OPT_RUNNER },
	{ "pipeline-dir", required_argument, NULL, OPT_PIPELINE_DIR },
	{ "repository-append", required_argument, NULL, 'r' },
	{ "keyring-append", required_argument, NULL, 'k' },
	{ "package-append", required_argument, NULL, OPT_PACKAGE_APPEND },
	{ "cache-dir", required_argument, NULL, OPT_CACHE_DIR },
	{ "offline", no_argument, NULL, OPT_OFFLINE },
	{ "ignore-signatures", no_argument, NULL, OPT_IGNORE_SIGNATURES },
	{ "namespace", required_argument, NULL, OPT_NAMESPACE },
	{ "network", no_argument, NULL, OPT_NETWORK },
	{ "generate-index", optional_argument, NULL, OPT_GENERATE_INDEX },
	{ "bwrap", required_argument, NULL, OPT_BWRAP },
	{ "quiet", no_argument, NULL, 'q' },
	{ "help", no_argument, NULL, 'h' },
	{ 0 },
};

static int push(const char ***v, size_t *n, const char *s)
{
	const char **nv = realloc(*v, (*n + 1) * sizeof(*nv));
	if (!nv)
		return -1;
	nv[(*n)++] = s;
	*v = nv;
	return 0;
}

static int parse_bool(const char *cmd, const char *arg, bool *out)
{
	if (!arg || !strcmp(arg, "true") || !strcmp(arg, "1")) {
		*out = true;
		return 0;
	}
	if (!strcmp(arg, "false") || !strcmp(arg, "0")) {
		*out = false;
		return 0;
	}
	return cli_usage_error(cmd, "--generate-index takes true or false, not '%s'", arg);
}

static int option(struct pkg_cli *c, int opt, const char *arg)
{
	bool index = true;
	int rc = 0;
	switch (opt) {
	case OPT_ARCH: rc = push(&c->archs, &c->n_archs, arg); break;
	case OPT_SIGNING_KEY: c->signing_key = arg; break;
	case OPT_OUT_DIR: c->out_dir = arg; break;
	case OPT_SOURCE_DIR: c->source_dir = arg; break;
	case OPT_RUNNER: c->runner = arg; break;
	case OPT_PIPELINE_DIR: rc = push(&c->pipeline_dirs, &c->n_pipeline_dirs, arg); break;
	case 'r': rc = push(&c->repos, &c->n_repos, arg); break;
	case 'k': rc = push(&c->keys, &c->n_keys, arg); break;
	case OPT_PACKAGE_APPEND: rc = push(&c->packages, &c->n_packages, arg); break;
	case OPT_CACHE_DIR: c->cache_dir = arg; break;
	case OPT_OFFLINE: c->offline = true; break;
	case OPT_IGNORE_SIGNATURES: c->ignore_signatures = true; break;
	case OPT_NAMESPACE: c->namespace_ = arg; break;
	case OPT_NETWORK: c->network = true; break;
	case OPT_GENERATE_INDEX:
		rc = parse_bool(c->cmd, arg, &index);
		c->no_index = !index;
		return rc;
	case OPT_BWRAP: c->bwrap = arg; break;
	case 'q': c->quiet = true; break;
	default: return CLI_EXIT_USAGE;
	}
	return rc ? CLI_EXIT_FAIL : 0;
}

static int runner_of(struct pkg_cli *c, enum mint_runner *out)
{
	if (!c->runner || !strcmp(c->runner, "bubblewrap") || !strcmp(c->runner, "bwrap")) {
		*out = MINT_RUNNER_BWRAP;
		return 0;
	}
	if (!strcmp(c->runner, "host")) {
		*out = MINT_RUNNER_HOST;
		return 0;
	}
	return cli_usage_error(c->cmd, "--runner is bubblewrap or host, not '%s'", c->runner);
}

static int build_date(int64_t *out)
{
	const char *s = getenv("SOURCE_DATE_EPOCH");
	char *end;
	*out = 0;
	if (!s || !*s)
		return 0;
	long long v = strtoll(s, &end, 10);
	if (*end || v < 0) {
		struct mint_err err = { 0 };
		mint_err_set(&err, MINT_EINVAL, "SOURCE_DATE_EPOCH must be seconds, not '%s'", s);
		return cli_fail(&err);
	}
	*out = v;
	return 0;
}

static int open_cache(struct pkg_cli *c)
{
	struct mint_buf dir = MINT_BUF_INIT;
	struct mint_err err = { 0 };
	int rc = c->cache_dir ? 0 : mint_cache_default_dir(&dir, &err);
	if (!rc)
		rc = mint_apk_cache_open(&c->cache, c->cache_dir ? c->cache_dir : dir.data, &err);
	mint_buf_free(&dir);
	if (rc)
		return cli_fail(&err);
	c->cache_open = true;
	c->cache.offline = c->offline;
	c->source.cache = &c->cache;
	c->source.repo_flags = c->ignore_signatures ? MINT_APK_REPO_ALLOW_UNTRUSTED : 0;
	return 0;
}

static int load_signer(struct pkg_cli *c)
{
	struct mint_err err = { 0 };
	if (!c->signing_key)
		return 0;
	if (mint_apk_signer_load(c->signing_key, &c->signer, &err))
		return cli_fail(&err);
	c->has_signer = true;
	return 0;
}

static void fill_opts(struct pkg_cli *c, const char *recipe, enum mint_runner runner,
		      int64_t date)
{
	struct mint_pkg_build_opts *o = &c->opts;
	o->recipe_path = recipe;
	o->signer = c->has_signer ? &c->signer : NULL;
	o->out_dir = c->out_dir;
	o->source_dir = c->source_dir;
	o->runner = runner;
	o->bwrap = c->bwrap;
	o->network = c->network;
	o->pipeline_dirs = c->pipeline_dirs;
	o->n_pipeline_dirs = c->n_pipeline_dirs;
	o->source = &c->source;
	o->repositories_append = c->repos;
	o->n_repositories_append = c->n_repos;
	o->keyring_append = c->keys;
	o->n_keyring_append = c->n_keys;
	o->packages_append = c->packages;
	o->n_packages_append = c->n_packages;
	o->build_date = date;
	o->namespace_ = c->namespace_;
	o->no_index = c->no_index;
}

static void log_line(void *ctx, const char *line, size_t len)
{
	(void)ctx;
	fprintf(stderr, "%.*s\n", (int)len, line);
}

int pkg_cli_start(struct pkg_cli *c, const char *cmd, const char *usage, int argc, char **argv)
{
	int opt, rc;
	enum mint_runner runner = MINT_RUNNER_BWRAP;
	int64_t date = 0;
	memset(c, 0, sizeof(*c));
	c->cmd = cmd;
	optind = 1;
	while ((opt = getopt_long(argc, argv, "r:k:qh", long_opts, NULL)) != -1) {
		if (opt == 'h') {
			fputs(usage, stdout);
			return -1;
		}
		if (opt == '?')
			return cli_usage_error(cmd, "unknown option");
		rc = option(c, opt, optarg);
		if (rc)
			return rc;
	}
	if (argc - optind != 1)
		return cli_usage_error(cmd, "expects one RECIPE");
	rc = runner_of(c, &runner);
	if (!rc)
		rc = build_date(&date);
	if (!rc)
		rc = load_signer(c);
	if (!rc)
		rc = open_cache(c);
	if (rc)
		return rc;
	fill_opts(c, argv[optind], runner, date);
	if (!c->quiet)
		c->opts.log = log_line;
	return 0;
}

static int run_arch(struct pkg_cli *c, const char *arch,
		    int (*fn)(const struct mint_pkg_build_opts *, struct mint_pkg_build_result *,
			      struct mint_err *))
{
	struct mint_pkg_build_result res;
	struct mint_err err = { 0 };
	c->opts.arch = arch;
	int rc = fn(&c->opts, &res, &err);
	if (rc) {
		if (res.tail[0])
			fprintf(stderr, "--- the last output of the failing step ---\n%s%s---\n",
				res.tail, res.tail[strlen(res.tail) - 1] == '\n' ? "" : "\n");
		mint_pkg_build_result_free(&res);
		return cli_fail(&err);
	}
	for (size_t i = 0; i < res.n_apks; i++)
		printf("%s\n", res.apks[i]);
	mint_pkg_build_result_free(&res);
	return CLI_EXIT_OK;
}

/* --arch values may hold comma-separated lists. */
int pkg_cli_run(struct pkg_cli *c,
		int (*fn)(const struct mint_pkg_build_opts *, struct mint_pkg_build_result *,
			  struct mint_err *))
{
	if (!c->n_archs)
		return run_arch(c, NULL, fn);
	for (size_t i = 0; i < c->n_archs; i++) {
		char *list = strdup(c->archs[i]), *save = NULL;
		if (!list)
			return CLI_EXIT_FAIL;
		for (char *a = strtok_r(list, ",", &save); a; a = strtok_r(NULL, ",", &save)) {
			int rc = run_arch(c, a, fn);
			if (rc) {
				free(list);
				return rc;
			}
		}
		free(list);
	}
	return CLI_EXIT_OK;
}

void pkg_cli_free(struct pkg_cli *c)
{
	if (c->has_signer)
		mint_apk_signer_free(&c->signer);
	if (c->cache_open)
		mint_apk_cache_close(&c->cache);
	free(c->archs);
	free(c->pipeline_dirs);
	free(c->repos);
	free(c->keys);
	free(c->packages);
}
