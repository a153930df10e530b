/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Writing and signing APKINDEX.tar.gz as melange writes it. Each package is
 * read through mint's own package reader (so a broken one is refused, not
 * indexed) and becomes a record: identity from the control member, S the
 * file size, the rest from .PKGINFO; t is always written (0 when the
 * package has no builddate), as melange's index shows. Records are sorted by
 * name, then version; the text goes into a tar of APKINDEX then an empty
 * (or given) DESCRIPTION, with normal end-of-archive, in one canonical gzip
 * member, preceded by a signature member when a signer is given.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "mint/apk_index.h"
#include "mint/apk_index_file.h"
#include "mint/apk_package.h"
#include "mint/apk_version.h"
#include "mint/apk_write.h"
#include "mint/deflate.h"
#include "mint/fs.h"
#include "write_internal.h"

struct record_list {
	struct mint_apk_pkg *pkgs;
	size_t n, cap;
};

static int dup_str(char **to, const char *from)
{
	*to = NULL;
	if (!from)
		return 0;
	*to = strdup(from);
	return *to ? 0 : MINT_ENOMEM;
}

static int copy_list(struct mint_strlist *to, const struct mint_strlist *from)
{
	for (size_t i = 0; i < from->n; i++)
		if (mint_strlist_add(to, from->items[i], strlen(from->items[i])))
			return MINT_ENOMEM;
	return 0;
}

/* An owned copy of the index fields of from (arena-owned or not). */
static int copy_record(struct mint_apk_pkg *to, const struct mint_apk_pkg *from)
{
	memset(to, 0, sizeof(*to));
	int rc = dup_str(&to->name, from->name) | dup_str(&to->version, from->version) |
		 dup_str(&to->arch, from->arch) | dup_str(&to->description, from->description) |
		 dup_str(&to->url, from->url) | dup_str(&to->license, from->license) |
		 dup_str(&to->origin, from->origin) | dup_str(&to->maintainer, from->maintainer) |
		 dup_str(&to->commit, from->commit) | dup_str(&to->identity, from->identity);
	to->has_build_time = from->has_build_time;
	to->build_time = from->build_time;
	to->has_file_size = from->has_file_size;
	to->file_size = from->file_size;
	to->has_installed_size = from->has_installed_size;
	to->installed_size = from->installed_size;
	to->has_provider_priority = from->has_provider_priority;
	to->provider_priority = from->provider_priority;
	rc |= copy_list(&to->depends, &from->depends) | copy_list(&to->provides, &from->provides) |
	      copy_list(&to->install_if, &from->install_if);
	if (rc)
		mint_apk_pkg_free(to);
	return rc ? MINT_ENOMEM : 0;
}

static struct mint_apk_pkg *list_grow(struct record_list *l)
{
	if (l->n == l->cap) {
		size_t ncap = l->cap ? l->cap * 2 : 16;
		struct mint_apk_pkg *grown = realloc(l->pkgs, ncap * sizeof(*grown));
		if (!grown)
			return NULL;
		l->pkgs = grown;
		l->cap = ncap;
	}
	return &l->pkgs[l->n];
}

static void list_free(struct record_list *l)
{
	for (size_t i = 0; i < l->n; i++)
		mint_apk_pkg_free(&l->pkgs[i]);
	free(l->pkgs);
	memset(l, 0, sizeof(*l));
}

static bool same_package(const struct mint_apk_pkg *a, const struct mint_apk_pkg *b)
{
	return !strcmp(a->name, b->name) && !strcmp(a->version, b->version);
}

static const struct mint_apk_pkg *find_package(const struct record_list *l,
					       const struct mint_apk_pkg *p)
{
	for (size_t i = 0; i < l->n; i++)
		if (same_package(&l->pkgs[i], p))
			return &l->pkgs[i];
	return NULL;
}

static int add_package(struct record_list *l, const char *path, const char *only_arch,
		       struct mint_err *err)
{
	struct mint_apk_package pkg;
	int rc = mint_apk_package_read(path, NULL, NULL, 0, &pkg, err);
	if (rc)
		return rc;
	if (only_arch && (!pkg.info.arch || strcmp(pkg.info.arch, only_arch)))
		goto out;
	if (find_package(l, &pkg.info)) {
		rc = mint_err_set(err, MINT_EDUPLICATE, "%s-%s is given twice",
				  pkg.info.name, pkg.info.version);
		mint_err_set_file(err, path);
		goto out;
	}
	struct mint_apk_pkg *rec = list_grow(l);
	if (!rec || copy_record(rec, &pkg.info)) {
		rc = mint_err_set(err, MINT_ENOMEM, "out of memory");
		goto out;
	}
	l->n++;
	free(rec->identity);
	rec->identity = strdup(pkg.identity);
	rec->has_file_size = true;
	rec->file_size = pkg.file_size;
	if (!rec->has_build_time) {
		rec->has_build_time = true;
		rec->build_time = 0;
	}
	if (!rec->identity)
		rc = mint_err_set(err, MINT_ENOMEM, "out of memory");
out:
	mint_apk_package_free(&pkg);
	return rc;
}

/* melange index --merge: the records of the existing index not replaced by
 * one of the new packages (nor, with only_arch, of another arch). */
static int merge_existing(struct record_list *l, const char *path, const char *only_arch,
			  struct mint_err *err)
{
	struct stat st;
	if (stat(path, &st) && errno == ENOENT)
		return 0;
	struct mint_apk_index_file f;
	int rc = mint_apk_index_file_read(path, NULL, NULL, 0, &f, err);
	if (rc)
		return rc;
	size_t n_new = l->n;
	for (size_t i = 0; i < f.index.n && !rc; i++) {
		const struct mint_apk_pkg *old = &f.index.pkgs[i];
		struct record_list fresh = { l->pkgs, n_new, n_new };
		if (find_package(&fresh, old))
			continue;
		if (only_arch && (!old->arch || strcmp(old->arch, only_arch)))
			continue;
		struct mint_apk_pkg *rec = list_grow(l);
		if (!rec || copy_record(rec, old))
			rc = mint_err_set(err, MINT_ENOMEM, "out of memory");
		else
			l->n++;
	}
	mint_apk_index_file_free(&f);
	return rc;
}

static int cmp_records(const void *a, const void *b)
{
	const struct mint_apk_pkg *x = a, *y = b;
	int c = strcmp(x->name, y->name);
	if (c)
		return c;
	int v = mint_apk_version_compare(mint_span_str(x->version), mint_span_str(y->version));
	if (v == MINT_APK_VERSION_LESS)
		return -1;
	if (v == MINT_APK_VERSION_GREATER)
		return 1;
	return strcmp(x->version, y->version);
}

/* The gzip member holding APKINDEX and DESCRIPTION. */
static int content_member(const struct record_list *l, const char *description,
			  int64_t mtime, struct mint_buf *out, struct mint_err *err)
{
	struct mint_buf text = MINT_BUF_INIT, tar = MINT_BUF_INIT;
	struct mint_apk_index idx = { .pkgs = l->pkgs, .n = l->n };
	int rc = mint_apk_index_write_text(&idx, &text);
	if (rc == MINT_ENOMEM)
		rc = mint_err_set(err, rc, "out of memory");
	else if (rc)
		rc = mint_err_set(err, rc, "a package's metadata cannot be written as an index record");
	struct mint_tar_writer w = { .sink = apk_buf_sink, .ctx = &tar };
	if (!rc)
		rc = apk_tar_add_file(&w, "APKINDEX", 0644, "", mtime, mint_buf_span(&text), err);
	if (!rc)
		rc = apk_tar_add_file(&w, "DESCRIPTION", 0644, "", mtime,
				      mint_span_str(description ? description : ""), err);
	if (!rc)
		rc = mint_tar_write_end(&w, err);
	if (!rc)
		rc = mint_gzip_compress(tar.data, tar.len, 1, MINT_GZIP_DEFAULT_LEVEL, out, err);
	mint_buf_free(&text);
	mint_buf_free(&tar);
	return rc;
}

/* signature (when s) + content, written atomically to path. */
static int write_signed(const char *path, const struct mint_apk_signer *s, int64_t mtime,
			struct mint_span content, struct mint_err *err)
{
	struct mint_buf file = MINT_BUF_INIT;
	int rc = 0;
	if (s)
		rc = mint_apk_signature_member(s, content, mtime, &file, err);
	if (!rc && mint_buf_append(&file, content.ptr, content.len))
		rc = mint_err_set(err, MINT_ENOMEM, "out of memory");
	if (!rc)
		rc = mint_file_write_atomic(path, file.data, file.len, 0644, err);
	mint_buf_free(&file);
	return rc;
}

int mint_apk_index_write(const struct mint_apk_index_opts *o, struct mint_err *err)
{
	struct record_list l = { 0 };
	struct mint_buf content = MINT_BUF_INIT;
	int rc = 0;
	if (!o || !o->out_path || !*o->out_path || (o->n_apks && !o->apk_paths))
		return mint_err_set(err, MINT_EINVAL, "index write needs an output path");
	for (size_t i = 0; i < o->n_apks && !rc; i++)
		rc = add_package(&l, o->apk_paths[i], o->only_arch, err);
	if (!rc && o->merge)
		rc = merge_existing(&l, o->out_path, o->only_arch, err);
	if (rc)
		goto out;
	if (l.n)
		qsort(l.pkgs, l.n, sizeof(*l.pkgs), cmp_records);
	rc = content_member(&l, o->description, o->mtime, &content, err);
	if (!rc)
		rc = write_signed(o->out_path, o->signer, o->mtime, mint_buf_span(&content), err);
out:
	list_free(&l);
	mint_buf_free(&content);
	return rc;
}

int mint_apk_index_sign(const char *path, const struct mint_apk_signer *s, int64_t mtime,
			struct mint_err *err)
{
	struct mint_apk_limits limits;
	struct mint_apk_index_file f;
	struct mint_buf file = MINT_BUF_INIT;
	bool have_index = false;
	int rc;
	if (!s)
		return mint_err_set(err, MINT_EINVAL, "no signing key");
	mint_apk_limits_default(&limits);
	rc = mint_file_read(path, limits.max_file_bytes, &file, err);
	if (!rc) {
		rc = mint_apk_index_file_read_mem(mint_buf_span(&file), NULL, &limits, 0, &f, err);
		have_index = rc == 0;
	}
	if (!rc && !f.compressed)
		rc = mint_err_set(err, MINT_EFORMAT, "a plain-text index cannot carry a signature");
	if (!rc) {
		uint64_t skip = f.sig_member.size ? f.sig_member.offset + f.sig_member.size : 0;
		rc = write_signed(path, s, mtime,
				  MINT_SPAN(file.data + skip, file.len - skip), err);
	}
	if (rc)
		mint_err_set_file(err, path);
	if (have_index)
		mint_apk_index_file_free(&f);
	mint_buf_free(&file);
	return rc;
}
