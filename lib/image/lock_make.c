/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The lock of what a config resolved to: apko's apko.lock.json, made from
 * the packages read for the build (mint/image_lock.h has the format).
 * Keys are sorted by name as apko sorts them; repositories are listed per
 * arch, each list in config order; packages per arch in install order.
 */
#include "mint/image_build.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mint/fs.h"

static int key_order(const void *a, const void *b)
{
	return strcmp(((const struct mint_lock_key *)a)->name,
		      ((const struct mint_lock_key *)b)->name);
}

static int lock_keys(const struct mint_image_packages *p, struct mint_lock *out,
		     struct mint_err *err)
{
	out->keyring = calloc(p->n_keys + 1, sizeof(*out->keyring));
	if (!out->keyring)
		return mint_err_set(err, MINT_ENOMEM, "out of memory");
	for (size_t i = 0; i < p->n_keys; i++) {
		int rc = mint_lock_key_for(p->keys[i].name, mint_buf_span(&p->keys[i].pem),
					   &out->keyring[i], err);
		if (rc)
			return rc;
		out->n_keyring++;
	}
	qsort(out->keyring, out->n_keyring, sizeof(*out->keyring), key_order);
	return 0;
}

static int lock_repos(const struct mint_image_strs *repos, const struct mint_image_packages *p,
		      struct mint_lock_repo **out, size_t *n, struct mint_err *err)
{
	*out = calloc(repos->n * p->n_archs + 1, sizeof(**out));
	if (!*out)
		return mint_err_set(err, MINT_ENOMEM, "out of memory");
	for (size_t r = 0; r < repos->n; r++) {
		for (size_t a = 0; a < p->n_archs; a++) {
			int rc = mint_lock_repo_for(repos->v[r], mint_arch_to_apk(p->archs[a].arch),
						    &(*out)[*n], err);
			if (rc)
				return rc;
			(*n)++;
		}
	}
	return 0;
}

static int lock_package(const struct mint_image_install *ins, const char *arch,
			struct mint_lock_package *out, struct mint_err *err)
{
	struct mint_buf file = MINT_BUF_INIT;
	int rc = mint_file_read(ins->path, ins->pkg.file_size + 1, &file, err);
	if (!rc)
		rc = mint_lock_package_from(&ins->pkg, mint_buf_span(&file), ins->lock_url, arch,
					    out, err);
	mint_buf_free(&file);
	return rc;
}

static int lock_packages(const struct mint_image_packages *p, struct mint_lock *out,
			 struct mint_err *err)
{
	size_t total = 0;
	for (size_t a = 0; a < p->n_archs; a++)
		total += p->archs[a].n;
	out->packages = calloc(total + 1, sizeof(*out->packages));
	if (!out->packages)
		return mint_err_set(err, MINT_ENOMEM, "out of memory");
	for (size_t a = 0; a < p->n_archs; a++) {
		const char *arch = mint_arch_to_apk(p->archs[a].arch);
		for (size_t i = 0; i < p->archs[a].n; i++) {
			int rc = lock_package(&p->archs[a].pkgs[i], arch,
					      &out->packages[out->n_packages], err);
			if (rc)
				return rc;
			out->n_packages++;
		}
	}
	return 0;
}

int mint_image_packages_lock(const struct mint_image_config *cfg, const char *config_name,
			     const struct mint_image_packages *p, struct mint_lock *out,
			     struct mint_err *err)
{
	memset(out, 0, sizeof(*out));
	const struct mint_image_contents *c = &cfg->contents;
	out->has_config = true;
	out->config_name = strdup(config_name);
	snprintf(out->config_checksum, sizeof(out->config_checksum), "%s", cfg->checksum);
	int rc = out->config_name ? 0 : mint_err_set(err, MINT_ENOMEM, "out of memory");
	if (!rc)
		rc = lock_keys(p, out, err);
	if (!rc)
		rc = lock_repos(&c->build_repositories, p, &out->build_repositories,
				&out->n_build_repositories, err);
	if (!rc)
		rc = lock_repos(&c->runtime_repositories, p, &out->runtime_repositories,
				&out->n_runtime_repositories, err);
	if (!rc)
		rc = lock_repos(&c->repositories, p, &out->repositories, &out->n_repositories, err);
	if (!rc)
		rc = lock_packages(p, out, err);
	if (rc)
		mint_lock_free(out);
	return rc;
}
