/* SPDX-License-Identifier: Apache-2.0 */
/* Test-only local repositories and hand-read installs (see repobuild.h). */
#include "repobuild.h"

#include <errno.h>
#include <openssl/pem.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "mint/apk_index.h"
#include "mint/apk_package.h"
#include "mint/fs.h"
#include "testutil.h"

static int sink(void *ctx, const void *data, size_t len, struct mint_err *err)
{
	(void)err;
	return mint_buf_append(ctx, data, len);
}

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

static char *dup_or_null(const char *s)
{
	return s ? strdup(s) : NULL;
}

static void copy_list(struct mint_strlist *to, const struct mint_strlist *from)
{
	for (size_t i = 0; i < from->n; i++)
		assert_int_equal(mint_strlist_add(to, from->items[i], strlen(from->items[i])), 0);
}

/* The index record of a package: what the resolver and the cache check. */
static void index_record(const struct mint_apk_package *p, uint64_t file_size,
			 struct mint_apk_pkg *rec)
{
	memset(rec, 0, sizeof(*rec));
	rec->name = strdup(p->info.name);
	rec->version = strdup(p->info.version);
	rec->arch = dup_or_null(p->info.arch);
	rec->origin = dup_or_null(p->info.origin);
	rec->identity = strdup(p->identity);
	rec->has_file_size = true;
	rec->file_size = file_size;
	rec->has_installed_size = p->info.has_installed_size;
	rec->installed_size = p->info.installed_size;
	rec->has_build_time = p->info.has_build_time;
	rec->build_time = p->info.build_time;
	copy_list(&rec->depends, &p->info.depends);
	copy_list(&rec->provides, &p->info.provides);
	copy_list(&rec->install_if, &p->info.install_if);
}

static void add_tar_file(struct mint_tar_writer *w, const char *name, const void *data,
			 size_t len)
{
	struct mint_err err = { 0 };
	struct mint_tar_entry e = { .name = (char *)name, .type = MINT_TAR_REG, .mode = 0644,
				    .size = len, .uname = "root", .gname = "root" };
	assert_ok(mint_tar_write_entry(w, &e, data, &err), &err);
}

/* The signature member: a tar holding .SIGN.RSA256.<key_name> over
 * signed (no end-of-archive blocks, as abuild-sign writes it), gzipped. */
static void signature_member(EVP_PKEY *key, const char *key_name,
			     const struct mint_buf *signed_bytes, struct mint_buf *out)
{
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	size_t n = 0;
	assert_int_equal(EVP_DigestSignInit(ctx, NULL, EVP_sha256(), NULL, key), 1);
	assert_int_equal(EVP_DigestSign(ctx, NULL, &n, (const unsigned char *)signed_bytes->data,
					signed_bytes->len), 1);
	unsigned char *sig = malloc(n);
	assert_non_null(sig);
	assert_int_equal(EVP_DigestSign(ctx, sig, &n, (const unsigned char *)signed_bytes->data,
					signed_bytes->len), 1);
	EVP_MD_CTX_free(ctx);
	struct mint_buf name = MINT_BUF_INIT, tar = MINT_BUF_INIT;
	assert_int_equal(mint_buf_printf(&name, ".SIGN.RSA256.%s", key_name), 0);
	struct mint_tar_writer w = { .sink = sink, .ctx = &tar };
	add_tar_file(&w, mint_buf_cstr(&name), sig, n);
	gzip_member(tar.data, tar.len, out);
	free(sig);
	mint_buf_free(&name);
	mint_buf_free(&tar);
}

static void write_index(const char *arch_dir, const struct mint_apk_index *idx, EVP_PKEY *key,
			const char *key_name)
{
	struct mint_buf text = MINT_BUF_INIT, tar = MINT_BUF_INIT, content = MINT_BUF_INIT;
	struct mint_buf file = MINT_BUF_INIT;
	struct mint_err err = { 0 };
	assert_int_equal(mint_apk_index_write_text(idx, &text), 0);
	struct mint_tar_writer w = { .sink = sink, .ctx = &tar };
	add_tar_file(&w, "APKINDEX", text.data, text.len);
	add_tar_file(&w, "DESCRIPTION", "test repository", 15);
	assert_ok(mint_tar_write_end(&w, &err), &err);
	gzip_member(tar.data, tar.len, &content);
	if (key)
		signature_member(key, key_name, &content, &file);
	assert_int_equal(mint_buf_append(&file, content.data, content.len), 0);
	char *path = path_printf("%s/APKINDEX.tar.gz", arch_dir);
	write_bytes(path, file.data, file.len);
	free(path);
	mint_buf_free(&text);
	mint_buf_free(&tar);
	mint_buf_free(&content);
	mint_buf_free(&file);
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
	struct mint_apk_index idx = { .pkgs = calloc(n + 1, sizeof(struct mint_apk_pkg)), .n = n };
	assert_non_null(idx.pkgs);
	for (size_t i = 0; i < n; i++) {
		struct mint_buf apk = MINT_BUF_INIT;
		struct mint_apk_package pkg;
		free(write_apk(arch_dir, &pkgs[i], &apk, &pkg));
		index_record(&pkg, apk.len, &idx.pkgs[i]);
		mint_apk_package_free(&pkg);
		mint_buf_free(&apk);
	}
	mint_apk_index_sort(&idx);
	write_index(arch_dir, &idx, key, key_name);
	mint_apk_index_free(&idx);
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
