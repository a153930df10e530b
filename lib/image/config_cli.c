/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The command-line overrides apko applies to a loaded config: appended
 * packages, repositories and keys, a replacement arch list (with "all" and
 * "host"), and annotations given as key:value. Option parsing itself stays
 * in src/.
 */
#include "config_internal.h"

#include <stdlib.h>
#include <string.h>

static int append(struct mint_image_strs *l, const char *const *v, size_t n, const char *what,
		  struct mint_err *err)
{
	for (size_t i = 0; i < n; i++) {
		if (cfg_empty(v[i]))
			return mint_err_set(err, MINT_EINVAL, "%s to append is empty", what);
		if (cfg_strs_contains(l, v[i]))
			continue;
		if (cfg_strs_push(l, v[i]))
			return mint_err_set(err, MINT_ENOMEM, "out of memory");
	}
	return 0;
}

int mint_image_config_append_packages(struct mint_image_config *cfg, const char *const *v,
				      size_t n, struct mint_err *err)
{
	return append(&cfg->contents.packages, v, n, "a package", err);
}

int mint_image_config_append_repositories(struct mint_image_config *cfg, const char *const *v,
					  size_t n, struct mint_err *err)
{
	return append(&cfg->contents.repositories, v, n, "a repository", err);
}

int mint_image_config_append_build_repositories(struct mint_image_config *cfg,
						const char *const *v, size_t n,
						struct mint_err *err)
{
	return append(&cfg->contents.build_repositories, v, n, "a build repository", err);
}

int mint_image_config_append_keyring(struct mint_image_config *cfg, const char *const *v,
				     size_t n, struct mint_err *err)
{
	return append(&cfg->contents.keyring, v, n, "a key", err);
}

static int arch_order(const void *a, const void *b)
{
	return mint_arch_compare(*(const enum mint_arch *)a, *(const enum mint_arch *)b);
}

/* Adds one --arch word to seen[], as apko's ParseArchitecture would. */
static int add_arch(const char *word, size_t len, bool *seen, struct mint_err *err)
{
	char name[32];
	enum mint_arch a;
	if (len == 0 || len >= sizeof(name))
		return mint_err_set(err, MINT_EINVAL, "--arch '%.*s' is not an architecture",
				    (int)(len > 64 ? 64 : len), word);
	memcpy(name, word, len);
	name[len] = '\0';
	if (!mint_arch_parse(name, &a))
		return mint_err_set(err, MINT_EINVAL,
				    "--arch '%s' is not an architecture apko builds: one of 386, "
				    "amd64, arm64, arm/v6, arm/v7, loong64, ppc64le, riscv64, s390x "
				    "(or their apk names), 'all' or 'host'",
				    name);
	seen[a] = true;
	return 0;
}

/* Fills seen[] from the values, each split at commas. */
static int collect_archs(const char *const *v, size_t n, bool *seen, struct mint_err *err)
{
	for (size_t i = 0; i < n; i++) {
		const char *p = v[i];
		for (;;) {
			const char *comma = strchr(p, ',');
			size_t len = comma ? (size_t)(comma - p) : strlen(p);
			int rc = add_arch(p, len, seen, err);
			if (rc)
				return rc;
			if (!comma)
				break;
			p = comma + 1;
		}
	}
	return 0;
}

int mint_image_config_set_archs(struct mint_image_config *cfg, const char *const *v, size_t n,
				struct mint_err *err)
{
	bool seen[MINT_ARCH_COUNT] = { false };
	enum mint_arch host;
	if (!n)
		return 0;
	if (n == 1 && !strcmp(v[0], "all")) {
		for (int a = 0; a < MINT_ARCH_COUNT; a++)
			seen[a] = true;
	} else if (n == 1 && !strcmp(v[0], "host")) {
		if (!mint_arch_host(&host))
			return mint_err_set(err, MINT_EUNSUPPORTED,
					    "--arch host: this machine is none of apko's arches");
		seen[host] = true;
	} else {
		int rc = collect_archs(v, n, seen, err);
		if (rc)
			return rc;
	}
	enum mint_arch *archs = calloc(MINT_ARCH_COUNT, sizeof(*archs));
	if (!archs)
		return mint_err_set(err, MINT_ENOMEM, "out of memory");
	size_t k = 0;
	for (int a = 0; a < MINT_ARCH_COUNT; a++)
		if (seen[a])
			archs[k++] = (enum mint_arch)a;
	qsort(archs, k, sizeof(*archs), arch_order);
	free(cfg->archs);
	cfg->archs = archs;
	cfg->n_archs = k;
	return 0;
}

/* apko's annotation keys: ^[a-z0-9-.]+$ */
static bool annotation_key_ok(const char *k, size_t len)
{
	if (!len)
		return false;
	for (size_t i = 0; i < len; i++)
		if (!strchr("abcdefghijklmnopqrstuvwxyz0123456789-.", k[i]) || !k[i])
			return false;
	return true;
}

int mint_image_config_set_annotations(struct mint_image_config *cfg, const char *const *kv,
				      size_t n, struct mint_err *err)
{
	for (size_t i = 0; i < n; i++) {
		const char *colon = strchr(kv[i], ':');
		if (!colon)
			return mint_err_set(err, MINT_EINVAL,
					    "--annotations '%s' is not key:value", kv[i]);
		size_t klen = (size_t)(colon - kv[i]);
		if (!annotation_key_ok(kv[i], klen))
			return mint_err_set(err, MINT_EINVAL,
					    "--annotations '%s': the key must match ^[a-z0-9-.]+$",
					    kv[i]);
		char *k = strndup(kv[i], klen);
		int rc = k ? cfg_kvs_set(&cfg->annotations, k, colon + 1) : MINT_ENOMEM;
		free(k);
		if (rc)
			return mint_err_set(err, MINT_ENOMEM, "out of memory");
	}
	return 0;
}
