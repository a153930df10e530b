/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The installed database, scripts.tar and triggers apko writes for the
 * packages it installs, built from each package's .PKGINFO, data entries
 * and control scripts.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mint/apk_scripts.h"
#include "mint/apk_triggers.h"
#include "mint/encode.h"
#include "mint/hash.h"
#include "mint/hashmap.h"
#include "mint/image_files.h"

#define DEFAULT_DIR_MODE 0755
#define DEFAULT_FILE_MODE 0644

static int q1_text(const unsigned char sha1[20], char out[32])
{
	out[0] = 'Q';
	out[1] = '1';
	mint_base64_encode(sha1, 20, out + 2);
	return 0;
}

static int put_be32(struct mint_hash *h, size_t v)
{
	unsigned char b[4] = { (unsigned char)(v >> 24), (unsigned char)(v >> 16),
			       (unsigned char)(v >> 8), (unsigned char)v };
	return mint_hash_update(h, b, 4);
}

int mint_image_xattr_digest(const struct mint_xattr *x, size_t n, char out[32])
{
	struct mint_hash h;
	unsigned char md[MINT_HASH_MAX_BYTES];
	if (mint_hash_init(&h, MINT_HASH_SHA1))
		return MINT_ENOMEM;
	for (size_t i = 0; i < n; i++) {
		size_t name_len = strlen(x[i].name);
		if (put_be32(&h, name_len) || mint_hash_update(&h, x[i].name, name_len) ||
		    put_be32(&h, x[i].value_len) ||
		    mint_hash_update(&h, x[i].value, x[i].value_len)) {
			mint_hash_free(&h);
			return MINT_ENOMEM;
		}
	}
	if (mint_hash_final(&h, md))
		return MINT_ENOMEM;
	return q1_text(md, out);
}

/* Fills the M:/a: fields when the entry is not the default owner and mode. */
static int set_acl(const struct mint_apk_entry *e, uint32_t default_mode, bool *has_acl,
		   uint32_t *uid, uint32_t *gid, uint32_t *mode, char **xattr_digest)
{
	char digest[32];
	*uid = (uint32_t)e->uid;
	*gid = (uint32_t)e->gid;
	*mode = e->mode & 07777;
	*has_acl = e->uid || e->gid || *mode != default_mode || e->n_xattrs;
	if (!e->n_xattrs)
		return 0;
	if (mint_image_xattr_digest(e->xattrs, e->n_xattrs, digest) ||
	    !(*xattr_digest = strdup(digest)))
		return MINT_ENOMEM;
	return 0;
}

static void file_free(struct mint_apk_installed_file *f)
{
	free(f->name);
	free(f->xattr_digest);
	free(f->digest);
	memset(f, 0, sizeof(*f));
}

static void dir_free(struct mint_apk_installed_dir *d)
{
	for (size_t i = 0; i < d->n_files; i++)
		file_free(&d->files[i]);
	free(d->files);
	free(d->path);
	free(d->xattr_digest);
}

void mint_image_installed_db_free(struct mint_apk_installed_db *db)
{
	for (size_t i = 0; i < db->n; i++) {
		for (size_t j = 0; j < db->pkgs[i].n_dirs; j++)
			dir_free(&db->pkgs[i].dirs[j]);
		free(db->pkgs[i].dirs);
	}
	free(db->pkgs);
	memset(db, 0, sizeof(*db));
}

/* Where a path was recorded: package, directory and file indexes. */
struct file_ref {
	size_t pkg, dir, file;
};

struct builder {
	struct mint_apk_installed_db *db;
	struct mint_hashmap owners;   /* full path -> struct file_ref * */
	struct mint_hashmap dirs;     /* this package's dir path -> index + 1 */
	struct file_ref *refs;        /* one per recorded file, all packages */
	size_t n_refs;
	size_t cap_refs;
};

static struct mint_span dir_of(const char *path)
{
	const char *slash = strrchr(path, '/');
	return slash ? MINT_SPAN(path, (size_t)(slash - path)) : MINT_SPAN("", 0);
}

static const char *base_of(const char *path)
{
	const char *slash = strrchr(path, '/');
	return slash ? slash + 1 : path;
}

/* The index of the record's directory called path, added when new. */
static int dir_index(struct builder *b, struct mint_apk_installed_pkg *p, struct mint_span path,
		     size_t *idx)
{
	void *v;
	if (mint_hashmap_get(&b->dirs, path, &v)) {
		*idx = (size_t)(uintptr_t)v - 1;
		return 0;
	}
	struct mint_apk_installed_dir *grown = realloc(p->dirs, (p->n_dirs + 1) * sizeof(*grown));
	if (!grown)
		return MINT_ENOMEM;
	p->dirs = grown;
	struct mint_apk_installed_dir *d = &p->dirs[p->n_dirs];
	memset(d, 0, sizeof(*d));
	d->mode = DEFAULT_DIR_MODE;
	if (!(d->path = mint_span_dup(path)))
		return MINT_ENOMEM;
	p->n_dirs++;
	*idx = p->n_dirs - 1;
	/* the key must outlive the map: it points into the record */
	return mint_hashmap_put(&b->dirs, MINT_SPAN(d->path, path.len),
				(void *)(uintptr_t)(*idx + 1));
}

static int add_dir_entry(struct builder *b, struct mint_apk_installed_pkg *p,
			 const struct mint_apk_entry *e)
{
	size_t idx;
	int rc = dir_index(b, p, mint_span_str(e->path), &idx);
	if (rc)
		return rc;
	struct mint_apk_installed_dir *d = &p->dirs[idx];
	free(d->xattr_digest);
	d->xattr_digest = NULL;
	return set_acl(e, DEFAULT_DIR_MODE, &d->has_acl, &d->uid, &d->gid, &d->mode,
		       &d->xattr_digest);
}

static int file_digest(const struct mint_apk_entry *e, char **out)
{
	unsigned char md[MINT_HASH_MAX_BYTES];
	char text[32];
	if (e->has_apk_sha1) {
		memcpy(md, e->apk_sha1, 20);
	} else if (e->type == MINT_TAR_SYMLINK && e->link_target) {
		if (mint_hash_bytes(MINT_HASH_SHA1, e->link_target, strlen(e->link_target), md))
			return MINT_ENOMEM;
	} else {
		return 0;
	}
	q1_text(md, text);
	return (*out = strdup(text)) ? 0 : MINT_ENOMEM;
}

static int remember_owner(struct builder *b, const char *path, struct file_ref ref)
{
	void *old;
	if (b->n_refs == b->cap_refs) /* cannot happen: one per entry at most */
		return MINT_EINVAL;
	b->refs[b->n_refs] = ref;
	if (mint_hashmap_get(&b->owners, mint_span_str(path), &old)) {
		const struct file_ref *r = old;
		/* a later package overwrites the file: drop it from the earlier record */
		file_free(&b->db->pkgs[r->pkg].dirs[r->dir].files[r->file]);
	}
	return mint_hashmap_put(&b->owners, mint_span_str(path), &b->refs[b->n_refs++]);
}

static int add_file_entry(struct builder *b, size_t pkg_idx, const struct mint_apk_entry *e)
{
	struct mint_apk_installed_pkg *p = &b->db->pkgs[pkg_idx];
	size_t idx;
	int rc = dir_index(b, p, dir_of(e->path), &idx);
	if (rc)
		return rc;
	struct mint_apk_installed_dir *d = &p->dirs[idx];
	struct mint_apk_installed_file *grown = realloc(d->files, (d->n_files + 1) * sizeof(*grown));
	if (!grown)
		return MINT_ENOMEM;
	d->files = grown;
	struct mint_apk_installed_file *f = &d->files[d->n_files];
	memset(f, 0, sizeof(*f));
	if (!(f->name = strdup(base_of(e->path))))
		return MINT_ENOMEM;
	d->n_files++;
	if ((rc = set_acl(e, DEFAULT_FILE_MODE, &f->has_acl, &f->uid, &f->gid, &f->mode,
			  &f->xattr_digest)) ||
	    (rc = file_digest(e, &f->digest)))
		return rc;
	return remember_owner(b, e->path, (struct file_ref){ pkg_idx, idx, d->n_files - 1 });
}

static int add_package(struct builder *b, size_t pkg_idx, const struct mint_image_pkg *in,
		       struct mint_err *err)
{
	struct mint_apk_installed_pkg *p = &b->db->pkgs[pkg_idx];
	int rc = 0;
	p->pkg = *in->info;
	for (size_t i = 0; i < in->n_entries && !rc; i++) {
		const struct mint_apk_entry *e = &in->entries[i];
		if (!e->path || !e->path[0])
			continue;
		rc = e->type == MINT_TAR_DIR ? add_dir_entry(b, p, e) : add_file_entry(b, pkg_idx, e);
	}
	mint_hashmap_free(&b->dirs);
	if (rc)
		return mint_err_set(err, rc, "package %s: out of memory",
				    in->info->name ? in->info->name : "?");
	return 0;
}

/* Removes the files a later package took over (their name is NULL). */
static void compact_files(struct mint_apk_installed_db *db)
{
	for (size_t i = 0; i < db->n; i++) {
		for (size_t j = 0; j < db->pkgs[i].n_dirs; j++) {
			struct mint_apk_installed_dir *d = &db->pkgs[i].dirs[j];
			size_t kept = 0;
			for (size_t k = 0; k < d->n_files; k++) {
				if (d->files[k].name)
					d->files[kept++] = d->files[k];
			}
			d->n_files = kept;
		}
	}
}

static size_t count_entries(const struct mint_image_pkg *pkgs, size_t n)
{
	size_t total = 0;
	for (size_t i = 0; i < n; i++)
		total += pkgs[i].n_entries;
	return total;
}

int mint_image_installed_db_build(const struct mint_image_pkg *pkgs, size_t n,
				  struct mint_apk_installed_db *out, struct mint_err *err)
{
	struct builder b = { out, MINT_HASHMAP_INIT, MINT_HASHMAP_INIT, NULL, 0, 0 };
	int rc = 0;
	memset(out, 0, sizeof(*out));
	for (size_t i = 0; i < n; i++) {
		if (!pkgs[i].info || !pkgs[i].info->name || !pkgs[i].info->version)
			return mint_err_set(err, MINT_EINVAL, "package %zu has no name or version",
					    i + 1);
	}
	b.cap_refs = count_entries(pkgs, n);
	out->pkgs = calloc(n ? n : 1, sizeof(*out->pkgs));
	b.refs = calloc(b.cap_refs ? b.cap_refs : 1, sizeof(*b.refs));
	if (!out->pkgs || !b.refs) {
		rc = mint_err_set(err, MINT_ENOMEM, "out of memory");
		goto out;
	}
	for (out->n = 0; out->n < n; out->n++) {
		if ((rc = add_package(&b, out->n, &pkgs[out->n], err))) {
			out->n++;
			goto out;
		}
	}
	compact_files(out);
out:
	mint_hashmap_free(&b.owners);
	free(b.refs);
	if (rc)
		mint_image_installed_db_free(out);
	return rc;
}

int mint_image_installed_db(const struct mint_image_pkg *pkgs, size_t n, struct mint_buf *out,
			    struct mint_err *err)
{
	struct mint_apk_installed_db db;
	int rc = mint_image_installed_db_build(pkgs, n, &db, err);
	if (rc)
		return rc;
	if ((rc = mint_apk_installed_write(&db, out)))
		mint_err_set(err, rc, rc == MINT_ENOMEM ? "out of memory"
					 : "a package field cannot be written to the installed database");
	mint_image_installed_db_free(&db);
	return rc;
}

static int add_scripts(struct mint_apk_scripts *s, const struct mint_image_pkg *p)
{
	char *label = NULL;
	int rc = 0;
	if (!p->n_scripts)
		return 0;
	size_t len = strlen(p->info->name) + strlen(p->info->version) + 2;
	if (!(label = malloc(len)))
		return MINT_ENOMEM;
	snprintf(label, len, "%s-%s", p->info->name, p->info->version);
	for (size_t i = 0; i < p->n_scripts && !rc; i++) {
		const struct mint_apk_script *sc = &p->scripts[i];
		const char *action = sc->name[0] == '.' ? sc->name + 1 : sc->name;
		rc = mint_apk_scripts_add(s, label, p->info->identity, action, sc->data, sc->len,
					  (int64_t)p->info->build_time);
	}
	free(label);
	return rc;
}

int mint_image_scripts_tar(const struct mint_image_pkg *pkgs, size_t n, struct mint_buf *out,
			   struct mint_err *err)
{
	struct mint_apk_scripts s = { NULL, 0 };
	int rc = 0;
	for (size_t i = 0; i < n; i++) {
		const struct mint_apk_pkg *info = pkgs[i].info;
		if (pkgs[i].n_scripts && (!info || !info->name || !info->version || !info->identity)) {
			rc = mint_err_set(err, MINT_EINVAL,
					  "package %zu has scripts but no name, version or identity",
					  i + 1);
			goto out;
		}
		if ((rc = add_scripts(&s, &pkgs[i]))) {
			mint_err_set(err, rc, "out of memory");
			goto out;
		}
	}
	rc = mint_apk_scripts_write(&s, out, err);
out:
	mint_apk_scripts_free(&s);
	return rc;
}

int mint_image_triggers(const struct mint_image_pkg *pkgs, size_t n, struct mint_buf *out,
			struct mint_err *err)
{
	struct mint_apk_triggers t = { calloc(n ? n : 1, sizeof(struct mint_apk_trigger)), 0 };
	int rc = 0;
	if (!t.items)
		return mint_err_set(err, MINT_ENOMEM, "out of memory");
	for (size_t i = 0; i < n; i++) {
		const struct mint_apk_pkg *info = pkgs[i].info;
		if (!info || !info->triggers.n)
			continue;
		/* borrowed: the list is cleared before the free below */
		t.items[t.n].identity = info->identity;
		t.items[t.n].globs = info->triggers;
		t.n++;
	}
	if ((rc = mint_apk_triggers_write(&t, out)))
		mint_err_set(err, rc, rc == MINT_ENOMEM ? "out of memory"
					 : "a package's identity or trigger cannot be written");
	free(t.items);
	return rc;
}
