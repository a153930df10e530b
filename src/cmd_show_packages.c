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
	"      --format F           a preset or a template over {{ .Name }}, {{ .Version }} and\n"
	"                           {{ .Source }}; presets as apko's: name-version (default,\n"
	"                           \"NAME VERSION\"), name=version, name-(version), packagelock\n"
	"                           (\"- NAME=VERSION\"), each also with -source appended\n"
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

/* apko's presets, as Go templates. */
static const struct {
	const char *name, *template;
} presets[] = {
	{ "name-version", "{{ .Name }} {{ .Version }}" },
	{ "name-version-source", "{{ .Name }} {{ .Version }} {{ .Source }}" },
	{ "name=version", "{{ .Name }}={{ .Version }}" },
	{ "name=version-source", "{{ .Name }}={{ .Version }} {{ .Source }}" },
	{ "name-(version)", "{{ .Name }} ({{ .Version }})" },
	{ "name-(version)-source", "{{ .Name }} ({{ .Version }}) {{ .Source }}" },
	{ "packagelock", "- {{ .Name }}={{ .Version }}" },
	{ "packagelock-source", "- {{ .Name }}={{ .Version }} # {{ .Source }}" },
};

static const char *format_template(const char *format)
{
	for (size_t i = 0; i < sizeof(presets) / sizeof(presets[0]); i++)
		if (!strcmp(format, presets[i].name))
			return presets[i].template;
	return format;
}

/* The field a "{{ .X }}" action at s names (0 Name, 1 Version, 2 Source),
 * its length in *len; -1 when s is no such action. */
static int template_field(const char *s, size_t *len)
{
	static const char *const fields[] = { "Name", "Version", "Source" };
	if (strncmp(s, "{{", 2))
		return -1;
	const char *p = s + 2;
	while (*p == ' ')
		p++;
	if (*p++ != '.')
		return -1;
	for (int f = 0; f < 3; f++) {
		size_t n = strlen(fields[f]);
		if (strncmp(p, fields[f], n))
			continue;
		const char *q = p + n;
		while (*q == ' ')
			q++;
		if (strncmp(q, "}}", 2))
			return -1;
		*len = (size_t)(q + 2 - s);
		return f;
	}
	return -1;
}

/* Only plain text and the three field actions: mint does not run Go
 * templates, and says so rather than print something else. */
static bool template_valid(const char *t)
{
	for (const char *p = t; *p; p++) {
		size_t len;
		if (p[0] == '{' && p[1] == '{') {
			if (template_field(p, &len) < 0)
				return false;
			p += len - 1;
		}
	}
	return true;
}

static void print_template(const char *t, const char *const values[3])
{
	for (const char *p = t; *p;) {
		size_t len;
		int f = p[0] == '{' ? template_field(p, &len) : -1;
		if (f >= 0) {
			fputs(values[f], stdout);
			p += len;
		} else {
			putchar(*p++);
		}
	}
	putchar('\n');
}

static int handle(void *ctx, int opt, const char *arg)
{
	struct show_opts *o = ctx;
	switch (opt) {
	case OPT_FORMAT:
		o->format = format_template(arg);
		if (!template_valid(o->format))
			return cli_usage_error("mint show-packages",
					       "--format: '%s' is neither a preset nor a template using "
					       "only {{ .Name }}, {{ .Version }} and {{ .Source }}", arg);
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
	const char *t = format ? format : presets[0].template;
	for (size_t a = 0; a < res->n_archs; a++) {
		if (res->n_archs > 1)
			printf("# %s\n", res->archs[a].arch);
		for (size_t i = 0; i < res->archs[a].n; i++) {
			const struct mint_apk_repo_pkg *rp = res->archs[a].pkgs[i].pkg;
			const char *values[3] = { rp->pkg.name, rp->pkg.version, rp->url };
			print_template(t, values);
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
