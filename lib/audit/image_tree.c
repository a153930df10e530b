/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The file tree of one platform of an image, for the diff: each layer's tar
 * streamed once, every entry reduced to what a user of the root would see
 * (type, mode, owner, size, sha256 of the content, link target, mtime,
 * device numbers, a hash of the xattrs). A later layer's entry replaces an
 * earlier one with the same path; whiteouts are not applied (mint and apko
 * images have one layer, and a diff should show what the layers hold).
 *
 * Entries and the bytes of their strings are bounded; names pass through
 * mint_path_clean, so "./a", "/a" and "a" are one path and ".." is refused.
 */
#include "audit_internal.h"

#include <stdlib.h>
#include <string.h>

#include "mint/hash.h"
#include "mint/path.h"

#define READ_CHUNK (64u << 10)

void audit_tree_init(struct audit_tree *t, const struct mint_image_diff_limits *l)
{
	memset(t, 0, sizeof(*t));
	t->max_entries = l && l->max_entries ? l->max_entries : AUDIT_DEFAULT_MAX_ENTRIES;
	t->max_bytes = l && l->max_tree_bytes ? l->max_tree_bytes : AUDIT_DEFAULT_MAX_TREE_BYTES;
}

void audit_tree_free(struct audit_tree *t)
{
	free(t->v);
	mint_hashmap_free(&t->by_path);
	mint_arena_free(&t->strings);
	memset(t, 0, sizeof(*t));
}

/* A copy of s in the tree's arena, counted against its byte limit. */
static int keep(struct audit_tree *t, const char *s, const char **out, struct mint_err *err)
{
	size_t len = strlen(s);
	*out = "";
	if (!len)
		return 0;
	if (len >= t->max_bytes - t->bytes)
		return mint_err_set(err, MINT_ELIMIT, "file names take more than %zu bytes",
				    t->max_bytes);
	t->bytes += len + 1;
	char *copy = mint_arena_strdup(&t->strings, MINT_SPAN(s, len));
	if (!copy)
		return mint_err_set(err, MINT_ENOMEM, "out of memory for a file tree");
	*out = copy;
	return 0;
}

static int hash_content(struct mint_tar_reader *r, unsigned char out[32], struct mint_err *err)
{
	struct mint_hash h;
	unsigned char digest[MINT_HASH_MAX_BYTES];
	unsigned char *buf = malloc(READ_CHUNK);
	if (!buf || mint_hash_init(&h, MINT_HASH_SHA256)) {
		free(buf);
		return mint_err_set(err, MINT_ENOMEM, "out of memory");
	}
	size_t got;
	int rc;
	while (!(rc = mint_tar_read(r, buf, READ_CHUNK, &got, err)) && got) {
		if (mint_hash_update(&h, buf, got)) {
			rc = mint_err_set(err, MINT_ENOMEM, "out of memory");
			break;
		}
	}
	free(buf);
	if (rc) {
		mint_hash_free(&h);
		return rc;
	}
	if (mint_hash_final(&h, digest))
		return mint_err_set(err, MINT_ENOMEM, "out of memory");
	memcpy(out, digest, 32);
	return 0;
}

/* sha256 over each xattr as name, NUL, 8-byte big-endian length, value. */
static int hash_xattrs(const struct mint_tar_entry *e, unsigned char out[32])
{
	struct mint_hash h;
	unsigned char digest[MINT_HASH_MAX_BYTES];
	if (mint_hash_init(&h, MINT_HASH_SHA256))
		return MINT_ENOMEM;
	int rc = 0;
	for (size_t i = 0; !rc && i < e->n_xattrs; i++) {
		const struct mint_xattr *x = &e->xattrs[i];
		unsigned char len[8];
		for (int b = 0; b < 8; b++)
			len[b] = (unsigned char)((uint64_t)x->value_len >> (56 - 8 * b));
		rc = mint_hash_update(&h, x->name, strlen(x->name) + 1);
		if (!rc)
			rc = mint_hash_update(&h, len, sizeof(len));
		if (!rc)
			rc = mint_hash_update(&h, x->value, x->value_len);
	}
	if (rc) {
		mint_hash_free(&h);
		return rc;
	}
	rc = mint_hash_final(&h, digest);
	if (!rc)
		memcpy(out, digest, 32);
	return rc;
}

static int grow(struct audit_tree *t, struct mint_err *err)
{
	if (t->n >= t->max_entries)
		return mint_err_set(err, MINT_ELIMIT, "more than %zu files", t->max_entries);
	if (t->n < t->cap)
		return 0;
	size_t cap = t->cap ? t->cap * 2 : 256;
	struct mint_image_file *v = realloc(t->v, cap * sizeof(*v));
	if (!v)
		return mint_err_set(err, MINT_ENOMEM, "out of memory for a file tree");
	t->v = v;
	t->cap = cap;
	return 0;
}

/* The slot for path: the existing entry of that path, or a new one. */
static int slot_for(struct audit_tree *t, const struct mint_buf *path,
		    struct mint_image_file **out, struct mint_err *err)
{
	void *found;
	if (mint_hashmap_get(&t->by_path, mint_buf_span(path), &found)) {
		*out = &t->v[(size_t)(uintptr_t)found - 1];
		return 0;
	}
	const char *key;
	int rc = grow(t, err);
	if (!rc)
		rc = keep(t, path->data, &key, err);
	if (rc)
		return rc;
	if (mint_hashmap_put(&t->by_path, mint_span_str(key), (void *)(uintptr_t)(t->n + 1)))
		return mint_err_set(err, MINT_ENOMEM, "out of memory for a file tree");
	*out = &t->v[t->n++];
	(*out)->path = key;
	return 0;
}

static int add_entry(struct audit_tree *t, struct mint_tar_reader *r,
		     const struct mint_tar_entry *e, const struct mint_buf *path,
		     struct mint_err *err)
{
	struct mint_image_file f = {
		.type = e->type, .mode = e->mode, .uid = e->uid, .gid = e->gid,
		.size = e->type == MINT_TAR_REG ? e->size : 0, .mtime = e->mtime,
	};
	if (e->type == MINT_TAR_CHAR || e->type == MINT_TAR_BLOCKDEV) {
		f.devmajor = e->devmajor;
		f.devminor = e->devminor;
	}
	int rc = e->type == MINT_TAR_REG ? hash_content(r, f.sha256, err) : 0;
	if (!rc && e->n_xattrs) {
		f.has_xattrs = true;
		if (hash_xattrs(e, f.xattrs_sha256))
			rc = mint_err_set(err, MINT_ENOMEM, "out of memory");
	}
	if (!rc)
		rc = keep(t, e->uname, &f.uname, err);
	if (!rc)
		rc = keep(t, e->gname, &f.gname, err);
	bool is_link = e->type == MINT_TAR_SYMLINK || e->type == MINT_TAR_HARDLINK;
	if (!rc && is_link)
		rc = keep(t, e->link_target ? e->link_target : "", &f.link_target, err);
	struct mint_image_file *slot = NULL;
	if (!rc)
		rc = slot_for(t, path, &slot, err);
	if (rc)
		return rc;
	f.path = slot->path;
	*slot = f;
	return 0;
}

int audit_tree_add_tar(struct audit_tree *t, struct mint_source src, const char *name,
		       struct mint_err *err)
{
	struct mint_tar_limits limits = { .max_name_bytes = MINT_PATH_MAX };
	struct mint_tar_reader *r = NULL;
	struct mint_buf path = MINT_BUF_INIT;
	const struct mint_tar_entry *e;
	int rc = mint_tar_reader_new(&r, src, &limits, MINT_TAR_END_OPTIONAL, err);
	while (!rc && (rc = mint_tar_next(r, &e, err)) == 1) {
		rc = mint_path_clean(mint_span_str(e->name), true, &path, err);
		if (rc) {
			mint_err_set_offset(err, e->header_offset);
			break;
		}
		if (path.len)
			rc = add_entry(t, r, e, &path, err);
	}
	if (rc)
		mint_err_prefix(err, "%s", name);
	mint_tar_reader_free(r);
	mint_buf_free(&path);
	return rc;
}

int audit_tree_add_image(struct audit_tree *t, struct mint_oci_image *img,
			 const struct mint_oci_image_ref *ref, struct mint_err *err)
{
	for (size_t i = 0; i < ref->n_layers; i++) {
		struct mint_source src;
		const char *digest = ref->layer_digests[i];
		int rc = mint_oci_image_layer_open(img, digest, &src, err);
		if (!rc)
			rc = audit_tree_add_tar(t, src, digest, err);
		mint_oci_image_layer_close(img);
		if (rc) {
			mint_err_prefix(err, "layer %zu", i);
			return rc;
		}
	}
	return 0;
}

static int by_path(const void *a, const void *b)
{
	return strcmp(((const struct mint_image_file *)a)->path,
		      ((const struct mint_image_file *)b)->path);
}

void audit_tree_sort(struct audit_tree *t)
{
	mint_hashmap_free(&t->by_path);
	if (t->n > 1)
		qsort(t->v, t->n, sizeof(*t->v), by_path);
}

static bool str_differs(const char *a, const char *b)
{
	if (!a || !b)
		return a != b;
	return strcmp(a, b) != 0;
}

static bool is_device(enum mint_tar_type t)
{
	return t == MINT_TAR_CHAR || t == MINT_TAR_BLOCKDEV;
}

unsigned audit_file_changes(const struct mint_image_file *a, const struct mint_image_file *b)
{
	unsigned c = 0;
	c |= a->type != b->type ? MINT_FILE_TYPE : 0;
	c |= a->mode != b->mode ? MINT_FILE_MODE : 0;
	c |= a->uid != b->uid ? MINT_FILE_UID : 0;
	c |= a->gid != b->gid ? MINT_FILE_GID : 0;
	c |= str_differs(a->uname, b->uname) ? MINT_FILE_UNAME : 0;
	c |= str_differs(a->gname, b->gname) ? MINT_FILE_GNAME : 0;
	c |= a->size != b->size ? MINT_FILE_SIZE : 0;
	if (a->type == MINT_TAR_REG && b->type == MINT_TAR_REG &&
	    memcmp(a->sha256, b->sha256, sizeof(a->sha256)))
		c |= MINT_FILE_CONTENT;
	c |= str_differs(a->link_target, b->link_target) ? MINT_FILE_LINK : 0;
	c |= a->mtime != b->mtime ? MINT_FILE_MTIME : 0;
	if (is_device(a->type) && is_device(b->type) &&
	    (a->devmajor != b->devmajor || a->devminor != b->devminor))
		c |= MINT_FILE_DEVICE;
	if (a->has_xattrs != b->has_xattrs ||
	    memcmp(a->xattrs_sha256, b->xattrs_sha256, sizeof(a->xattrs_sha256)))
		c |= MINT_FILE_XATTRS;
	return c;
}
