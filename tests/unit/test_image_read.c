/* SPDX-License-Identifier: Apache-2.0 */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "mint/fs.h"
#include "mint/oci_archive.h"
#include "mint/oci_image.h"
#include "mint/tar.h"
#include "oci_image_fixture.h"

static char *path_in(const char *dir, const char *rel)
{
	size_t n = strlen(dir) + strlen(rel) + 2;
	char *p = malloc(n);
	assert_non_null(p);
	snprintf(p, n, "%s/%s", dir, rel);
	return p;
}

static char *blob_file(const char *dir, const char *digest)
{
	char *p = mint_oci_blob_path(dir, digest);
	assert_non_null(p);
	return p;
}

static char *build(size_t n, bool index_is_index_json, struct oci_fixture *fx)
{
	char *dir = make_tmpdir();
	struct mint_err err = { 0 };
	assert_ok(oci_fixture_build(dir, "1.0", n, index_is_index_json, fx, &err), &err);
	return dir;
}

static struct mint_oci_image *open_ok(const char *path)
{
	struct mint_oci_image *img = NULL;
	struct mint_err err = { 0 };
	assert_ok(mint_oci_image_open(path, &img, &err), &err);
	return img;
}

/* dir packed as dir/../<name>.tar; the path is malloc'd. */
static char *archive_of(const char *dir)
{
	char *tar = malloc(strlen(dir) + 8);
	assert_non_null(tar);
	sprintf(tar, "%s.tar", dir);
	struct mint_err err = { 0 };
	assert_ok(mint_oci_archive_write(dir, "example.com/mint/test:1.0", tar, &err), &err);
	return tar;
}

static void flip_byte(const char *path, long offset)
{
	FILE *f = fopen(path, "r+b");
	assert_non_null(f);
	assert_int_equal(fseek(f, offset, SEEK_SET), 0);
	int c = fgetc(f);
	assert_int_not_equal(c, EOF);
	assert_int_equal(fseek(f, offset, SEEK_SET), 0);
	fputc(c ^ 0x01, f);
	assert_int_equal(fclose(f), 0);
}

/* The whole uncompressed tar of a layer, read in small pieces; returns the
 * code of the read that ended it. */
static int stream_layer(struct mint_oci_image *img, const char *digest, struct mint_buf *out,
			struct mint_err *err)
{
	struct mint_source src;
	mint_buf_reset(out);
	int rc = mint_oci_image_layer_open(img, digest, &src, err);
	if (rc)
		return rc;
	char piece[1000];
	size_t got;
	do {
		rc = src.read(src.ctx, piece, sizeof(piece), &got, err);
		if (!rc && got)
			assert_int_equal(mint_buf_append(out, piece, got), 0);
	} while (!rc && got);
	return rc;
}

static void assert_refs_match_fixture(struct mint_oci_image *img, const struct oci_fixture *fx)
{
	static const char *platforms[] = { "linux/amd64", "linux/arm64", "linux/arm/v7" };
	assert_string_equal(mint_oci_image_index_digest(img), fx->index);
	assert_int_equal(mint_oci_image_count(img), fx->n);
	for (size_t i = 0; i < fx->n; i++) {
		const struct mint_oci_image_ref *ref = mint_oci_image_get(img, i);
		assert_non_null(ref);
		assert_string_equal(ref->platform, platforms[i]);
		assert_string_equal(ref->manifest_digest, fx->manifest[i]);
		assert_string_equal(ref->config_digest, fx->config[i]);
		assert_int_equal(ref->n_layers, 2);
		assert_string_equal(ref->layer_digests[0], fx->shared_layer);
		assert_string_equal(ref->layer_digests[1], fx->layer[i]);
	}
	assert_null(mint_oci_image_get(img, fx->n));
}

static int tar_content_read(void *ctx, void *buf, size_t cap, size_t *got, struct mint_err *err)
{
	return mint_tar_read(ctx, buf, cap, got, err);
}

/* The own layer of platform p: etc/arch, usr, usr/share, usr/share/data. */
static void assert_own_layer_tar(const struct mint_buf *tar, size_t p)
{
	struct mint_err err = { 0 };
	struct mint_span_source ss;
	struct mint_tar_reader *r;
	assert_ok(mint_tar_reader_new(&r, mint_span_source_init(&ss, mint_buf_span(tar)), NULL,
				      MINT_TAR_END_REQUIRED, &err), &err);
	const struct mint_tar_entry *e;
	const char *names[] = { "etc/arch", "usr", "usr/share", "usr/share/data" };
	for (size_t i = 0; i < 4; i++) {
		assert_int_equal(mint_tar_next(r, &e, &err), 1);
		assert_string_equal(e->name, names[i]);
	}
	assert_int_equal(e->size, OCI_FIXTURE_DATA_BYTES);
	unsigned char *data = malloc(OCI_FIXTURE_DATA_BYTES);
	assert_non_null(data);
	struct mint_source src = { tar_content_read, r };
	assert_ok(mint_source_read_full(src, data, OCI_FIXTURE_DATA_BYTES, &err), &err);
	for (size_t i = 0; i < OCI_FIXTURE_DATA_BYTES; i++)
		if (data[i] != oci_fixture_data_byte(i, p))
			fail_msg("usr/share/data differs at byte %zu", i);
	free(data);
	assert_int_equal(mint_tar_next(r, &e, &err), 0);
	mint_tar_reader_free(r);
}

static void test_image_read_dir_lists_each_platform_with_its_digests(void **state)
{
	(void)state;
	struct oci_fixture fx;
	char *dir = build(3, false, &fx);
	struct mint_oci_image *img = open_ok(dir);
	assert_refs_match_fixture(img, &fx);
	mint_oci_image_free(img);
	cleanup_tmpdir(dir);
}

static void test_image_read_tar_gives_the_same_refs_as_the_dir(void **state)
{
	(void)state;
	struct oci_fixture fx;
	char *dir = build(2, false, &fx);
	char *tar = archive_of(dir);
	struct mint_oci_image *img = open_ok(tar);
	assert_refs_match_fixture(img, &fx);
	mint_oci_image_free(img);
	struct mint_buf bytes = MINT_BUF_INIT;
	read_file_or_fail(tar, &bytes);
	struct mint_err err = { 0 };
	assert_ok(mint_oci_image_open_mem(bytes.data, bytes.len, &img, &err), &err);
	assert_refs_match_fixture(img, &fx);
	mint_oci_image_free(img);
	mint_buf_free(&bytes);
	unlink(tar);
	free(tar);
	cleanup_tmpdir(dir);
}

static void test_image_read_apko_index_json_is_the_image_index(void **state)
{
	(void)state;
	struct oci_fixture fx;
	char *dir = build(2, true, &fx);
	struct mint_oci_image *img = open_ok(dir);
	assert_refs_match_fixture(img, &fx);
	struct mint_buf blob = MINT_BUF_INIT, file = MINT_BUF_INIT;
	struct mint_err err = { 0 };
	assert_ok(mint_oci_image_read_blob(img, fx.index, 1 << 20, &blob, &err), &err);
	char *index = path_in(dir, "index.json");
	read_file_or_fail(index, &file);
	assert_int_equal(blob.len, file.len);
	assert_memory_equal(blob.data, file.data, file.len);
	uint64_t size = 0;
	assert_ok(mint_oci_image_blob_size(img, fx.index, &size, &err), &err);
	assert_int_equal(size, file.len);
	mint_oci_image_free(img);
	mint_buf_free(&blob);
	mint_buf_free(&file);
	free(index);
	cleanup_tmpdir(dir);
}

static void test_image_read_blob_returns_the_verified_bytes(void **state)
{
	(void)state;
	struct oci_fixture fx;
	char *dir = build(1, false, &fx);
	char *tar = archive_of(dir);
	char *config = blob_file(dir, fx.config[0]);
	struct mint_buf want = MINT_BUF_INIT, got = MINT_BUF_INIT;
	read_file_or_fail(config, &want);
	const char *paths[] = { dir, tar };
	for (size_t i = 0; i < 2; i++) {
		struct mint_oci_image *img = open_ok(paths[i]);
		struct mint_err err = { 0 };
		assert_ok(mint_oci_image_read_blob(img, fx.config[0], 1 << 20, &got, &err), &err);
		assert_int_equal(got.len, want.len);
		assert_memory_equal(got.data, want.data, want.len);
		mint_oci_image_free(img);
	}
	mint_buf_free(&want);
	mint_buf_free(&got);
	free(config);
	unlink(tar);
	free(tar);
	cleanup_tmpdir(dir);
}

static void test_image_read_layer_streams_its_uncompressed_tar(void **state)
{
	(void)state;
	struct oci_fixture fx;
	char *dir = build(2, false, &fx);
	char *tar = archive_of(dir);
	const char *paths[] = { dir, tar };
	for (size_t i = 0; i < 2; i++) {
		struct mint_oci_image *img = open_ok(paths[i]);
		struct mint_buf layer = MINT_BUF_INIT;
		struct mint_err err = { 0 };
		for (size_t p = 0; p < 2; p++) {
			assert_ok(stream_layer(img, fx.layer[p], &layer, &err), &err);
			char d[MINT_OCI_DIGEST_MAX];
			assert_ok(mint_oci_digest_of(layer.data, layer.len, d, &err), &err);
			assert_string_equal(d, fx.diff_id[p]);
			assert_own_layer_tar(&layer, p);
		}
		/* After the end, the source keeps saying so. */
		struct mint_source src;
		assert_ok(mint_oci_image_layer_open(img, fx.shared_layer, &src, &err), &err);
		char buf[4096];
		size_t got = 1;
		while (got)
			assert_ok(src.read(src.ctx, buf, sizeof(buf), &got, &err), &err);
		assert_ok(src.read(src.ctx, buf, sizeof(buf), &got, &err), &err);
		assert_int_equal(got, 0);
		mint_oci_image_layer_close(img);
		mint_oci_image_free(img);
		mint_buf_free(&layer);
	}
	unlink(tar);
	free(tar);
	cleanup_tmpdir(dir);
}

static void test_image_read_corrupt_config_byte_is_an_integrity_error(void **state)
{
	(void)state;
	struct oci_fixture fx;
	char *dir = build(1, false, &fx);
	char *config = blob_file(dir, fx.config[0]);
	flip_byte(config, 3);
	struct mint_oci_image *img = open_ok(dir);
	struct mint_buf got = MINT_BUF_INIT;
	struct mint_err err = { 0 };
	assert_int_equal(mint_oci_image_read_blob(img, fx.config[0], 1 << 20, &got, &err),
			 MINT_EINTEGRITY);
	assert_non_null(strstr(err.msg, fx.config[0]));
	assert_int_equal(got.len, 0);
	mint_oci_image_free(img);
	free(config);
	mint_buf_free(&got);
	cleanup_tmpdir(dir);
}

/* The gzip header's mtime is not checked by inflate: the layer inflates
 * fine, and only the digest at the end tells. */
static void test_image_read_layer_digest_mismatch_fails_the_last_read(void **state)
{
	(void)state;
	struct oci_fixture fx;
	char *dir = build(1, false, &fx);
	char *layer = blob_file(dir, fx.layer[0]);
	flip_byte(layer, 5);
	struct mint_oci_image *img = open_ok(dir);
	struct mint_buf tar = MINT_BUF_INIT;
	struct mint_err err = { 0 };
	assert_int_equal(stream_layer(img, fx.layer[0], &tar, &err), MINT_EINTEGRITY);
	assert_non_null(strstr(err.msg, "its bytes have digest"));
	/* Every byte of the tar came out before the check failed. */
	char d[MINT_OCI_DIGEST_MAX];
	assert_ok(mint_oci_digest_of(tar.data, tar.len, d, &err), &err);
	assert_string_equal(d, fx.diff_id[0]);
	mint_oci_image_free(img);
	mint_buf_free(&tar);
	free(layer);
	cleanup_tmpdir(dir);
}

static void test_image_read_corrupt_deflate_data_is_a_format_error(void **state)
{
	(void)state;
	struct oci_fixture fx;
	char *dir = build(1, false, &fx);
	char *layer = blob_file(dir, fx.layer[0]);
	struct stat st;
	assert_int_equal(stat(layer, &st), 0);
	flip_byte(layer, st.st_size - 6); /* inside the CRC-32 of the trailer */
	struct mint_oci_image *img = open_ok(dir);
	struct mint_buf tar = MINT_BUF_INIT;
	struct mint_err err = { 0 };
	assert_int_equal(stream_layer(img, fx.layer[0], &tar, &err), MINT_EFORMAT);
	assert_true(err.has_offset);
	mint_oci_image_free(img);
	mint_buf_free(&tar);
	free(layer);
	cleanup_tmpdir(dir);
}

static void test_image_read_corrupt_manifest_fails_the_open(void **state)
{
	(void)state;
	struct oci_fixture fx;
	char *dir = build(2, false, &fx);
	char *manifest = blob_file(dir, fx.manifest[1]);
	flip_byte(manifest, 10);
	struct mint_oci_image *img = (void *)1;
	struct mint_err err = { 0 };
	assert_int_equal(mint_oci_image_open(dir, &img, &err), MINT_EINTEGRITY);
	assert_null(img);
	assert_non_null(strstr(err.msg, "image manifest"));
	free(manifest);
	cleanup_tmpdir(dir);
}

static void test_image_read_missing_blobs_are_not_found(void **state)
{
	(void)state;
	struct oci_fixture fx;
	char *dir = build(1, false, &fx);
	char *config = blob_file(dir, fx.config[0]);
	unlink(config);
	struct mint_oci_image *img = open_ok(dir);
	struct mint_buf got = MINT_BUF_INIT;
	struct mint_err err = { 0 };
	assert_int_equal(mint_oci_image_read_blob(img, fx.config[0], 1 << 20, &got, &err),
			 MINT_ENOTFOUND);
	assert_int_equal(mint_oci_image_read_blob(img, "sha256:1234", 1 << 20, &got, &err),
			 MINT_EINVAL);
	mint_oci_image_free(img);
	char *manifest = blob_file(dir, fx.manifest[0]);
	unlink(manifest);
	assert_int_equal(mint_oci_image_open(dir, &img, &err), MINT_ENOTFOUND);
	char *index = path_in(dir, "index.json");
	unlink(index);
	mint_err_clear(&err);
	assert_int_equal(mint_oci_image_open(dir, &img, &err), MINT_ENOTFOUND);
	assert_non_null(strstr(err.msg, "neither index.json nor manifest.json"));
	free(index);
	free(manifest);
	free(config);
	mint_buf_free(&got);
	cleanup_tmpdir(dir);
}

static void test_image_read_blob_over_max_is_a_limit_error(void **state)
{
	(void)state;
	struct oci_fixture fx;
	char *dir = build(1, false, &fx);
	struct mint_oci_image *img = open_ok(dir);
	struct mint_buf got = MINT_BUF_INIT;
	struct mint_err err = { 0 };
	assert_int_equal(mint_oci_image_read_blob(img, fx.layer[0], 100, &got, &err), MINT_ELIMIT);
	assert_int_equal(mint_oci_image_read_blob(img, fx.index, 10, &got, &err), MINT_ELIMIT);
	mint_oci_image_free(img);
	mint_buf_free(&got);
	cleanup_tmpdir(dir);
}

static void test_image_read_layer_open_refuses_blobs_that_are_not_layers(void **state)
{
	(void)state;
	struct oci_fixture fx;
	char *dir = build(1, false, &fx);
	struct mint_oci_image *img = open_ok(dir);
	struct mint_source src;
	struct mint_err err = { 0 };
	assert_int_equal(mint_oci_image_layer_open(img, fx.config[0], &src, &err), MINT_ENOTFOUND);
	assert_null(src.read);
	assert_int_equal(mint_oci_image_layer_open(img, NULL, &src, &err), MINT_ENOTFOUND);
	mint_oci_image_free(img);
	cleanup_tmpdir(dir);
}

/* --- tars written here, with one thing wrong ------------------------------- */

static int buf_sink(void *ctx, const void *data, size_t len, struct mint_err *err)
{
	(void)err;
	return mint_buf_append(ctx, data, len);
}

static void tar_put(struct mint_tar_writer *w, const char *name, const void *data, size_t len)
{
	struct mint_tar_entry e = { .name = (char *)name, .type = MINT_TAR_REG, .mode = 0644,
				    .size = len };
	struct mint_err err = { 0 };
	assert_ok(mint_tar_write_entry(w, &e, data, &err), &err);
}

static int open_mem_rc(const struct mint_buf *tar, struct mint_err *err)
{
	struct mint_oci_image *img = NULL;
	int rc = mint_oci_image_open_mem(tar->data, tar->len, &img, err);
	mint_oci_image_free(img);
	return rc;
}

static void test_image_read_tar_member_leaving_the_root_is_unsafe(void **state)
{
	(void)state;
	const char *names[] = { "../index.json", "blobs/../../x", "/index.json" };
	for (size_t i = 0; i < 3; i++) {
		struct mint_buf tar = MINT_BUF_INIT;
		struct mint_tar_writer w = { .sink = buf_sink, .ctx = &tar };
		struct mint_err err = { 0 };
		tar_put(&w, "oci-layout", "{\"imageLayoutVersion\":\"1.0.0\"}", 30);
		tar_put(&w, names[i], "{}", 2);
		assert_ok(mint_tar_write_end(&w, &err), &err);
		assert_int_equal(open_mem_rc(&tar, &err), MINT_EUNSAFE);
		assert_non_null(strstr(err.msg, names[i]));
		assert_true(err.has_offset);
		assert_int_equal(err.offset, 512 * 2);
		mint_buf_free(&tar);
	}
}

static void test_image_read_tar_member_given_twice_is_a_duplicate(void **state)
{
	(void)state;
	struct mint_buf tar = MINT_BUF_INIT;
	struct mint_tar_writer w = { .sink = buf_sink, .ctx = &tar };
	struct mint_err err = { 0 };
	tar_put(&w, "index.json", "{}", 2);
	tar_put(&w, "./index.json", "{}", 2);
	assert_ok(mint_tar_write_end(&w, &err), &err);
	assert_int_equal(open_mem_rc(&tar, &err), MINT_EDUPLICATE);
	mint_buf_free(&tar);
}

static void test_image_read_tar_member_json_error_names_the_member(void **state)
{
	(void)state;
	struct mint_buf tar = MINT_BUF_INIT;
	struct mint_tar_writer w = { .sink = buf_sink, .ctx = &tar };
	struct mint_err err = { 0 };
	const char *index = "{\"schemaVersion\":2,\n\"manifests\":{}}";
	tar_put(&w, "index.json", index, strlen(index));
	assert_ok(mint_tar_write_end(&w, &err), &err);
	assert_int_equal(open_mem_rc(&tar, &err), MINT_EFORMAT);
	assert_string_equal(err.file, "<memory>(index.json)");
	assert_non_null(strstr(err.msg, "index.json: manifests: is not an array"));
	mint_buf_free(&tar);
}

static void test_image_read_empty_tar_is_not_an_image(void **state)
{
	(void)state;
	struct mint_buf tar = MINT_BUF_INIT;
	struct mint_tar_writer w = { .sink = buf_sink, .ctx = &tar };
	struct mint_err err = { 0 };
	assert_ok(mint_tar_write_end(&w, &err), &err);
	assert_int_equal(open_mem_rc(&tar, &err), MINT_ENOTFOUND);
	assert_string_equal(err.file, "<memory>");
	mint_buf_free(&tar);
}

static void test_image_read_truncated_tar_is_an_error(void **state)
{
	(void)state;
	struct oci_fixture fx;
	char *dir = build(1, false, &fx);
	char *tar = archive_of(dir);
	struct mint_buf bytes = MINT_BUF_INIT;
	read_file_or_fail(tar, &bytes);
	size_t cuts[] = { bytes.len - 1024, bytes.len - 600, bytes.len / 2, 700, 100, 0 };
	for (size_t i = 0; i < sizeof(cuts) / sizeof(cuts[0]); i++) {
		struct mint_buf part = MINT_BUF_INIT;
		assert_int_equal(mint_buf_append(&part, bytes.data, cuts[i]), 0);
		struct mint_err err = { 0 };
		int rc = open_mem_rc(&part, &err);
		if (rc != MINT_ETRUNCATED)
			fail_msg("cut at %zu: %d %s", cuts[i], rc, err.msg);
		mint_buf_free(&part);
	}
	mint_buf_free(&bytes);
	unlink(tar);
	free(tar);
	cleanup_tmpdir(dir);
}

static void test_image_read_json_errors_name_the_document_and_field(void **state)
{
	(void)state;
	char *dir = make_tmpdir();
	char *index = path_in(dir, "index.json");
	struct mint_err err = { 0 };
	const char *bad_digest = "{\"schemaVersion\":2,\"manifests\":[{\"mediaType\":"
				 "\"application/vnd.oci.image.manifest.v1+json\",\"size\":1,"
				 "\"digest\":\"sha256:XYZ\"}]}";
	assert_ok(mint_file_write_atomic(index, bad_digest, strlen(bad_digest), 0644, &err), &err);
	struct mint_oci_image *img;
	assert_int_equal(mint_oci_image_open(dir, &img, &err), MINT_EFORMAT);
	assert_string_equal(err.file, index);
	assert_non_null(strstr(err.msg, "index.json: manifests[0].digest: \"sha256:XYZ\""));

	const char *syntax = "{\"schemaVersion\":2,\n \"manifests\": [}";
	assert_ok(mint_file_write_atomic(index, syntax, strlen(syntax), 0644, &err), &err);
	mint_err_clear(&err);
	assert_int_equal(mint_oci_image_open(dir, &img, &err), MINT_EFORMAT);
	assert_int_equal(err.line, 2);
	assert_true(err.column > 0);

	const char *sha512 = "{\"schemaVersion\":2,\"manifests\":[{\"mediaType\":"
			     "\"application/vnd.oci.image.manifest.v1+json\",\"size\":1,"
			     "\"digest\":\"sha512:abcd\"}]}";
	assert_ok(mint_file_write_atomic(index, sha512, strlen(sha512), 0644, &err), &err);
	mint_err_clear(&err);
	assert_int_equal(mint_oci_image_open(dir, &img, &err), MINT_EUNSUPPORTED);

	const char *v1 = "{\"schemaVersion\":1,\"manifests\":[]}";
	assert_ok(mint_file_write_atomic(index, v1, strlen(v1), 0644, &err), &err);
	mint_err_clear(&err);
	assert_int_equal(mint_oci_image_open(dir, &img, &err), MINT_EUNSUPPORTED);
	assert_non_null(strstr(err.msg, "schemaVersion"));

	const char *empty = "{\"schemaVersion\":2,\"manifests\":[]}";
	assert_ok(mint_file_write_atomic(index, empty, strlen(empty), 0644, &err), &err);
	mint_err_clear(&err);
	assert_int_equal(mint_oci_image_open(dir, &img, &err), MINT_ENOTFOUND);
	free(index);
	cleanup_tmpdir(dir);
}

/* A layer descriptor whose size is one more than the blob's. */
static void test_image_read_blob_size_must_match_its_descriptor(void **state)
{
	(void)state;
	char *dir = make_tmpdir();
	struct mint_err err = { 0 };
	struct mint_oci_layer_info info;
	assert_ok(mint_oci_layout_init(dir, &err), &err);
	assert_ok(oci_fixture_shared_layer(dir, &info, &err), &err);
	info.desc.size++;
	const char *diff_ids[] = { info.diff_id };
	struct mint_oci_image_config c = { .architecture = "amd64", .os = "linux",
					   .diff_ids = diff_ids, .n_diff_ids = 1 };
	struct mint_oci_manifest m = { .layers = &info.desc, .n_layers = 1 };
	struct mint_oci_descriptor md;
	assert_ok(mint_oci_layout_put_config(dir, &c, &m.config, &err), &err);
	assert_ok(mint_oci_layout_put_manifest(dir, &m, &md, &err), &err);
	struct mint_oci_index ix = { .manifests = &md, .n_manifests = 1 };
	assert_ok(mint_oci_layout_write_index(dir, &ix, &err), &err);
	struct mint_oci_image *img = open_ok(dir);
	/* No platform in the index: it came from the config. */
	assert_string_equal(mint_oci_image_get(img, 0)->platform, "linux/amd64");
	struct mint_buf got = MINT_BUF_INIT;
	assert_int_equal(mint_oci_image_read_blob(img, info.desc.digest, 1 << 20, &got, &err),
			 MINT_EINTEGRITY);
	assert_non_null(strstr(err.msg, "its descriptor says"));
	mint_oci_image_free(img);
	mint_buf_free(&got);
	cleanup_tmpdir(dir);
}

/* --- docker-archives with manifest.json only ------------------------------- */

struct legacy {
	struct mint_buf tar;
	struct mint_buf layer;
	char diff_id[MINT_OCI_DIGEST_MAX];
	char config_digest[MINT_OCI_DIGEST_MAX];
};

/* An archive the way docker save wrote them before Docker 25: <hex>.json,
 * <dir>/layer.tar (uncompressed), manifest.json with member paths. */
static void build_legacy(struct legacy *lg, const char *diff_id_override)
{
	struct mint_err err = { 0 };
	memset(lg, 0, sizeof(*lg));
	struct mint_tar_writer lw = { .sink = buf_sink, .ctx = &lg->layer };
	tar_put(&lw, "hello", "hi\n", 3);
	assert_ok(mint_tar_write_end(&lw, &err), &err);
	assert_ok(mint_oci_digest_of(lg->layer.data, lg->layer.len, lg->diff_id, &err), &err);
	char config[512];
	snprintf(config, sizeof(config),
		 "{\"architecture\":\"arm\",\"os\":\"linux\",\"variant\":\"v6\","
		 "\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\"%s\"]}}",
		 diff_id_override ? diff_id_override : lg->diff_id);
	assert_ok(mint_oci_digest_of(config, strlen(config), lg->config_digest, &err), &err);
	char config_name[128], manifest[512];
	snprintf(config_name, sizeof(config_name), "%s.json", lg->config_digest + 7);
	snprintf(manifest, sizeof(manifest),
		 "[{\"Config\":\"%s\",\"RepoTags\":[\"x:1\"],\"Layers\":[\"abc/layer.tar\"]}]",
		 config_name);
	struct mint_tar_writer w = { .sink = buf_sink, .ctx = &lg->tar };
	tar_put(&w, config_name, config, strlen(config));
	tar_put(&w, "abc/layer.tar", lg->layer.data, lg->layer.len);
	tar_put(&w, "manifest.json", manifest, strlen(manifest));
	assert_ok(mint_tar_write_end(&w, &err), &err);
}

static void test_image_read_docker_archive_with_manifest_json_only(void **state)
{
	(void)state;
	struct legacy lg;
	build_legacy(&lg, NULL);
	struct mint_oci_image *img;
	struct mint_err err = { 0 };
	assert_ok(mint_oci_image_open_mem(lg.tar.data, lg.tar.len, &img, &err), &err);
	assert_string_equal(mint_oci_image_index_digest(img), "");
	assert_int_equal(mint_oci_image_count(img), 1);
	const struct mint_oci_image_ref *ref = mint_oci_image_get(img, 0);
	assert_string_equal(ref->platform, "linux/arm/v6");
	assert_string_equal(ref->manifest_digest, "");
	assert_string_equal(ref->config_digest, lg.config_digest);
	assert_int_equal(ref->n_layers, 1);
	assert_string_equal(ref->layer_digests[0], lg.diff_id);
	struct mint_buf out = MINT_BUF_INIT;
	assert_ok(mint_oci_image_read_blob(img, lg.config_digest, 4096, &out, &err), &err);
	assert_ok(stream_layer(img, lg.diff_id, &out, &err), &err);
	assert_int_equal(out.len, lg.layer.len);
	assert_memory_equal(out.data, lg.layer.data, out.len);
	mint_oci_image_free(img);
	mint_buf_free(&out);
	mint_buf_free(&lg.tar);
	mint_buf_free(&lg.layer);
}

static void test_image_read_docker_archive_layer_checked_against_its_diff_id(void **state)
{
	(void)state;
	struct legacy lg;
	build_legacy(&lg, "sha256:0000000000000000000000000000000000000000000000000000000000000000");
	struct mint_oci_image *img;
	struct mint_err err = { 0 };
	assert_ok(mint_oci_image_open_mem(lg.tar.data, lg.tar.len, &img, &err), &err);
	struct mint_buf out = MINT_BUF_INIT;
	const char *id = mint_oci_image_get(img, 0)->layer_digests[0];
	assert_int_equal(stream_layer(img, id, &out, &err), MINT_EINTEGRITY);
	mint_oci_image_free(img);
	mint_buf_free(&out);
	mint_buf_free(&lg.tar);
	mint_buf_free(&lg.layer);
}

/* index.json of dir rewritten to name the image index name_index and
 * platform 1's manifest name_manifest. */
static void two_named_entries(const char *dir, const struct oci_fixture *fx,
			      const char *name_index, const char *name_manifest)
{
	struct mint_oci_kv ref_index = { MINT_OCI_ANNOTATION_REF_NAME, name_index };
	struct mint_oci_kv ref_manifest = { MINT_OCI_ANNOTATION_REF_NAME, name_manifest };
	struct mint_oci_descriptor d[2] = {
		{ .media_type = MINT_OCI_MEDIA_INDEX, .annotations = &ref_index, .n_annotations = 1 },
		{ .media_type = MINT_OCI_MEDIA_MANIFEST, .annotations = &ref_manifest,
		  .n_annotations = 1 },
	};
	const char *digests[2] = { fx->index, fx->manifest[1] };
	for (size_t i = 0; i < 2; i++) {
		struct stat st;
		char *path = blob_file(dir, digests[i]);
		assert_int_equal(stat(path, &st), 0);
		free(path);
		memcpy(d[i].digest, digests[i], MINT_OCI_DIGEST_MAX);
		d[i].size = (uint64_t)st.st_size;
	}
	struct mint_oci_index top = { .manifests = d, .n_manifests = 2 };
	struct mint_err err = { 0 };
	assert_ok(mint_oci_layout_write_index(dir, &top, &err), &err);
}

static void test_image_read_open_ref_picks_the_entry_with_that_name(void **state)
{
	(void)state;
	struct oci_fixture fx;
	char *dir = build(2, false, &fx);
	two_named_entries(dir, &fx, "1.0", "arm");
	struct mint_oci_image *img = NULL;
	struct mint_err err = { 0 };
	assert_int_equal(mint_oci_image_open(dir, &img, &err), MINT_EUNSUPPORTED);
	assert_ok(mint_oci_image_open_ref(dir, "1.0", &img, &err), &err);
	assert_string_equal(mint_oci_image_index_digest(img), fx.index);
	assert_int_equal(mint_oci_image_count(img), 2);
	mint_oci_image_free(img);
	assert_ok(mint_oci_image_open_ref(dir, "arm", &img, &err), &err);
	assert_string_equal(mint_oci_image_index_digest(img), "");
	assert_int_equal(mint_oci_image_count(img), 1);
	assert_string_equal(mint_oci_image_get(img, 0)->platform, "linux/arm64");
	mint_oci_image_free(img);
	cleanup_tmpdir(dir);
}

static void test_image_read_open_ref_unknown_or_repeated_name_is_refused(void **state)
{
	(void)state;
	struct oci_fixture fx;
	char *dir = build(2, false, &fx);
	struct mint_oci_image *img = NULL;
	struct mint_err err = { 0 };
	assert_int_equal(mint_oci_image_open_ref(dir, "2.0", &img, &err), MINT_ENOTFOUND);
	assert_non_null(strstr(err.msg, "no entry is named \"2.0\""));
	assert_null(img);
	two_named_entries(dir, &fx, "1.0", "1.0");
	assert_int_equal(mint_oci_image_open_ref(dir, "1.0", &img, &err), MINT_EDUPLICATE);
	assert_int_equal(mint_oci_image_open_ref(dir, "", &img, &err), MINT_EINVAL);
	cleanup_tmpdir(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_image_read_dir_lists_each_platform_with_its_digests),
		cmocka_unit_test(test_image_read_tar_gives_the_same_refs_as_the_dir),
		cmocka_unit_test(test_image_read_apko_index_json_is_the_image_index),
		cmocka_unit_test(test_image_read_blob_returns_the_verified_bytes),
		cmocka_unit_test(test_image_read_layer_streams_its_uncompressed_tar),
		cmocka_unit_test(test_image_read_corrupt_config_byte_is_an_integrity_error),
		cmocka_unit_test(test_image_read_layer_digest_mismatch_fails_the_last_read),
		cmocka_unit_test(test_image_read_corrupt_deflate_data_is_a_format_error),
		cmocka_unit_test(test_image_read_corrupt_manifest_fails_the_open),
		cmocka_unit_test(test_image_read_missing_blobs_are_not_found),
		cmocka_unit_test(test_image_read_blob_over_max_is_a_limit_error),
		cmocka_unit_test(test_image_read_layer_open_refuses_blobs_that_are_not_layers),
		cmocka_unit_test(test_image_read_tar_member_leaving_the_root_is_unsafe),
		cmocka_unit_test(test_image_read_tar_member_given_twice_is_a_duplicate),
		cmocka_unit_test(test_image_read_tar_member_json_error_names_the_member),
		cmocka_unit_test(test_image_read_empty_tar_is_not_an_image),
		cmocka_unit_test(test_image_read_truncated_tar_is_an_error),
		cmocka_unit_test(test_image_read_json_errors_name_the_document_and_field),
		cmocka_unit_test(test_image_read_blob_size_must_match_its_descriptor),
		cmocka_unit_test(test_image_read_docker_archive_with_manifest_json_only),
		cmocka_unit_test(test_image_read_docker_archive_layer_checked_against_its_diff_id),
		cmocka_unit_test(test_image_read_open_ref_picks_the_entry_with_that_name),
		cmocka_unit_test(test_image_read_open_ref_unknown_or_repeated_name_is_refused),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
