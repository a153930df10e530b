/* SPDX-License-Identifier: Apache-2.0 */
/*
 * OCI layout directories (see mint/oci.h): oci-layout, index.json and
 * content-addressed blobs, each written under a temporary name and renamed
 * into place. A blob that already exists is written again rather than
 * trusted: the rename replaces it with bytes whose digest was just computed.
 * This file does not read layouts.
 */
#include "mint/oci.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "mint/encode.h"

/* Byte for byte what go-containerregistry (and so apko) writes. */
static const char layout_text[] = "{\n    \"imageLayoutVersion\": \"1.0.0\"\n}";

static int make_dir(const char *path, struct mint_err *err)
{
	if (mkdir(path, 0755) == 0 || errno == EEXIST) {
		struct stat st;
		if (stat(path, &st) == 0 && S_ISDIR(st.st_mode))
			return 0;
		errno = ENOTDIR;
	}
	int e = errno;
	mint_err_set_file(err, path);
	return mint_err_set(err, MINT_EIO, "cannot create directory: %s", strerror(e));
}

/* dir + "/" + rel, malloc'd. */
static char *join(const char *dir, const char *rel)
{
	size_t n = strlen(dir) + strlen(rel) + 2;
	char *p = malloc(n);
	if (p)
		snprintf(p, n, "%s/%s", dir, rel);
	return p;
}

static int with_path(const char *dir, const char *rel, char **out, struct mint_err *err)
{
	*out = join(dir, rel);
	return *out ? 0 : mint_err_set(err, MINT_ENOMEM, "out of memory");
}

int mint_oci_layout_init(const char *dir, struct mint_err *err)
{
	char *blobs = NULL, *sha = NULL, *layout = NULL;
	int rc = make_dir(dir, err);
	if (!rc)
		rc = with_path(dir, "blobs", &blobs, err);
	if (!rc)
		rc = make_dir(blobs, err);
	if (!rc)
		rc = with_path(dir, "blobs/sha256", &sha, err);
	if (!rc)
		rc = make_dir(sha, err);
	if (!rc)
		rc = with_path(dir, "oci-layout", &layout, err);
	if (!rc)
		rc = mint_file_write_atomic(layout, layout_text, sizeof(layout_text) - 1, 0644, err);
	free(blobs);
	free(sha);
	free(layout);
	return rc;
}

char *mint_oci_blob_path(const char *dir, const char *digest)
{
	if (!mint_oci_digest_valid(digest))
		return NULL;
	char rel[96];
	snprintf(rel, sizeof(rel), "blobs/sha256/%s", digest + 7);
	return join(dir, rel);
}

static void fill_descriptor(struct mint_oci_descriptor *desc, const char *media_type,
			    const char *digest, uint64_t size)
{
	memset(desc, 0, sizeof(*desc));
	desc->media_type = media_type;
	snprintf(desc->digest, sizeof(desc->digest), "%s", digest);
	desc->size = size;
}

int mint_oci_layout_put_blob(const char *dir, const char *media_type, const void *data,
			     size_t len, struct mint_oci_descriptor *desc, struct mint_err *err)
{
	char digest[MINT_OCI_DIGEST_MAX];
	int rc = mint_oci_digest_of(data, len, digest, err);
	if (rc)
		return rc;
	char *path = mint_oci_blob_path(dir, digest);
	if (!path)
		return mint_err_set(err, MINT_ENOMEM, "out of memory");
	rc = mint_file_write_atomic(path, data, len, 0644, err);
	free(path);
	if (!rc)
		fill_descriptor(desc, media_type, digest, len);
	return rc;
}

int mint_oci_layout_put_config(const char *dir, const struct mint_oci_image_config *c,
			       struct mint_oci_descriptor *desc, struct mint_err *err)
{
	struct mint_buf json = MINT_BUF_INIT;
	int rc = mint_oci_config_json(c, &json, err);
	if (!rc)
		rc = mint_oci_layout_put_blob(dir, MINT_OCI_MEDIA_CONFIG, json.data, json.len, desc,
					      err);
	mint_buf_free(&json);
	return rc;
}

int mint_oci_layout_put_manifest(const char *dir, const struct mint_oci_manifest *m,
				 struct mint_oci_descriptor *desc, struct mint_err *err)
{
	struct mint_buf json = MINT_BUF_INIT;
	int rc = mint_oci_manifest_json(m, &json, err);
	if (!rc)
		rc = mint_oci_layout_put_blob(dir, MINT_OCI_MEDIA_MANIFEST, json.data, json.len,
					      desc, err);
	mint_buf_free(&json);
	return rc;
}

int mint_oci_layout_write_index(const char *dir, const struct mint_oci_index *ix,
				struct mint_err *err)
{
	struct mint_buf json = MINT_BUF_INIT;
	char *path = NULL;
	int rc = mint_oci_index_json(ix, &json, err);
	if (!rc)
		rc = with_path(dir, "index.json", &path, err);
	if (!rc)
		rc = mint_file_write_atomic(path, json.data, json.len, 0644, err);
	free(path);
	mint_buf_free(&json);
	return rc;
}

int mint_oci_blob_begin(struct mint_oci_blob_writer *b, const char *dir, struct mint_err *err)
{
	memset(b, 0, sizeof(*b));
	b->file.fd = -1;
	char *placeholder = NULL;
	b->dir = strdup(dir);
	if (!b->dir)
		return mint_err_set(err, MINT_ENOMEM, "out of memory");
	/* The temporary file is .blob.XXXXXX beside the blobs; commit gives
	 * it its digest as name. */
	int rc = with_path(dir, "blobs/sha256/blob", &placeholder, err);
	if (!rc)
		rc = mint_atomic_open(&b->file, placeholder, err);
	free(placeholder);
	if (!rc && mint_hash_init(&b->hash, MINT_HASH_SHA256)) {
		mint_atomic_abort(&b->file);
		rc = mint_err_set(err, MINT_ENOMEM, "out of memory for a hash");
	}
	if (rc) {
		free(b->dir);
		b->dir = NULL;
		return rc;
	}
	b->open = true;
	return 0;
}

int mint_oci_blob_write(struct mint_oci_blob_writer *b, const void *data, size_t len,
			struct mint_err *err)
{
	if (!b->open)
		return mint_err_set(err, MINT_EINVAL, "the blob writer is not open");
	if (mint_hash_update(&b->hash, data, len))
		return mint_err_set(err, MINT_ENOMEM, "out of memory hashing a blob");
	int rc = mint_atomic_write(&b->file, data, len, err);
	if (!rc)
		b->size += len;
	return rc;
}

int mint_oci_blob_commit(struct mint_oci_blob_writer *b, const char *media_type,
			 struct mint_oci_descriptor *desc, struct mint_err *err)
{
	if (!b->open)
		return mint_err_set(err, MINT_EINVAL, "the blob writer is not open");
	unsigned char d[MINT_HASH_MAX_BYTES];
	char digest[MINT_OCI_DIGEST_MAX] = "sha256:";
	int rc = 0;
	if (mint_hash_final(&b->hash, d))
		rc = mint_err_set(err, MINT_ENOMEM, "out of memory hashing a blob");
	b->hash.ctx = NULL;
	char *path = NULL;
	if (!rc) {
		mint_hex_encode(d, 32, digest + 7);
		path = mint_oci_blob_path(b->dir, digest);
		if (!path)
			rc = mint_err_set(err, MINT_ENOMEM, "out of memory");
	}
	if (!rc) {
		free(b->file.final_path);
		b->file.final_path = path;
		rc = mint_atomic_commit(&b->file, 0644, err);
	} else {
		free(path);
	}
	if (!rc)
		fill_descriptor(desc, media_type, digest, b->size);
	mint_oci_blob_abort(b);
	return rc;
}

void mint_oci_blob_abort(struct mint_oci_blob_writer *b)
{
	if (b->open) {
		mint_atomic_abort(&b->file);
		mint_hash_free(&b->hash);
	}
	free(b->dir);
	b->dir = NULL;
	b->open = false;
}
