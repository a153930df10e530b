/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Test helper for tests/e2e/oci_archive.sh: builds small multi-platform
 * layouts, packs them with mint_oci_archive_write, and reads images back
 * with mint/oci_image.h, so that real clients (skopeo) can judge what mint
 * writes and mint can read what they write.
 *
 *   mkarchive layout DIR TAG N [index-json]   a layout of N (1..3) platforms
 *   mkarchive archive LAYOUT REPO:TAG OUT     the docker-load tar of LAYOUT
 *   mkarchive read PATH                       what mint sees in PATH
 *
 * read prints "index <digest>", then per image "image <platform> config
 * <digest>" and one "layer <diff_id>" per layer, the sha256 of its tar as
 * streamed (so a layer is checked against its digest on the way).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mint/encode.h"
#include "mint/hash.h"
#include "mint/oci_archive.h"
#include "mint/oci_image.h"
#include "../unit/oci_image_fixture.h"

static int report(const struct mint_err *err)
{
	char line[2048];
	mint_err_format(err, line, sizeof(line));
	fprintf(stderr, "mkarchive: %s\n", line);
	return 1;
}

static int make_layout(const char *dir, const char *tag, const char *n, bool index_json)
{
	struct oci_fixture fx;
	struct mint_err err = { 0 };
	if (oci_fixture_build(dir, tag, (size_t)atoi(n), index_json, &fx, &err))
		return report(&err);
	printf("index %s\n", fx.index);
	for (size_t i = 0; i < fx.n; i++)
		printf("manifest %s\nconfig %s\n", fx.manifest[i], fx.config[i]);
	return 0;
}

/* sha256 of the layer's uncompressed tar, as streamed by the reader. */
static int layer_diff_id(struct mint_oci_image *img, const char *digest,
			 char out[MINT_OCI_DIGEST_MAX], struct mint_err *err)
{
	struct mint_source src;
	struct mint_hash h;
	static char buf[65536];
	int rc = mint_oci_image_layer_open(img, digest, &src, err);
	if (rc)
		return rc;
	if (mint_hash_init(&h, MINT_HASH_SHA256))
		return mint_err_set(err, MINT_ENOMEM, "out of memory");
	size_t got = 1;
	while (!rc && got) {
		rc = src.read(src.ctx, buf, sizeof(buf), &got, err);
		if (!rc && mint_hash_update(&h, buf, got))
			rc = mint_err_set(err, MINT_ENOMEM, "out of memory");
	}
	unsigned char d[MINT_HASH_MAX_BYTES];
	if (rc || mint_hash_final(&h, d)) {
		mint_hash_free(&h);
		return rc ? rc : mint_err_set(err, MINT_ENOMEM, "out of memory");
	}
	memcpy(out, "sha256:", 7);
	mint_hex_encode(d, 32, out + 7);
	mint_oci_image_layer_close(img);
	return 0;
}

static int read_image(const char *path)
{
	struct mint_oci_image *img;
	struct mint_err err = { 0 };
	if (mint_oci_image_open(path, &img, &err))
		return report(&err);
	const char *index = mint_oci_image_index_digest(img);
	printf("index %s\n", index[0] ? index : "-");
	int rc = 0;
	for (size_t i = 0; !rc && i < mint_oci_image_count(img); i++) {
		const struct mint_oci_image_ref *ref = mint_oci_image_get(img, i);
		printf("image %s config %s\n", ref->platform, ref->config_digest);
		for (size_t k = 0; !rc && k < ref->n_layers; k++) {
			char diff_id[MINT_OCI_DIGEST_MAX];
			rc = layer_diff_id(img, ref->layer_digests[k], diff_id, &err);
			if (!rc)
				printf("layer %s\n", diff_id);
		}
	}
	mint_oci_image_free(img);
	return rc ? report(&err) : 0;
}

int main(int argc, char **argv)
{
	if (argc >= 5 && argc <= 6 && !strcmp(argv[1], "layout"))
		return make_layout(argv[2], argv[3], argv[4],
				   argc == 6 && !strcmp(argv[5], "index-json"));
	if (argc == 5 && !strcmp(argv[1], "archive")) {
		struct mint_err err = { 0 };
		if (mint_oci_archive_write(argv[2], argv[3], argv[4], &err))
			return report(&err);
		return 0;
	}
	if (argc == 3 && !strcmp(argv[1], "read"))
		return read_image(argv[2]);
	fprintf(stderr, "usage: mkarchive layout DIR TAG N [index-json] | "
		"archive LAYOUT REPO:TAG OUT | read PATH\n");
	return 2;
}
