/* SPDX-License-Identifier: Apache-2.0 */
/* Options, config loading and package gathering shared by the image commands. */
#include "image_cli.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "mint/fs.h"

void image_cli_init(struct image_cli *c, const char *cmd)
{
	memset(c, 0, sizeof(*c));
	c->cmd = cmd;
	c->vcs = true;
}

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

int image_cli_option(struct image_cli *c, int opt, const char *arg)
{
	switch (opt) {
	case IMAGE_OPT_ARCH: return push(&c->archs, &c->n_archs, arg);
	case 'k': return push(&c->keys, &c->n_keys, arg);
	case 'r': return push(&c->repos, &c->n_repos, arg);
	case 'b': return push(&c->build_repos, &c->n_build_repos, arg);
	case 'p': return push(&c->packages, &c->n_packages, arg);
	case IMAGE_OPT_ANNOTATIONS: return push(&c->annotations, &c->n_annotations, arg);
	case IMAGE_OPT_INCLUDE_PATHS: return push(&c->include_paths, &c->n_include_paths, arg);
	case IMAGE_OPT_CACHE_DIR: c->cache_dir = arg; return 0;
	case IMAGE_OPT_OFFLINE: c->offline = true; return 0;
	case IMAGE_OPT_IGNORE_SIGNATURES: c->ignore_signatures = true; return 0;
	case IMAGE_OPT_BUILD_DATE: c->build_date = arg; return 0;
	case IMAGE_OPT_LOCKFILE: c->lockfile = arg; return 0;
	case IMAGE_OPT_SBOM_PATH: c->sbom_path = arg; return 0;
	case IMAGE_OPT_VCS: c->vcs = true; return 0;
	case IMAGE_OPT_NO_VCS: c->vcs = false; return 0;
	case IMAGE_OPT_OUTPUT: c->output = arg; return 0;
	}
	return 1;
}

int image_cli_parse(struct image_cli *c, int argc, char **argv, const char *usage,
		    const struct option *long_opts, const char *extra_short,
		    int (*extra)(void *ctx, int opt, const char *arg), void *ctx)
{
	char shorts[64];
	snprintf(shorts, sizeof(shorts), "%s%s", IMAGE_CLI_SHORT_OPTS, extra_short ? extra_short : "");
	int opt;
	optind = 1;
	while ((opt = getopt_long(argc, argv, shorts, long_opts, NULL)) != -1) {
		if (opt == 'h') {
			fputs(usage, stdout);
			return -1;
		}
		if (opt == '?')
			return CLI_EXIT_USAGE;
		int rc = image_cli_option(c, opt, optarg);
		if (rc == 1 && extra)
			rc = extra(ctx, opt, optarg);
		if (rc == 1)
			return cli_usage_error(c->cmd, "unrecognised option");
		if (rc)
			return rc;
	}
	return 0;
}

static int apply_overrides(struct image_cli *c, struct mint_err *err)
{
	struct mint_image_config *cfg = &c->cfg;
	int rc = mint_image_config_append_packages(cfg, c->packages, c->n_packages, err);
	if (!rc)
		rc = mint_image_config_append_repositories(cfg, c->repos, c->n_repos, err);
	if (!rc)
		rc = mint_image_config_append_build_repositories(cfg, c->build_repos,
								 c->n_build_repos, err);
	if (!rc)
		rc = mint_image_config_append_keyring(cfg, c->keys, c->n_keys, err);
	if (!rc)
		rc = mint_image_config_set_annotations(cfg, c->annotations, c->n_annotations, err);
	if (!rc)
		rc = mint_image_config_set_archs(cfg, c->archs, c->n_archs, err);
	return rc;
}

/* Config features mint parses but does not build yet: an error, never a
 * silently different image. */
static int refuse_unbuilt(const struct mint_image_config *cfg, struct mint_err *err)
{
	if (cfg->contents.has_baseimage)
		return mint_err_set(err, MINT_EUNSUPPORTED,
				    "contents.baseimage: building on a base image is not supported yet");
	if (cfg->format && strcmp(cfg->format, "tar"))
		return mint_err_set(err, MINT_EUNSUPPORTED,
				    "format: %s images are not supported yet (only tar layers)",
				    cfg->format);
	return 0;
}

int image_cli_load_config(struct image_cli *c, const char *path, bool default_host)
{
	struct mint_image_config_opts opts = { .include_paths = c->include_paths,
					       .n_include_paths = c->n_include_paths };
	struct mint_err err = { 0 };
	c->config_path = path;
	int rc = mint_image_config_load(path, &opts, &c->cfg, &err);
	c->cfg_loaded = !rc;
	if (!rc)
		rc = apply_overrides(c, &err);
	if (!rc && !c->cfg.n_archs) {
		const char *host[] = { "host" };
		rc = default_host ? mint_image_config_set_archs(&c->cfg, host, 1, &err)
				  : mint_image_config_default_archs(&c->cfg, &err);
	}
	if (!rc)
		rc = mint_image_config_apply_defaults(&c->cfg, &err);
	if (!rc)
		rc = mint_image_config_validate(&c->cfg, &err);
	if (!rc)
		rc = refuse_unbuilt(&c->cfg, &err);
	if (!rc && c->cfg.has_layering)
		fprintf(stderr, "%s: note: layering is accepted and builds one layer\n", c->cmd);
	return rc ? cli_fail(&err) : 0;
}

static bool parse_epoch(const char *s, int64_t *out)
{
	char *end;
	errno = 0;
	long long v = strtoll(s, &end, 10);
	if (errno || end == s || *end || v < 0)
		return false;
	*out = v;
	return true;
}

int image_cli_build_date(struct image_cli *c)
{
	const char *sde = getenv("SOURCE_DATE_EPOCH");
	if (sde && sde[0]) {
		if (!parse_epoch(sde, &c->rootfs.build_date))
			return cli_usage_error(c->cmd, "SOURCE_DATE_EPOCH is not a number of seconds: '%s'",
					       sde);
		c->rootfs.source_date_epoch = true;
		return 0;
	}
	if (c->build_date && !mint_oci_time_parse(c->build_date, &c->rootfs.build_date) &&
	    !parse_epoch(c->build_date, &c->rootfs.build_date))
		return cli_usage_error(c->cmd,
				       "--build-date is RFC 3339 (2024-01-02T03:04:05Z), not '%s'",
				       c->build_date);
	return 0;
}

int image_cli_vcs(struct image_cli *c)
{
	if (!c->vcs || (c->cfg.vcs_url && c->cfg.vcs_url[0]))
		return 0;
	struct mint_buf url = MINT_BUF_INIT;
	struct mint_err err = { 0 };
	int rc = mint_image_vcs_probe(c->config_path, &url, &err);
	if (!rc && url.len) {
		free(c->cfg.vcs_url);
		c->cfg.vcs_url = mint_buf_detach(&url, NULL);
	}
	mint_buf_free(&url);
	return rc ? cli_fail(&err) : 0;
}

static int open_cache(struct image_cli *c, struct mint_err *err)
{
	struct mint_buf dir = MINT_BUF_INIT;
	int rc = c->cache_dir ? 0 : mint_cache_default_dir(&dir, err);
	if (!rc)
		rc = mint_apk_cache_open(&c->cache, c->cache_dir ? c->cache_dir : dir.data, err);
	mint_buf_free(&dir);
	c->cache_open = !rc;
	c->cache.offline = c->offline;
	return rc;
}

static int read_lock(const char *path, struct mint_lock *lock, struct mint_err *err)
{
	struct mint_buf text = MINT_BUF_INIT;
	int rc = mint_file_read(path, 64u << 20, &text, err);
	if (!rc)
		rc = mint_lock_parse(mint_buf_span(&text), path, lock, err);
	mint_buf_free(&text);
	return rc;
}

int image_cli_packages(struct image_cli *c, struct mint_image_packages *out)
{
	struct mint_err err = { 0 };
	memset(out, 0, sizeof(*out));
	int rc = open_cache(c, &err);
	struct mint_image_source_opts so = {
		.cache = &c->cache,
		.repo_flags = c->ignore_signatures ? MINT_APK_REPO_ALLOW_UNTRUSTED : 0,
		.keep_data = c->keep_data, .tmpdir = c->rootfs.tmpdir,
	};
	if (!rc && c->lockfile) {
		struct mint_lock lock = { 0 };
		rc = read_lock(c->lockfile, &lock, &err);
		if (!rc)
			rc = mint_image_packages_from_lock(&c->cfg, &lock, &so, out, &err);
		mint_lock_free(&lock);
	} else if (!rc) {
		rc = mint_image_packages_resolve(&c->cfg, &so, out, &err);
	}
	if (!rc)
		return 0;
	cli_fail(&err);
	if (out->explanation)
		fputs(out->explanation, stderr);
	mint_image_packages_free(out);
	return CLI_EXIT_FAIL;
}

void image_cli_free(struct image_cli *c)
{
	free(c->archs);
	free(c->keys);
	free(c->repos);
	free(c->build_repos);
	free(c->packages);
	free(c->annotations);
	free(c->include_paths);
	if (c->cfg_loaded)
		mint_image_config_free(&c->cfg);
	if (c->cache_open)
		mint_apk_cache_close(&c->cache);
	memset(c, 0, sizeof(*c));
}
