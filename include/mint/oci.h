/* SPDX-License-Identifier: Apache-2.0 */
/*
 * OCI image documents and layout directories.
 *
 * JSON (lib/oci/json.c) is canonical, the way go-containerregistry writes it
 * for apko, so that the same image gets the same digests: compact (no
 * whitespace, no trailing newline), fields in go-containerregistry's struct
 * order, optional fields left out when empty, map keys (annotations, labels,
 * volumes, ports) sorted bytewise, and strings escaped as Go's encoding/json
 * does (<, >, & and U+2028/U+2029 as \u escapes, lowercase hex).
 *
 * A layout directory (lib/oci/layout.c) holds `oci-layout`, `index.json` and
 * `blobs/sha256/<hex>`. Every file is written to a temporary name and renamed
 * into place; blobs are named by the sha256 of their bytes.
 *
 * Strings are borrowed: the structs below point at the caller's memory.
 */
#ifndef MINT_OCI_H
#define MINT_OCI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mint/buf.h"
#include "mint/err.h"
#include "mint/fs.h"
#include "mint/hash.h"

#define MINT_OCI_MEDIA_INDEX "application/vnd.oci.image.index.v1+json"
#define MINT_OCI_MEDIA_MANIFEST "application/vnd.oci.image.manifest.v1+json"
#define MINT_OCI_MEDIA_CONFIG "application/vnd.oci.image.config.v1+json"
#define MINT_OCI_MEDIA_LAYER_GZIP "application/vnd.oci.image.layer.v1.tar+gzip"
#define MINT_OCI_ANNOTATION_REF_NAME "org.opencontainers.image.ref.name"
#define MINT_OCI_ANNOTATION_CREATED "org.opencontainers.image.created"

/* "sha256:" + 64 hex digits + NUL */
#define MINT_OCI_DIGEST_MAX 72
/* "YYYY-MM-DDTHH:MM:SSZ" + NUL, for years 0..9999 */
#define MINT_OCI_TIME_MAX 21

/* One entry of a string map; maps are written sorted by key, and a key given
 * twice is MINT_EDUPLICATE. */
struct mint_oci_kv {
	const char *key;
	const char *value;
};

struct mint_oci_platform {
	const char *architecture;  /* required, e.g. "amd64" */
	const char *os;            /* required, e.g. "linux" */
	const char *os_version;    /* NULL: omitted */
	const char *variant;       /* NULL: omitted, e.g. "v7" */
};

struct mint_oci_descriptor {
	const char *media_type;
	char digest[MINT_OCI_DIGEST_MAX]; /* "sha256:<64 lowercase hex>" */
	uint64_t size;
	const struct mint_oci_kv *annotations;
	size_t n_annotations;
	const struct mint_oci_platform *platform; /* NULL: omitted */
	const char *artifact_type;                /* NULL: omitted */
};

struct mint_oci_history {
	const char *author, *created, *created_by, *comment; /* NULL: omitted */
	bool empty_layer;
};

/* The image configuration; NULL strings and empty lists are omitted, except
 * architecture, os, rootfs and config, which are always written. */
struct mint_oci_image_config {
	const char *architecture;
	const char *author;
	const char *created; /* RFC 3339, see mint_oci_time */
	const struct mint_oci_history *history;
	size_t n_history;
	const char *os;
	const char *const *diff_ids; /* "sha256:<hex>" of each uncompressed layer */
	size_t n_diff_ids;
	/* "config": what a runtime starts */
	const char *const *cmd;
	size_t n_cmd;
	const char *const *entrypoint;
	size_t n_entrypoint;
	const char *const *env;
	size_t n_env;
	const struct mint_oci_kv *labels;
	size_t n_labels;
	const char *user;
	const char *const *volumes; /* written as {"<path>":{}} */
	size_t n_volumes;
	const char *working_dir;
	const char *const *exposed_ports; /* "80/tcp", written as {"80/tcp":{}} */
	size_t n_exposed_ports;
	const char *stop_signal;
	/* after config */
	const char *os_version;
	const char *variant;
};

struct mint_oci_manifest {
	struct mint_oci_descriptor config;
	const struct mint_oci_descriptor *layers;
	size_t n_layers;
	const struct mint_oci_kv *annotations;
	size_t n_annotations;
};

struct mint_oci_index {
	const struct mint_oci_descriptor *manifests;
	size_t n_manifests;
	const struct mint_oci_kv *annotations;
	size_t n_annotations;
};

/* Canonical JSON of each document into out (replacing its contents).
 * MINT_EINVAL for a missing required field, a digest that is not
 * "sha256:<64 lowercase hex>", a string that is not UTF-8 or a size over
 * INT64_MAX; MINT_EDUPLICATE for a repeated map key. */
int mint_oci_config_json(const struct mint_oci_image_config *c, struct mint_buf *out,
			 struct mint_err *err);
int mint_oci_manifest_json(const struct mint_oci_manifest *m, struct mint_buf *out,
			   struct mint_err *err);
int mint_oci_index_json(const struct mint_oci_index *ix, struct mint_buf *out,
			struct mint_err *err);

/* Seconds since the epoch as RFC 3339 in UTC ("1970-01-01T00:00:00Z"), as
 * Go writes a time.Time with no fraction. MINT_EINVAL outside years 0..9999. */
int mint_oci_time(int64_t epoch_seconds, char out[MINT_OCI_TIME_MAX], struct mint_err *err);
/* The inverse, for what images and users write: RFC 3339
 * "YYYY-MM-DDTHH:MM:SS[.frac](Z|+hh:mm|-hh:mm)", without the C library's
 * locale or time zone. False when s is not that. */
bool mint_oci_time_parse(const char *s, int64_t *out);

/* "sha256:<hex>" of data. */
int mint_oci_digest_of(const void *data, size_t len, char out[MINT_OCI_DIGEST_MAX],
		       struct mint_err *err);
/* True for "sha256:" followed by 64 lowercase hex digits. */
bool mint_oci_digest_valid(const char *digest);

/* Creates dir and dir/blobs/sha256 as needed, and writes dir/oci-layout. */
int mint_oci_layout_init(const char *dir, struct mint_err *err);
/* dir/blobs/sha256/<hex of digest>, malloc'd; NULL when out of memory or
 * the digest is not valid. */
char *mint_oci_blob_path(const char *dir, const char *digest);
/* Writes data as a blob and fills desc (media type, digest, size; no
 * annotations, platform or artifact type). */
int mint_oci_layout_put_blob(const char *dir, const char *media_type, const void *data,
			     size_t len, struct mint_oci_descriptor *desc, struct mint_err *err);
/* The canonical JSON of a config or manifest, put as a blob. */
int mint_oci_layout_put_config(const char *dir, const struct mint_oci_image_config *c,
			       struct mint_oci_descriptor *desc, struct mint_err *err);
int mint_oci_layout_put_manifest(const char *dir, const struct mint_oci_manifest *m,
				 struct mint_oci_descriptor *desc, struct mint_err *err);
/* Writes dir/index.json (the layout's entry point). */
int mint_oci_layout_write_index(const char *dir, const struct mint_oci_index *ix,
				struct mint_err *err);

/* A blob streamed in whose name is known only at the end: the bytes go to a
 * temporary file in dir/blobs/sha256 and are hashed on the way; commit
 * renames the file to its digest. */
struct mint_oci_blob_writer {
	struct mint_atomic_file file;
	struct mint_hash hash;
	uint64_t size;
	char *dir;
	bool open;
};

int mint_oci_blob_begin(struct mint_oci_blob_writer *b, const char *dir, struct mint_err *err);
int mint_oci_blob_write(struct mint_oci_blob_writer *b, const void *data, size_t len,
			struct mint_err *err);
/* Renames the blob into place and fills desc as mint_oci_layout_put_blob does. */
int mint_oci_blob_commit(struct mint_oci_blob_writer *b, const char *media_type,
			 struct mint_oci_descriptor *desc, struct mint_err *err);
/* Removes the temporary file; safe after a commit and on a never-begun writer
 * that was zeroed. */
void mint_oci_blob_abort(struct mint_oci_blob_writer *b);

#endif
