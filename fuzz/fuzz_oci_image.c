/* SPDX-License-Identifier: Apache-2.0 */
/*
 * libFuzzer harness for the image reader over a tar in memory: the tar scan,
 * index.json / manifest.json / image index / manifest / config parsing, and
 * for an image that opens, every blob read and every layer streamed (up to a
 * cap), each checked against its digest. What opens must make sense: at
 * least one image, a platform, valid digests.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "mint/oci_image.h"

#define BLOB_MAX (1u << 20)
#define LAYER_MAX (4u << 20)

static int null_sink(void *ctx, const void *data, size_t len, struct mint_err *err)
{
	(void)ctx;
	(void)data;
	(void)len;
	(void)err;
	return 0;
}

static void stream_layer(struct mint_oci_image *img, const char *digest)
{
	static char buf[16384];
	struct mint_source src;
	struct mint_err err = { 0 };
	if (mint_oci_image_layer_open(img, digest, &src, &err))
		return;
	size_t total = 0, got = 1;
	while (got && total < LAYER_MAX) {
		if (src.read(src.ctx, buf, sizeof(buf), &got, &err))
			break;
		total += got;
	}
	mint_oci_image_layer_close(img);
}

static void read_blob(struct mint_oci_image *img, const char *digest)
{
	struct mint_buf out = MINT_BUF_INIT;
	struct mint_err err = { 0 };
	uint64_t size;
	if (!mint_oci_image_read_blob(img, digest, BLOB_MAX, &out, &err) &&
	    !mint_oci_image_blob_size(img, digest, &size, &err) && size != out.len)
		abort();
	mint_oci_image_copy_blob(img, digest, null_sink, NULL, &err);
	mint_buf_free(&out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct mint_oci_image *img = NULL;
	struct mint_err err = { 0 };
	if (mint_oci_image_open_mem(data, size, &img, &err)) {
		if (img || !err.code)
			abort();
		return 0;
	}
	if (!mint_oci_image_count(img))
		abort();
	const char *index = mint_oci_image_index_digest(img);
	if (index[0]) {
		if (!mint_oci_digest_valid(index))
			abort();
		read_blob(img, index);
	}
	for (size_t i = 0; i < mint_oci_image_count(img); i++) {
		const struct mint_oci_image_ref *ref = mint_oci_image_get(img, i);
		if (!ref->platform[0] || !mint_oci_digest_valid(ref->config_digest))
			abort();
		if (ref->manifest_digest[0])
			read_blob(img, ref->manifest_digest);
		read_blob(img, ref->config_digest);
		for (size_t k = 0; k < ref->n_layers; k++) {
			if (!mint_oci_digest_valid(ref->layer_digests[k]))
				abort();
			stream_layer(img, ref->layer_digests[k]);
		}
	}
	mint_oci_image_free(img);
	return 0;
}
