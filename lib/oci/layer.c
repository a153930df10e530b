/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The layer writer (see mint/oci_layer.h). Bytes flow in one direction:
 *
 *   entries -> tar writer -> [sha256: diff_id] -> canonical gzip
 *           -> [sha256: digest] -> temporary file in blobs/sha256
 *
 * Both hashes are taken on the calling thread while the bytes pass; the
 * compressor's workers only see blocks of tar. A plain layer skips the
 * compressor: entries -> tar writer -> [sha256] -> temporary file beside
 * the caller's path. This file does not plan the image: names, order and
 * attributes are the caller's.
 */
#include "mint/oci_layer.h"

#include <stdlib.h>
#include <string.h>

#include "mint/deflate.h"
#include "mint/encode.h"
#include "mint/hash.h"
#include "mint/path.h"

#define PULL_BYTES (64u * 1024u)

struct mint_oci_layer {
	struct mint_tar_writer tar;
	struct mint_gzip_writer *gz;
	struct mint_hash diff;
	struct mint_oci_blob_writer blob;
	struct mint_atomic_file plain; /* the output of a plain layer (gz == NULL) */
	struct mint_buf clean; /* scratch for name checks */
	unsigned char *pull;   /* PULL_BYTES for add_file_from */
	int failed;
	struct mint_err failed_err;
	bool finished;
};

static int tar_sink(void *ctx, const void *data, size_t len, struct mint_err *err)
{
	struct mint_oci_layer *l = ctx;
	if (mint_hash_update(&l->diff, data, len))
		return mint_err_set(err, MINT_ENOMEM, "out of memory hashing the layer");
	if (!l->gz)
		return mint_atomic_write(&l->plain, data, len, err);
	return mint_gzip_writer_write(l->gz, data, len, err);
}

static int gzip_sink(void *ctx, const void *data, size_t len, struct mint_err *err)
{
	struct mint_oci_layer *l = ctx;
	return mint_oci_blob_write(&l->blob, data, len, err);
}

/* The parts both kinds of layer share: the tar writer, the diff_id hash and
 * the pull buffer. */
static int layer_alloc(struct mint_oci_layer **out, struct mint_err *err)
{
	struct mint_oci_layer *l = calloc(1, sizeof(*l));
	if (!l)
		return mint_err_set(err, MINT_ENOMEM, "out of memory for a layer writer");
	l->tar.sink = tar_sink;
	l->tar.ctx = l;
	l->blob.file.fd = -1;
	l->plain.fd = -1;
	*out = l;
	int rc = 0;
	if (mint_hash_init(&l->diff, MINT_HASH_SHA256))
		rc = mint_err_set(err, MINT_ENOMEM, "out of memory for a hash");
	if (!rc && !(l->pull = malloc(PULL_BYTES)))
		rc = mint_err_set(err, MINT_ENOMEM, "out of memory for a layer writer");
	return rc;
}

int mint_oci_layer_new(struct mint_oci_layer **out, const char *layout_dir, unsigned threads,
		       int level, struct mint_err *err)
{
	*out = NULL;
	if (!layout_dir)
		return mint_err_set(err, MINT_EINVAL, "a layer needs a layout directory");
	struct mint_oci_layer *l = NULL;
	int rc = layer_alloc(&l, err);
	if (!rc)
		rc = mint_gzip_writer_new(&l->gz, threads, level, gzip_sink, l, err);
	if (!rc)
		rc = mint_oci_blob_begin(&l->blob, layout_dir, err);
	if (rc) {
		mint_oci_layer_free(l);
		return rc;
	}
	*out = l;
	return 0;
}

int mint_oci_layer_new_plain(struct mint_oci_layer **out, const char *path,
			     struct mint_err *err)
{
	*out = NULL;
	if (!path || !*path)
		return mint_err_set(err, MINT_EINVAL, "a plain layer needs an output path");
	struct mint_oci_layer *l = NULL;
	int rc = layer_alloc(&l, err);
	if (!rc)
		rc = mint_atomic_open(&l->plain, path, err);
	if (rc) {
		mint_oci_layer_free(l);
		return rc;
	}
	*out = l;
	return 0;
}

static int fail(struct mint_oci_layer *l, int rc, const struct mint_err *err)
{
	if (rc && !l->failed) {
		l->failed = rc;
		if (err)
			l->failed_err = *err;
		else
			mint_err_set(&l->failed_err, rc, "%s", mint_strerror(rc));
	}
	return rc;
}

/* 0 when the writer can take another entry. */
static int usable(const struct mint_oci_layer *l, struct mint_err *err)
{
	if (l->failed) {
		if (err)
			*err = l->failed_err;
		return l->failed;
	}
	if (l->finished)
		return mint_err_set(err, MINT_EINVAL, "the layer was already finished");
	return 0;
}

static int check_clean(struct mint_oci_layer *l, const char *what, const char *path,
		       struct mint_err *err)
{
	if (!path)
		return mint_err_set(err, MINT_EINVAL, "%s is missing", what);
	int rc = mint_path_clean(mint_span_str(path), false, &l->clean, err);
	if (rc) {
		mint_err_prefix(err, "%s \"%.200s\"", what, path);
		return rc;
	}
	if (!l->clean.len || strcmp(mint_buf_cstr(&l->clean), path) != 0)
		return mint_err_set(err, MINT_EUNSAFE,
				    "%s \"%.200s\" is not a clean relative path (say \"%.200s\")",
				    what, path, mint_buf_cstr(&l->clean));
	return 0;
}

static int copy_owner_name(char dst[33], const char *name, const char *what, struct mint_err *err)
{
	size_t n = name ? strlen(name) : 0;
	if (n > 32)
		return mint_err_set(err, MINT_EINVAL, "%s \"%.40s...\" is longer than 32 bytes",
				    what, name);
	memcpy(dst, name ? name : "", n);
	dst[n] = '\0';
	return 0;
}

/* A tar entry for path with the caller's attributes, after checking both. */
static int make_entry(struct mint_oci_layer *l, const char *path,
		      const struct mint_oci_entry_attr *attr, enum mint_tar_type type,
		      struct mint_tar_entry *e, struct mint_err *err)
{
	int rc = usable(l, err);
	if (rc)
		return rc;
	if (!attr)
		return fail(l, mint_err_set(err, MINT_EINVAL, "entry attributes are missing"), err);
	rc = check_clean(l, "entry name", path, err);
	memset(e, 0, sizeof(*e));
	if (!rc)
		rc = copy_owner_name(e->uname, attr->uname, "user name", err);
	if (!rc)
		rc = copy_owner_name(e->gname, attr->gname, "group name", err);
	if (rc) {
		mint_err_prefix(err, "layer");
		return fail(l, rc, err);
	}
	e->name = (char *)path;
	e->type = type;
	e->mode = attr->mode & 07777;
	e->uid = attr->uid;
	e->gid = attr->gid;
	e->mtime = attr->mtime;
	e->xattrs = (struct mint_xattr *)attr->xattrs;
	e->n_xattrs = attr->n_xattrs;
	return 0;
}

static int write_entry(struct mint_oci_layer *l, const struct mint_tar_entry *e,
		       const void *content, struct mint_err *err)
{
	int rc = mint_tar_write_entry(&l->tar, e, content, err);
	if (rc)
		mint_err_prefix(err, "layer entry \"%.200s\"", e->name);
	return fail(l, rc, err);
}

int mint_oci_layer_add_dir(struct mint_oci_layer *l, const char *path,
			   const struct mint_oci_entry_attr *attr, struct mint_err *err)
{
	struct mint_tar_entry e;
	int rc = make_entry(l, path, attr, MINT_TAR_DIR, &e, err);
	return rc ? rc : write_entry(l, &e, NULL, err);
}

int mint_oci_layer_add_file(struct mint_oci_layer *l, const char *path,
			    const struct mint_oci_entry_attr *attr, const void *data, size_t len,
			    struct mint_err *err)
{
	struct mint_tar_entry e;
	int rc = make_entry(l, path, attr, MINT_TAR_REG, &e, err);
	if (rc)
		return rc;
	if (len && !data)
		return fail(l, mint_err_set(err, MINT_EINVAL, "layer entry \"%.200s\": no content",
					    path), err);
	e.size = len;
	return write_entry(l, &e, len ? data : NULL, err);
}

static int pull_content(struct mint_oci_layer *l, const char *path, uint64_t size,
			struct mint_source src, struct mint_err *err)
{
	uint64_t done = 0;
	while (done < size) {
		size_t want = size - done < PULL_BYTES ? (size_t)(size - done) : PULL_BYTES;
		size_t got = 0;
		int rc = src.read(src.ctx, l->pull, want, &got, err);
		if (rc)
			return rc;
		if (got == 0 || got > want)
			return mint_err_set(err, MINT_ETRUNCATED,
					    "content of \"%.200s\" ended after %llu of %llu bytes",
					    path, (unsigned long long)done, (unsigned long long)size);
		rc = mint_tar_write_data(&l->tar, l->pull, got, err);
		if (rc)
			return rc;
		done += got;
	}
	return mint_tar_write_pad(&l->tar, err);
}

int mint_oci_layer_add_file_from(struct mint_oci_layer *l, const char *path,
				 const struct mint_oci_entry_attr *attr, uint64_t size,
				 struct mint_source src, struct mint_err *err)
{
	struct mint_tar_entry e;
	int rc = make_entry(l, path, attr, MINT_TAR_REG, &e, err);
	if (rc)
		return rc;
	if (!src.read)
		return fail(l, mint_err_set(err, MINT_EINVAL, "a content source is missing"), err);
	e.size = size;
	rc = mint_tar_write_header(&l->tar, &e, err);
	if (!rc)
		rc = pull_content(l, path, size, src, err);
	if (rc)
		mint_err_prefix(err, "layer");
	return fail(l, rc, err);
}

static int add_link(struct mint_oci_layer *l, const char *path,
		    const struct mint_oci_entry_attr *attr, enum mint_tar_type type,
		    const char *target, struct mint_err *err)
{
	struct mint_tar_entry e;
	int rc = make_entry(l, path, attr, type, &e, err);
	if (rc)
		return rc;
	if (type == MINT_TAR_HARDLINK)
		rc = check_clean(l, "hardlink target", target, err);
	else if (!target || !*target)
		rc = mint_err_set(err, MINT_EINVAL, "symlink \"%.200s\" has no target", path);
	if (rc) {
		mint_err_prefix(err, "layer");
		return fail(l, rc, err);
	}
	e.link_target = (char *)target;
	return write_entry(l, &e, NULL, err);
}

int mint_oci_layer_add_symlink(struct mint_oci_layer *l, const char *path,
			       const struct mint_oci_entry_attr *attr, const char *target,
			       struct mint_err *err)
{
	return add_link(l, path, attr, MINT_TAR_SYMLINK, target, err);
}

int mint_oci_layer_add_hardlink(struct mint_oci_layer *l, const char *path,
				const struct mint_oci_entry_attr *attr, const char *target,
				struct mint_err *err)
{
	return add_link(l, path, attr, MINT_TAR_HARDLINK, target, err);
}

int mint_oci_layer_add_device(struct mint_oci_layer *l, const char *path,
			      const struct mint_oci_entry_attr *attr, enum mint_tar_type type,
			      uint32_t major, uint32_t minor, struct mint_err *err)
{
	if (type != MINT_TAR_CHAR && type != MINT_TAR_BLOCKDEV && type != MINT_TAR_FIFO) {
		int rc = usable(l, err);
		if (rc)
			return rc;
		return fail(l, mint_err_set(err, MINT_EINVAL,
					    "layer entry \"%.200s\": type '%c' is not a device",
					    path ? path : "", (char)type), err);
	}
	struct mint_tar_entry e;
	int rc = make_entry(l, path, attr, type, &e, err);
	if (rc)
		return rc;
	if (type != MINT_TAR_FIFO) {
		e.devmajor = major;
		e.devminor = minor;
	}
	return write_entry(l, &e, NULL, err);
}

static int hash_hex(struct mint_hash *h, char out[MINT_OCI_DIGEST_MAX], struct mint_err *err)
{
	unsigned char d[MINT_HASH_MAX_BYTES];
	if (mint_hash_final(h, d))
		return mint_err_set(err, MINT_ENOMEM, "out of memory hashing the layer");
	memcpy(out, "sha256:", 7);
	mint_hex_encode(d, 32, out + 7);
	return 0;
}

/* A plain layer is its own tar: the digest is the diff_id. */
static int finish_plain(struct mint_oci_layer *l, struct mint_oci_layer_info *info,
			struct mint_err *err)
{
	int rc = mint_atomic_commit(&l->plain, 0644, err);
	if (rc)
		return rc;
	info->desc.media_type = MINT_OCI_MEDIA_LAYER_TAR;
	memcpy(info->desc.digest, info->diff_id, sizeof(info->desc.digest));
	info->desc.size = l->tar.offset;
	return 0;
}

int mint_oci_layer_finish(struct mint_oci_layer *l, struct mint_oci_layer_info *info,
			  struct mint_err *err)
{
	int rc = usable(l, err);
	if (rc)
		return rc;
	memset(info, 0, sizeof(*info));
	rc = mint_tar_write_end(&l->tar, err);
	if (!rc && l->gz)
		rc = mint_gzip_writer_finish(l->gz, NULL, err);
	if (!rc)
		rc = hash_hex(&l->diff, info->diff_id, err);
	if (!rc && l->gz)
		rc = mint_oci_blob_commit(&l->blob, MINT_OCI_MEDIA_LAYER_GZIP, &info->desc, err);
	else if (!rc)
		rc = finish_plain(l, info, err);
	if (rc) {
		mint_err_prefix(err, "layer");
		return fail(l, rc, err);
	}
	info->tar_bytes = l->tar.offset;
	l->finished = true;
	return 0;
}

void mint_oci_layer_free(struct mint_oci_layer *l)
{
	if (!l)
		return;
	mint_gzip_writer_free(l->gz);
	mint_hash_free(&l->diff);
	mint_oci_blob_abort(&l->blob);
	mint_atomic_abort(&l->plain);
	mint_buf_free(&l->clean);
	free(l->pull);
	free(l);
}
