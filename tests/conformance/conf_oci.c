/* SPDX-License-Identifier: Apache-2.0 */
/*
 * apko's golden OCI layout (internal/cli/testdata/golden): the two image
 * configs, two manifests and the index are rebuilt from their field values
 * with our JSON writer and must come out byte for byte, so their digests
 * match; oci-layout likewise. Each golden layer's tar is read and its
 * entries written again through our layer writer: the diff_id (sha256 of the
 * tar) must be the one in the golden config. The compressed digests differ
 * by design: apko compresses with Go's pgzip, we with our canonical gzip.
 */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mint/gzip.h"
#include "mint/oci.h"
#include "mint/oci_layer.h"
#include "mint/tar.h"

#define GOLDEN "apko/internal/cli/testdata/golden"
#define T0 "1970-01-01T00:00:00Z"

struct golden_arch {
	const char *arch;
	const char *config_hex, *manifest_hex, *layer_hex, *diff_id;
	uint64_t config_size, layer_size;
};

static const struct golden_arch arches[] = {
	{ "amd64", "6c815259150f37d000417f9a93f41bddf74dff905c745986069d4b03e954ac1d",
	  "69f0237c7f8cf0b8a329d1bf1d6870c870c4ec323e39d3a6da59596632d0f2f4",
	  "c7557730da0e2d7fb242d8d1ac6dcf7e3a2439732aa5981270b4f3a02454b738",
	  "sha256:20f698463c2755b6dc42b7d07e959ed7455a06e7367d507e829a315898f21a01", 658, 3072 },
	{ "arm64", "fbb854f9d5a601a36c4dc8cc82e5b21e91b11cdd4aab5035340e4f517c5a8eb1",
	  "124c885f834cfaf1329987457a9651a68c4fb9733d4462ae6288b98011277858",
	  "7e0f9d62f6cab4785e18a55f17d03f20ffb776881f1f46258efd9458f7cdaf08",
	  "sha256:ca5e16c7c944d764863cb1a4286e668e72d6d87ef9ddd82337b19d87715bae7e", 658, 3079 },
};

static const struct mint_oci_kv annotations[] = {
	{ "org.opencontainers.image.title", "Title" },
	{ "org.opencontainers.image.vendor", "Vendor" },
	{ MINT_OCI_ANNOTATION_CREATED, T0 },
};

static size_t documents, identical, layers, diff_ids_equal;

static void read_fixture(const char *rel, struct mint_buf *out)
{
	char *p = fixture_or_skip(rel);
	read_file_or_fail(p, out);
	free(p);
}

/* Skips the test before it allocates anything when the fixtures are absent
 * (a skip later would jump over the test's frees). */
static void need_golden(void)
{
	free(fixture_or_skip("apko/internal/cli/testdata/golden"));
}

static void compare(const char *rel, const struct mint_buf *ours)
{
	struct mint_buf want = MINT_BUF_INIT;
	read_fixture(rel, &want);
	documents++;
	if (want.len == ours->len && !memcmp(want.data, ours->data, want.len))
		identical++;
	else
		print_message("differs: %s\n  golden: %s\n  ours:   %s\n", rel,
			      mint_buf_cstr(&want), mint_buf_cstr(ours));
	mint_buf_free(&want);
}

static void blob_rel(const char *hex, char *out, size_t cap)
{
	snprintf(out, cap, GOLDEN "/blobs/sha256/%s", hex);
}

static void descriptor(struct mint_oci_descriptor *d, const char *media_type, const char *hex,
		       uint64_t size)
{
	memset(d, 0, sizeof(*d));
	d->media_type = media_type;
	snprintf(d->digest, sizeof(d->digest), "sha256:%s", hex);
	d->size = size;
}

static void check_config_and_manifest(const struct golden_arch *a)
{
	static const char *entrypoint[] = { "/bin/sh", "-l" };
	static const char *env[] = {
		"PATH=/usr/local/sbin:/usr/local/bin:/usr/bin:/usr/sbin:/sbin:/bin",
		"SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt",
	};
	struct mint_oci_history h = { .author = "apko", .created = T0, .created_by = "apko",
				      .comment = "Title by Vendor" };
	struct mint_oci_image_config c = {
		.architecture = a->arch, .author = "github.com/chainguard-dev/apko", .created = T0,
		.history = &h, .n_history = 1, .os = "linux", .diff_ids = &a->diff_id,
		.n_diff_ids = 1, .entrypoint = entrypoint, .n_entrypoint = 2, .env = env,
		.n_env = 2, .labels = annotations, .n_labels = 3,
	};
	struct mint_buf json = MINT_BUF_INIT;
	struct mint_err err = { 0 };
	char rel[256];
	assert_ok(mint_oci_config_json(&c, &json, &err), &err);
	blob_rel(a->config_hex, rel, sizeof(rel));
	compare(rel, &json);

	struct mint_oci_descriptor layer;
	descriptor(&layer, MINT_OCI_MEDIA_LAYER_GZIP, a->layer_hex, a->layer_size);
	struct mint_oci_manifest m = { .layers = &layer, .n_layers = 1,
				       .annotations = annotations, .n_annotations = 3 };
	descriptor(&m.config, MINT_OCI_MEDIA_CONFIG, a->config_hex, a->config_size);
	assert_ok(mint_oci_manifest_json(&m, &json, &err), &err);
	blob_rel(a->manifest_hex, rel, sizeof(rel));
	compare(rel, &json);
	mint_buf_free(&json);
}

static void test_golden_configs_and_manifests_are_byte_identical(void **state)
{
	(void)state;
	need_golden();
	for (size_t i = 0; i < 2; i++)
		check_config_and_manifest(&arches[i]);
}

static void test_golden_index_and_oci_layout_are_byte_identical(void **state)
{
	(void)state;
	need_golden();
	struct mint_oci_platform platforms[2] = { { .architecture = "amd64", .os = "linux" },
						  { .architecture = "arm64", .os = "linux" } };
	struct mint_oci_descriptor m[2];
	for (size_t i = 0; i < 2; i++) {
		descriptor(&m[i], MINT_OCI_MEDIA_MANIFEST, arches[i].manifest_hex, 560);
		m[i].platform = &platforms[i];
		m[i].artifact_type = MINT_OCI_MEDIA_CONFIG;
	}
	struct mint_oci_index ix = { .manifests = m, .n_manifests = 2,
				     .annotations = annotations, .n_annotations = 3 };
	struct mint_buf json = MINT_BUF_INIT;
	struct mint_err err = { 0 };
	assert_ok(mint_oci_index_json(&ix, &json, &err), &err);
	compare(GOLDEN "/index.json", &json);

	char *dir = make_tmpdir();
	assert_ok(mint_oci_layout_init(dir, &err), &err);
	char path[4200];
	snprintf(path, sizeof(path), "%s/oci-layout", dir);
	read_file_or_fail(path, &json);
	compare(GOLDEN "/oci-layout", &json);
	cleanup_tmpdir(dir);
	mint_buf_free(&json);
}

static struct mint_oci_entry_attr attr_of(const struct mint_tar_entry *e)
{
	return (struct mint_oci_entry_attr){
		.mode = e->mode, .uid = e->uid, .gid = e->gid, .uname = e->uname,
		.gname = e->gname, .mtime = e->mtime, .xattrs = e->xattrs, .n_xattrs = e->n_xattrs,
	};
}

static int read_content(void *ctx, void *buf, size_t cap, size_t *got, struct mint_err *err)
{
	return mint_tar_read(ctx, buf, cap, got, err);
}

/* Adds the reader's current entry to the layer. */
static int copy_entry(struct mint_oci_layer *l, struct mint_tar_reader *r,
		      const struct mint_tar_entry *e, struct mint_err *err)
{
	struct mint_oci_entry_attr a = attr_of(e);
	struct mint_source content = { read_content, r };
	switch (e->type) {
	case MINT_TAR_DIR:
		return mint_oci_layer_add_dir(l, e->name, &a, err);
	case MINT_TAR_REG:
		return mint_oci_layer_add_file_from(l, e->name, &a, e->size, content, err);
	case MINT_TAR_SYMLINK:
		return mint_oci_layer_add_symlink(l, e->name, &a, e->link_target, err);
	case MINT_TAR_HARDLINK:
		return mint_oci_layer_add_hardlink(l, e->name, &a, e->link_target, err);
	default:
		return mint_oci_layer_add_device(l, e->name, &a, e->type, e->devmajor, e->devminor,
						 err);
	}
}

static void check_layer(const struct golden_arch *a, const char *dir)
{
	char rel[256];
	struct mint_buf gz = MINT_BUF_INIT, tar = MINT_BUF_INIT;
	struct mint_err err = { 0 };
	blob_rel(a->layer_hex, rel, sizeof(rel));
	read_fixture(rel, &gz);
	assert_ok(mint_gunzip_member(mint_buf_span(&gz), NULL, &tar, NULL, &err), &err);
	struct mint_span_source ss;
	struct mint_tar_reader *r;
	assert_ok(mint_tar_reader_new(&r, mint_span_source_init(&ss, mint_buf_span(&tar)), NULL,
				      MINT_TAR_END_REQUIRED, &err), &err);
	struct mint_oci_layer *l;
	assert_ok(mint_oci_layer_new(&l, dir, 2, 6, &err), &err);
	const struct mint_tar_entry *e;
	int rc;
	while ((rc = mint_tar_next(r, &e, &err)) == 1)
		assert_ok(copy_entry(l, r, e, &err), &err);
	assert_ok(rc, &err);
	struct mint_oci_layer_info info;
	assert_ok(mint_oci_layer_finish(l, &info, &err), &err);
	layers++;
	if (!strcmp(info.diff_id, a->diff_id) && info.tar_bytes == tar.len)
		diff_ids_equal++;
	else
		print_message("layer %s: diff_id %s, golden %s\n", a->arch, info.diff_id, a->diff_id);
	mint_oci_layer_free(l);
	mint_tar_reader_free(r);
	mint_buf_free(&gz);
	mint_buf_free(&tar);
}

static void test_golden_layers_rewritten_keep_their_diff_ids(void **state)
{
	(void)state;
	need_golden();
	char *dir = make_tmpdir();
	struct mint_err err = { 0 };
	assert_ok(mint_oci_layout_init(dir, &err), &err);
	for (size_t i = 0; i < 2; i++)
		check_layer(&arches[i], dir);
	cleanup_tmpdir(dir);
}

static void test_figures(void **state)
{
	(void)state;
	printf("conformance: apko golden OCI layout: %zu of %zu JSON documents byte-identical, "
	       "%zu of %zu layer diff_ids reproduced\n", identical, documents, diff_ids_equal,
	       layers);
	assert_int_equal(identical, documents);
	assert_int_equal(diff_ids_equal, layers);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_golden_configs_and_manifests_are_byte_identical),
		cmocka_unit_test(test_golden_index_and_oci_layout_are_byte_identical),
		cmocka_unit_test(test_golden_layers_rewritten_keep_their_diff_ids),
		cmocka_unit_test(test_figures),
	};
	return tests_exit(cmocka_run_group_tests(tests, NULL, NULL));
}
