/* SPDX-License-Identifier: Apache-2.0 */
/*
 * apko's own layouts (internal/cli/testdata: golden, base_image, top_image),
 * read with mint's image reader: index.json is the image index there, so
 * its digest is that of index.json. Every manifest and config is read and
 * verified, every layer streamed (its digest checked at the end) and the
 * sha256 of the tar found among the config's diff_ids. Then each layout is
 * packed into a docker-load tar and read back: the same refs.
 */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mint/hash.h"
#include "mint/encode.h"
#include "mint/oci_archive.h"
#include "mint/oci_image.h"

static const char *const layouts[] = { "golden", "base_image", "top_image" };
static size_t n_layouts, images, layers_ok, packed_same;

static char *layout_path(const char *name)
{
	char rel[128];
	snprintf(rel, sizeof(rel), "apko/internal/cli/testdata/%s", name);
	return fixture_or_skip(rel);
}

/* Streams a layer; fills the sha256 of its tar. */
static void stream_layer(struct mint_oci_image *img, const char *digest,
			 char diff_id[MINT_OCI_DIGEST_MAX])
{
	struct mint_source src;
	struct mint_err err = { 0 };
	struct mint_hash h;
	char buf[8192];
	assert_ok(mint_oci_image_layer_open(img, digest, &src, &err), &err);
	assert_int_equal(mint_hash_init(&h, MINT_HASH_SHA256), 0);
	size_t got = 1;
	while (got) {
		assert_ok(src.read(src.ctx, buf, sizeof(buf), &got, &err), &err);
		assert_int_equal(mint_hash_update(&h, buf, got), 0);
	}
	unsigned char d[MINT_HASH_MAX_BYTES];
	assert_int_equal(mint_hash_final(&h, d), 0);
	memcpy(diff_id, "sha256:", 7);
	mint_hex_encode(d, 32, diff_id + 7);
	mint_oci_image_layer_close(img);
}

static void check_image(struct mint_oci_image *img, const struct mint_oci_image_ref *ref)
{
	struct mint_buf manifest = MINT_BUF_INIT, config = MINT_BUF_INIT;
	struct mint_err err = { 0 };
	assert_ok(mint_oci_image_read_blob(img, ref->manifest_digest, 1 << 20, &manifest, &err),
		  &err);
	assert_ok(mint_oci_image_read_blob(img, ref->config_digest, 1 << 20, &config, &err), &err);
	for (size_t k = 0; k < ref->n_layers; k++) {
		char diff_id[MINT_OCI_DIGEST_MAX];
		stream_layer(img, ref->layer_digests[k], diff_id);
		if (!strstr(mint_buf_cstr(&config), diff_id))
			fail_msg("%s: layer %s has no diff_id in the config", ref->platform,
				 ref->layer_digests[k]);
		layers_ok++;
	}
	images++;
	mint_buf_free(&manifest);
	mint_buf_free(&config);
}

static bool same_refs(const struct mint_oci_image *a, const struct mint_oci_image *b)
{
	if (strcmp(mint_oci_image_index_digest(a), mint_oci_image_index_digest(b)) ||
	    mint_oci_image_count(a) != mint_oci_image_count(b))
		return false;
	for (size_t i = 0; i < mint_oci_image_count(a); i++) {
		const struct mint_oci_image_ref *x = mint_oci_image_get(a, i);
		const struct mint_oci_image_ref *y = mint_oci_image_get(b, i);
		if (strcmp(x->platform, y->platform) ||
		    strcmp(x->manifest_digest, y->manifest_digest) ||
		    strcmp(x->config_digest, y->config_digest) || x->n_layers != y->n_layers)
			return false;
		for (size_t k = 0; k < x->n_layers; k++)
			if (strcmp(x->layer_digests[k], y->layer_digests[k]))
				return false;
	}
	return true;
}

static void test_apko_layouts_read_with_every_blob_verified(void **state)
{
	(void)state;
	free(layout_path("golden"));
	for (size_t i = 0; i < sizeof(layouts) / sizeof(layouts[0]); i++) {
		char *dir = layout_path(layouts[i]);
		struct mint_oci_image *img = NULL;
		struct mint_err err = { 0 };
		assert_ok(mint_oci_image_open(dir, &img, &err), &err);
		assert_true(mint_oci_image_count(img) >= 1);
		for (size_t k = 0; k < mint_oci_image_count(img); k++)
			check_image(img, mint_oci_image_get(img, k));
		n_layouts++;
		mint_oci_image_free(img);
		free(dir);
	}
}

static void test_apko_layouts_packed_read_back_the_same(void **state)
{
	(void)state;
	free(layout_path("golden"));
	char *tmp = make_tmpdir();
	char tar[4200];
	snprintf(tar, sizeof(tar), "%s/image.tar", tmp);
	for (size_t i = 0; i < sizeof(layouts) / sizeof(layouts[0]); i++) {
		char *dir = layout_path(layouts[i]);
		struct mint_oci_image *a = NULL, *b = NULL;
		struct mint_err err = { 0 };
		assert_ok(mint_oci_archive_write(dir, "example.com/apko:test", tar, &err), &err);
		assert_ok(mint_oci_image_open(dir, &a, &err), &err);
		assert_ok(mint_oci_image_open(tar, &b, &err), &err);
		if (same_refs(a, b))
			packed_same++;
		else
			print_message("%s: the packed tar reads differently\n", layouts[i]);
		mint_oci_image_free(a);
		mint_oci_image_free(b);
		free(dir);
	}
	cleanup_tmpdir(tmp);
}

static void test_figures(void **state)
{
	(void)state;
	free(layout_path("golden"));
	printf("conformance: apko layouts read: %zu layouts, %zu images, %zu layers streamed "
	       "with digest and diff_id checked; %zu of %zu packed and read back the same\n",
	       n_layouts, images, layers_ok, packed_same, sizeof(layouts) / sizeof(layouts[0]));
	assert_int_equal(packed_same, sizeof(layouts) / sizeof(layouts[0]));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_apko_layouts_read_with_every_blob_verified),
		cmocka_unit_test(test_apko_layouts_packed_read_back_the_same),
		cmocka_unit_test(test_figures),
	};
	return tests_exit(cmocka_run_group_tests(tests, NULL, NULL));
}
