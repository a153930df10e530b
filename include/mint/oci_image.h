/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Reading an OCI image that is already on disk: a layout directory, or a tar
 * that holds one (what mint_oci_archive_write and `docker save` since Docker
 * 25 write), or an older docker-archive with only manifest.json (what
 * `docker save` before 25 and `skopeo copy ... docker-archive:` write).
 *
 * The image is one image index: either the one index that index.json points
 * at, or index.json itself when it lists image manifests (apko's layouts,
 * docker save of one image). Each image manifest in it becomes one ref.
 *
 * Everything read is untrusted: JSON is parsed with bounded sizes and errors
 * name the document and the field, member and file names are cleaned
 * (mint_path_clean, so ".." is refused), and every blob is checked against
 * its digest before its bytes are handed out (a streamed layer: at its end).
 * A tar is scanned once for the offsets of its members; blobs are then read
 * from those offsets with pread.
 *
 * This file does not write images: mint/oci.h and mint/oci_archive.h do.
 */
#ifndef MINT_OCI_IMAGE_H
#define MINT_OCI_IMAGE_H

#include <stddef.h>
#include <stdint.h>

#include "mint/buf.h"
#include "mint/err.h"
#include "mint/oci.h"
#include "mint/source.h"

/* index.json, manifest.json, manifests and configs read while opening. */
#define MINT_OCI_IMAGE_JSON_MAX (4u << 20)
#define MINT_OCI_IMAGE_MAX_MANIFESTS 256
#define MINT_OCI_IMAGE_MAX_LAYERS 1024 /* per image manifest */
#define MINT_OCI_IMAGE_MAX_MEMBERS 65536 /* entries of a tar */
#define MINT_OCI_PLATFORM_MAX 64

struct mint_oci_image_ref {
	char platform[MINT_OCI_PLATFORM_MAX]; /* "linux/amd64", "linux/arm/v7" */
	char manifest_digest[MINT_OCI_DIGEST_MAX]; /* "" in a manifest.json-only archive */
	char config_digest[MINT_OCI_DIGEST_MAX];
	char **layer_digests; /* in manifest order; in a manifest.json-only archive the
			       * diff_ids, since its layers are named by no other digest */
	size_t n_layers;
};

struct mint_oci_image;

/* path is a directory or a tar file. Reads index.json (or manifest.json) and
 * the image index and manifests it names; configs only when a manifest's
 * platform must come from its config. Layers are not read. */
int mint_oci_image_open(const char *path, struct mint_oci_image **out, struct mint_err *err);
/* The same for a layout (directory or tar) whose index.json lists several
 * images: the entry annotated org.opencontainers.image.ref.name = ref_name,
 * an image index (read as above) or one image manifest (then the whole
 * image, with no index digest). MINT_ENOTFOUND when no entry has that name,
 * MINT_EDUPLICATE when two do. */
int mint_oci_image_open_ref(const char *path, const char *ref_name,
			    struct mint_oci_image **out, struct mint_err *err);
/* The same over a tar in memory; data must outlive the image. */
int mint_oci_image_open_mem(const void *data, size_t len, struct mint_oci_image **out,
			    struct mint_err *err);

/* The image index's digest: of the blob index.json points at, or of
 * index.json's own bytes when it is the image index; "" for a
 * manifest.json-only archive. */
const char *mint_oci_image_index_digest(const struct mint_oci_image *img);
size_t mint_oci_image_count(const struct mint_oci_image *img);
/* NULL when i is out of range. */
const struct mint_oci_image_ref *mint_oci_image_get(const struct mint_oci_image *img, size_t i);

/* The blob's bytes into out (replacing its contents), verified against the
 * digest: MINT_EINTEGRITY when they differ or its size is not what a
 * descriptor said, MINT_ELIMIT over max bytes, MINT_ENOTFOUND when absent.
 * The image index's digest gives the index even when it is index.json. */
int mint_oci_image_read_blob(struct mint_oci_image *img, const char *digest, size_t max,
			     struct mint_buf *out, struct mint_err *err);
/* The blob's size, without reading it. */
int mint_oci_image_blob_size(struct mint_oci_image *img, const char *digest, uint64_t *size,
			     struct mint_err *err);
/* Streams the blob to sink in pieces while hashing it; a mismatch is
 * MINT_EINTEGRITY after the sink has seen every byte, so a sink writes to
 * something it can throw away. */
int mint_oci_image_copy_blob(struct mint_oci_image *img, const char *digest,
			     int (*sink)(void *ctx, const void *data, size_t len,
					 struct mint_err *err),
			     void *ctx, struct mint_err *err);

/* The uncompressed tar of one of the image's layers as a pull source:
 * inflated as it is read when the layer is gzip (several members in a row
 * are one stream, as Go reads them), passed through when it is a plain tar;
 * MINT_EUNSUPPORTED for other media types (zstd). The digest is checked at
 * the end: a mismatch is an error from the last read, never a silent end.
 * One layer is open at a time; opening another closes the previous one.
 * The source stays valid until mint_oci_image_layer_close or _free. */
int mint_oci_image_layer_open(struct mint_oci_image *img, const char *digest,
			      struct mint_source *src, struct mint_err *err);
void mint_oci_image_layer_close(struct mint_oci_image *img);

void mint_oci_image_free(struct mint_oci_image *img);

#endif
