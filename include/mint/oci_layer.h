/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The layer writer: entries in, one gzip-compressed tar layer out, as a blob
 * of an OCI layout. The tar stream (mint/tar.h) goes through the canonical
 * compressor (mint/deflate.h) straight into a temporary file in
 * blobs/sha256/; in the same single pass it is hashed before compression
 * (the diff_id) and after (the digest), and the file is renamed to its
 * digest at the end. Nothing is read back.
 *
 * The writer decides nothing about the image: entry order, owners, modes
 * and times come from the caller (the image planner), so the same calls give
 * the same bytes. It only refuses names that are not clean relative paths
 * ("usr/bin/x": no leading "/" or "./", no "..", no trailing "/"), which is
 * also how apko names entries. The root directory is never an entry.
 *
 * A plain layer (mint_oci_layer_new_plain) takes the same entries and writes
 * the uncompressed tar to a file of the caller's choosing, as apko's
 * build-minirootfs does; its digest is then its diff_id.
 */
#ifndef MINT_OCI_LAYER_H
#define MINT_OCI_LAYER_H

#include <stddef.h>
#include <stdint.h>

#include "mint/err.h"
#include "mint/oci.h"
#include "mint/source.h"
#include "mint/tar.h"

/* What the caller decides for each entry. */
struct mint_oci_entry_attr {
	uint32_t mode;           /* permission and special bits (& 07777) */
	uint64_t uid, gid;
	const char *uname;       /* NULL or "": empty; at most 32 bytes */
	const char *gname;
	int64_t mtime;           /* seconds since the epoch */
	const struct mint_xattr *xattrs; /* written as SCHILY.xattr.* PAX records */
	size_t n_xattrs;
};

#define MINT_OCI_MEDIA_LAYER_TAR "application/vnd.oci.image.layer.v1.tar"

struct mint_oci_layer_info {
	struct mint_oci_descriptor desc;   /* layer media type, digest, compressed size */
	char diff_id[MINT_OCI_DIGEST_MAX]; /* sha256 of the uncompressed tar */
	uint64_t tar_bytes;                /* size of the uncompressed tar */
};

struct mint_oci_layer;

/* layout_dir must exist with blobs/sha256 in it (mint_oci_layout_init).
 * threads and level as for mint_gzip_writer_new. */
int mint_oci_layer_new(struct mint_oci_layer **out, const char *layout_dir, unsigned threads,
		       int level, struct mint_err *err);

/* The uncompressed tar goes to a temporary file beside path, renamed into
 * path (mode 0644) by mint_oci_layer_finish; info->desc then has media type
 * MINT_OCI_MEDIA_LAYER_TAR, the diff_id as digest and the tar size. */
int mint_oci_layer_new_plain(struct mint_oci_layer **out, const char *path,
			     struct mint_err *err);

/* Each returns 0 or MINT_E*; after an error every later call returns it
 * again. Bad names are MINT_EUNSAFE, other bad arguments MINT_EINVAL. */
int mint_oci_layer_add_dir(struct mint_oci_layer *l, const char *path,
			   const struct mint_oci_entry_attr *attr, struct mint_err *err);
int mint_oci_layer_add_file(struct mint_oci_layer *l, const char *path,
			    const struct mint_oci_entry_attr *attr, const void *data, size_t len,
			    struct mint_err *err);
/* Content pulled from src: exactly size bytes (fewer is MINT_ETRUNCATED). */
int mint_oci_layer_add_file_from(struct mint_oci_layer *l, const char *path,
				 const struct mint_oci_entry_attr *attr, uint64_t size,
				 struct mint_source src, struct mint_err *err);
/* target is stored as given (it may be absolute). */
int mint_oci_layer_add_symlink(struct mint_oci_layer *l, const char *path,
			       const struct mint_oci_entry_attr *attr, const char *target,
			       struct mint_err *err);
/* target names an earlier entry of this layer and must be a clean path. */
int mint_oci_layer_add_hardlink(struct mint_oci_layer *l, const char *path,
				const struct mint_oci_entry_attr *attr, const char *target,
				struct mint_err *err);
/* type: MINT_TAR_CHAR, MINT_TAR_BLOCKDEV or MINT_TAR_FIFO (major/minor 0). */
int mint_oci_layer_add_device(struct mint_oci_layer *l, const char *path,
			      const struct mint_oci_entry_attr *attr, enum mint_tar_type type,
			      uint32_t major, uint32_t minor, struct mint_err *err);

/* Ends the archive (two zero blocks, no record padding), finishes the gzip
 * stream and renames the blob to blobs/sha256/<digest> (a plain layer: the
 * tar to its path). */
int mint_oci_layer_finish(struct mint_oci_layer *l, struct mint_oci_layer_info *info,
			  struct mint_err *err);
/* Frees the writer; an unfinished layer's temporary file is removed. */
void mint_oci_layer_free(struct mint_oci_layer *l);

#endif
