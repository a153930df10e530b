/* SPDX-License-Identifier: Apache-2.0 */
/* Test-only local repositories and hand-read installs (see repobuild.h). */
#include "repobuild.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "mint/apk_package.h"
#include "mint/apk_write.h"
#include "mint/fs.h"
#include "testutil.h"

static void make_dir(const char *path)
{
	if (mkdir(path, 0755) && errno != EEXIST)
		fail_msg("mkdir %s: %s", path, strerror(errno));
}

static void write_bytes(const char *path, const void *data, size_t len)
{
	struct mint_err err = { 0 };
	assert_ok(mint_file_write_atomic(path, data, len, 0644, &err), &err);
}

/* A path formatted like printf, malloc'd. */
static char *path_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static char *path_printf(const char *fmt, ...)
{
	va_list ap;
	char *out = NULL;
	va_start(ap, fmt);
	int n = vasprintf(&out, fmt, ap);
	va_end(ap);
	assert_true(n >= 0);
	return out;
}

/* Builds spec into apk, reads it into pkg and writes dir/<name>-<version>.apk;
 * returns the file's path (malloc'd). */
static char *write_apk(const char *dir, const struct test_apk *spec, struct mint_buf *apk,
		       struct mint_apk_package *pkg)
{
	struct mint_err err = { 0 };
	build_test_apk(spec, apk);
	assert_ok(mint_apk_package_read_mem(mint_buf_span(apk), NULL, NULL, 0, pkg, &err), &err);
	char *path = path_printf("%s/%s-%s.apk", dir, pkg->info.name, pkg->info.version);
	write_bytes(path, apk->data, apk->len);
	return path;
}

void repo_build(const char *dir, const char *arch, const struct test_apk *pkgs, size_t n,
		EVP_PKEY *key, const char *key_name)
{
	make_dir(dir);
	char *arch_dir = path_printf("%s/%s", dir, arch);
	make_dir(arch_dir);
	char **paths = calloc(n + 1, sizeof(*paths));
	assert_non_null(paths);
	for (size_t i = 0; i < n; i++) {
		struct mint_buf apk = MINT_BUF_INIT;
		struct mint_apk_package pkg;
		paths[i] = write_apk(arch_dir, &pkgs[i], &apk, &pkg);
		mint_apk_package_free(&pkg);
		mint_buf_free(&apk);
	}
	struct mint_apk_signer signer = { .key = key, .key_name = (char *)key_name };
	char *index_path = path_printf("%s/APKINDEX.tar.gz", arch_dir);
	struct mint_apk_index_opts o = {
		.apk_paths = (const char *const *)paths,
		.n_apks = n,
		.description = "test repository",
		.signer = key ? &signer : NULL,
		.out_path = index_path,
	};
	struct mint_err err = { 0 };
	assert_ok(mint_apk_index_write(&o, &err), &err);
	for (size_t i = 0; i < n; i++)
		free(paths[i]);
	free(paths);
	free(index_path);
	free(arch_dir);
}

void repo_write_public_key(EVP_PKEY *key, const char *path)
{
	size_t len;
	char *pem = public_pem_of(key, &len);
	write_bytes(path, pem, len);
	free(pem);
}

void repo_install_from(const char *dir, const struct test_apk *spec,
		       struct mint_image_install *out)
{
	struct mint_buf apk = MINT_BUF_INIT;
	struct mint_apk_package pkg;
	struct mint_err err = { 0 };
	memset(out, 0, sizeof(*out));
	out->path = write_apk(dir, spec, &apk, &pkg);
	mint_apk_package_free(&pkg);
	mint_buf_free(&apk);
	out->url = strdup(out->path);
	out->lock_url = strdup(out->path);
	assert_true(out->path && out->url && out->lock_url);
	assert_ok(mint_apk_package_read(out->path, NULL, NULL, 0, &out->pkg, &err), &err);
}

void repo_install_free(struct mint_image_install *ins)
{
	free(ins->url);
	free(ins->lock_url);
	free(ins->path);
	free(ins->tag);
	mint_apk_package_free(&ins->pkg);
	memset(ins, 0, sizeof(*ins));
}

void repo_packages_add_arch(struct mint_image_packages *p, const char *dir, enum mint_arch arch,
			    const struct test_apk *specs, size_t n)
{
	char *arch_dir = path_printf("%s/%s", dir, mint_arch_to_apk(arch));
	make_dir(arch_dir);
	struct mint_image_arch_packages *grown =
		realloc(p->archs, (p->n_archs + 1) * sizeof(*grown));
	assert_non_null(grown);
	p->archs = grown;
	struct mint_image_arch_packages *a = &p->archs[p->n_archs++];
	a->arch = arch;
	a->n = n;
	a->pkgs = calloc(n + 1, sizeof(*a->pkgs));
	assert_non_null(a->pkgs);
	for (size_t i = 0; i < n; i++)
		repo_install_from(arch_dir, &specs[i], &a->pkgs[i]);
	free(arch_dir);
}

void repo_packages_add_key(struct mint_image_packages *p, const char *name, const char *pem)
{
	struct mint_image_key *grown = realloc(p->keys, (p->n_keys + 1) * sizeof(*grown));
	assert_non_null(grown);
	p->keys = grown;
	struct mint_image_key *k = &p->keys[p->n_keys++];
	k->name = strdup(name);
	k->pem = (struct mint_buf)MINT_BUF_INIT;
	assert_non_null(k->name);
	assert_int_equal(mint_buf_puts(&k->pem, pem), 0);
}
