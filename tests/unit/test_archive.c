/* SPDX-License-Identifier: Apache-2.0 */
#include "testutil.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "mint/oci_archive.h"
#include "mint/oci_image.h"
#include "mint/tar.h"
#include "oci_image_fixture.h"

#define REPO_TAG "example.com/mint/test:1.0"

static char *build(size_t n, bool index_is_index_json, struct oci_fixture *fx)
{
	char *dir = make_tmpdir();
	struct mint_err err = { 0 };
	char *layout = malloc(strlen(dir) + 16);
	assert_non_null(layout);
	sprintf(layout, "%s/layout", dir);
	assert_ok(oci_fixture_build(layout, "1.0", n, index_is_index_json, fx, &err), &err);
	free(layout);
	return dir;
}

static char *path_in(const char *dir, const char *rel)
{
	size_t n = strlen(dir) + strlen(rel) + 2;
	char *p = malloc(n);
	assert_non_null(p);
	snprintf(p, n, "%s/%s", dir, rel);
	return p;
}

/* Writes dir/layout as dir/out.tar and reads the tar back into out. */
static void archive(const char *dir, const char *repo_tag, struct mint_buf *out)
{
	char *layout = path_in(dir, "layout"), *tar = path_in(dir, "out.tar");
	struct mint_err err = { 0 };
	assert_ok(mint_oci_archive_write(layout, repo_tag, tar, &err), &err);
	read_file_or_fail(tar, out);
	free(layout);
	free(tar);
}

struct member {
	char name[128];
	enum mint_tar_type type;
	uint32_t mode;
	struct mint_buf content;
};

/* The tar's entries, checked to have the fixed owners, times and modes. */
static size_t members(const struct mint_buf *tar, struct member *out, size_t cap)
{
	struct mint_err err = { 0 };
	struct mint_span_source ss;
	struct mint_tar_reader *r;
	assert_ok(mint_tar_reader_new(&r, mint_span_source_init(&ss, mint_buf_span(tar)), NULL,
				      MINT_TAR_END_REQUIRED, &err), &err);
	const struct mint_tar_entry *e;
	size_t n = 0;
	int rc;
	while ((rc = mint_tar_next(r, &e, &err)) == 1) {
		assert_true(n < cap);
		snprintf(out[n].name, sizeof(out[n].name), "%s", e->name);
		out[n].type = e->type;
		out[n].mode = e->mode;
		assert_int_equal(e->uid, 0);
		assert_int_equal(e->gid, 0);
		assert_int_equal(e->mtime, 0);
		assert_string_equal(e->uname, "");
		assert_string_equal(e->gname, "");
		assert_int_equal(e->n_xattrs, 0);
		out[n].content = (struct mint_buf)MINT_BUF_INIT;
		char *p = mint_buf_grow(&out[n].content, (size_t)e->size);
		assert_true(p || !e->size);
		size_t got = 0;
		for (size_t done = 0; done < e->size; done += got) {
			assert_ok(mint_tar_read(r, p + done, e->size - done, &got, &err), &err);
			assert_true(got > 0);
		}
		n++;
	}
	assert_ok(rc, &err);
	mint_tar_reader_free(r);
	return n;
}

static void free_members(struct member *m, size_t n)
{
	for (size_t i = 0; i < n; i++)
		mint_buf_free(&m[i].content);
}

static void blob_name(char *out, size_t cap, const char *digest)
{
	snprintf(out, cap, "blobs/sha256/%.64s", digest + 7);
}

static void test_archive_entries_come_in_a_fixed_order_with_fixed_attributes(void **state)
{
	(void)state;
	struct oci_fixture fx;
	char *dir = build(1, false, &fx);
	struct mint_buf tar = MINT_BUF_INIT;
	archive(dir, REPO_TAG, &tar);
	struct member m[16];
	size_t n = members(&tar, m, 16);
	const char *digests[] = { fx.index, fx.manifest[0], fx.config[0], fx.shared_layer,
				  fx.layer[0] };
	assert_int_equal(n, 5 + 5);
	assert_string_equal(m[0].name, "oci-layout");
	assert_string_equal(m[1].name, "index.json");
	assert_string_equal(m[2].name, "manifest.json");
	assert_string_equal(m[3].name, "blobs/");
	assert_string_equal(m[4].name, "blobs/sha256/");
	for (size_t i = 0; i < 5; i++) {
		char want[128];
		blob_name(want, sizeof(want), digests[i]);
		assert_string_equal(m[5 + i].name, want);
		char d[MINT_OCI_DIGEST_MAX];
		struct mint_err err = { 0 };
		assert_ok(mint_oci_digest_of(m[5 + i].content.data, m[5 + i].content.len, d, &err),
			  &err);
		assert_string_equal(d, digests[i]);
	}
	for (size_t i = 0; i < n; i++) {
		bool dir_entry = i == 3 || i == 4;
		assert_int_equal(m[i].type, dir_entry ? MINT_TAR_DIR : MINT_TAR_REG);
		assert_int_equal(m[i].mode, dir_entry ? 0755 : 0644);
	}
	assert_string_equal(mint_buf_cstr(&m[0].content),
			    "{\n    \"imageLayoutVersion\": \"1.0.0\"\n}");
	/* Two end blocks and nothing after them. */
	assert_int_equal(tar.len % 512, 0);
	free_members(m, n);
	mint_buf_free(&tar);
	cleanup_tmpdir(dir);
}

static void test_archive_one_platform_is_tagged_with_the_repo_tag(void **state)
{
	(void)state;
	struct oci_fixture fx;
	char *dir = build(1, false, &fx);
	struct mint_buf tar = MINT_BUF_INIT;
	archive(dir, REPO_TAG, &tar);
	struct member m[16];
	size_t n = members(&tar, m, 16);
	char want[4096];
	snprintf(want, sizeof(want),
		 "[{\"Config\":\"blobs/sha256/%s\",\"RepoTags\":[\"" REPO_TAG "\"],"
		 "\"Layers\":[\"blobs/sha256/%s\",\"blobs/sha256/%s\"]}]",
		 fx.config[0] + 7, fx.shared_layer + 7, fx.layer[0] + 7);
	assert_string_equal(mint_buf_cstr(&m[2].content), want);
	free_members(m, n);
	mint_buf_free(&tar);
	cleanup_tmpdir(dir);
}

static void test_archive_index_json_names_the_image_index_by_its_full_reference(void **state)
{
	(void)state;
	struct oci_fixture fx;
	char *dir = build(2, false, &fx);
	struct mint_buf tar = MINT_BUF_INIT;
	archive(dir, REPO_TAG, &tar);
	struct member m[16];
	size_t n = members(&tar, m, 16);
	char want[4096];
	snprintf(want, sizeof(want),
		 "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.index.v1+json\","
		 "\"manifests\":[{\"mediaType\":\"application/vnd.oci.image.index.v1+json\","
		 "\"size\":%zu,\"digest\":\"%s\",\"annotations\":"
		 "{\"io.containerd.image.name\":\"" REPO_TAG "\","
		 "\"org.opencontainers.image.ref.name\":\"" REPO_TAG "\"}}]}",
		 m[5].content.len, fx.index);
	assert_string_equal(mint_buf_cstr(&m[1].content), want);
	free_members(m, n);
	mint_buf_free(&tar);
	cleanup_tmpdir(dir);
}

static void test_archive_platforms_get_collision_free_arch_tags(void **state)
{
	(void)state;
	struct oci_fixture fx;
	char *dir = build(3, false, &fx);
	struct mint_buf tar = MINT_BUF_INIT;
	archive(dir, "localhost:5000/mint", &tar);
	struct member m[32];
	size_t n = members(&tar, m, 32);
	const char *manifest = mint_buf_cstr(&m[2].content);
	const char *tags[] = { "[\"localhost:5000/mint:latest-amd64\"]",
			       "[\"localhost:5000/mint:latest-arm64\"]",
			       "[\"localhost:5000/mint:latest-arm-v7\"]" };
	const char *at = manifest;
	for (size_t i = 0; i < 3; i++) {
		char cfg[128];
		snprintf(cfg, sizeof(cfg), "{\"Config\":\"blobs/sha256/%s\"", fx.config[i] + 7);
		const char *item = strstr(at, cfg);
		assert_non_null(item);
		const char *tag = strstr(item, tags[i]);
		assert_non_null(tag);
		at = tag;
	}
	/* index, 3 manifests, 3 configs, the shared layer once, 3 own layers */
	assert_int_equal(n, 5 + 1 + 3 + 3 + 1 + 3);
	free_members(m, n);
	mint_buf_free(&tar);
	cleanup_tmpdir(dir);
}

static void test_archive_platform_tag_spells_os_arch_and_variant(void **state)
{
	(void)state;
	struct mint_buf out = MINT_BUF_INIT;
	struct mint_err err = { 0 };
	const char *cases[][3] = {
		{ "r:t", "linux/amd64", "r:t-amd64" },
		{ "r:t", "linux/arm/v7", "r:t-arm-v7" },
		{ "r:t", "linux/arm/v6", "r:t-arm-v6" },
		{ "r:t", "linux/arm64/v8", "r:t-arm64-v8" },
		{ "r:t", "windows/amd64", "r:t-windows-amd64" },
		{ "reg.io:443/a/b", "linux/s390x", "reg.io:443/a/b:latest-s390x" },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		assert_ok(mint_oci_archive_platform_tag(cases[i][0], cases[i][1], &out, &err), &err);
		assert_string_equal(mint_buf_cstr(&out), cases[i][2]);
	}
	assert_int_equal(mint_oci_archive_platform_tag("r:t", "linux", &out, &err), MINT_EINVAL);
	assert_int_equal(mint_oci_archive_platform_tag("r:t", "/amd64", &out, &err), MINT_EINVAL);
	char long_tag[200];
	memset(long_tag, 'a', sizeof(long_tag));
	memcpy(long_tag, "r:", 2);
	long_tag[2 + 125] = '\0';
	assert_int_equal(mint_oci_archive_platform_tag(long_tag, "linux/amd64", &out, &err),
			 MINT_EINVAL);
	mint_buf_free(&out);
}

static size_t count_files(const char *dir)
{
	DIR *d = opendir(dir);
	assert_non_null(d);
	size_t n = 0;
	struct dirent *de;
	while ((de = readdir(d)))
		if (strcmp(de->d_name, ".") && strcmp(de->d_name, ".."))
			n++;
	closedir(d);
	return n;
}

static void test_archive_refuses_names_docker_would_refuse(void **state)
{
	(void)state;
	struct oci_fixture fx;
	char *dir = build(1, false, &fx);
	char *layout = path_in(dir, "layout"), *tar = path_in(dir, "out.tar");
	const char *bad[] = {
		"", "r@sha256:5f70bf18a086007016e948b04aed3b82103a36bea41755b6cddfaf10ace3c6ef",
		"Upper/case:t", "r:bad tag", "r:-dash", "/r:t", "r/:t", "a//b:t", ":t", "r:",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct mint_err err = { 0 };
		int rc = mint_oci_archive_write(layout, bad[i], tar, &err);
		if (rc != MINT_EINVAL)
			fail_msg("\"%s\": %d %s", bad[i], rc, err.msg);
	}
	struct mint_err err = { 0 };
	assert_int_equal(mint_oci_archive_write(layout, NULL, tar, &err), MINT_EINVAL);
	assert_int_equal(count_files(dir), 1);
	free(layout);
	free(tar);
	cleanup_tmpdir(dir);
}

static void test_archive_corrupt_blob_fails_and_leaves_no_file(void **state)
{
	(void)state;
	struct oci_fixture fx;
	char *dir = build(2, false, &fx);
	char *layout = path_in(dir, "layout"), *tar = path_in(dir, "out.tar");
	char *blob = mint_oci_blob_path(layout, fx.layer[1]);
	assert_non_null(blob);
	/* The gzip header's mtime: still a valid gzip, no longer its digest. */
	FILE *f = fopen(blob, "r+b");
	assert_non_null(f);
	assert_int_equal(fseek(f, 4, SEEK_SET), 0);
	fputc(0x7f, f);
	assert_int_equal(fclose(f), 0);
	struct mint_err err = { 0 };
	assert_int_equal(mint_oci_archive_write(layout, REPO_TAG, tar, &err), MINT_EINTEGRITY);
	assert_non_null(strstr(err.msg, fx.layer[1]));
	assert_int_equal(count_files(dir), 1);
	free(blob);
	free(layout);
	free(tar);
	cleanup_tmpdir(dir);
}

static void test_archive_same_layout_gives_the_same_bytes(void **state)
{
	(void)state;
	struct oci_fixture fx;
	char *dir = build(2, false, &fx);
	struct mint_buf one = MINT_BUF_INIT, two = MINT_BUF_INIT;
	archive(dir, REPO_TAG, &one);
	archive(dir, REPO_TAG, &two);
	assert_int_equal(one.len, two.len);
	assert_memory_equal(one.data, two.data, one.len);
	mint_buf_free(&one);
	mint_buf_free(&two);
	cleanup_tmpdir(dir);
}

/* apko's index.json is the image index; in the archive it becomes a blob. */
static void test_archive_apko_layout_index_becomes_a_blob(void **state)
{
	(void)state;
	struct oci_fixture fx;
	char *dir = build(2, true, &fx);
	struct mint_buf tar = MINT_BUF_INIT, index = MINT_BUF_INIT;
	archive(dir, REPO_TAG, &tar);
	char *index_path = path_in(dir, "layout/index.json");
	read_file_or_fail(index_path, &index);
	struct member m[32];
	size_t n = members(&tar, m, 32);
	char want[128];
	blob_name(want, sizeof(want), fx.index);
	assert_string_equal(m[5].name, want);
	assert_int_equal(m[5].content.len, index.len);
	assert_memory_equal(m[5].content.data, index.data, index.len);
	struct mint_oci_image *img;
	struct mint_err err = { 0 };
	assert_ok(mint_oci_image_open_mem(tar.data, tar.len, &img, &err), &err);
	assert_string_equal(mint_oci_image_index_digest(img), fx.index);
	assert_int_equal(mint_oci_image_count(img), 2);
	mint_oci_image_free(img);
	free_members(m, n);
	free(index_path);
	mint_buf_free(&index);
	mint_buf_free(&tar);
	cleanup_tmpdir(dir);
}

static void test_archive_needs_a_layout(void **state)
{
	(void)state;
	char *dir = make_tmpdir();
	char *tar = path_in(dir, "out.tar");
	struct mint_err err = { 0 };
	assert_int_equal(mint_oci_archive_write(dir, REPO_TAG, tar, &err), MINT_ENOTFOUND);
	assert_int_equal(mint_oci_archive_write(NULL, REPO_TAG, tar, &err), MINT_EINVAL);
	assert_int_equal(count_files(dir), 0);
	free(tar);
	cleanup_tmpdir(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_archive_entries_come_in_a_fixed_order_with_fixed_attributes),
		cmocka_unit_test(test_archive_one_platform_is_tagged_with_the_repo_tag),
		cmocka_unit_test(test_archive_index_json_names_the_image_index_by_its_full_reference),
		cmocka_unit_test(test_archive_platforms_get_collision_free_arch_tags),
		cmocka_unit_test(test_archive_platform_tag_spells_os_arch_and_variant),
		cmocka_unit_test(test_archive_refuses_names_docker_would_refuse),
		cmocka_unit_test(test_archive_corrupt_blob_fails_and_leaves_no_file),
		cmocka_unit_test(test_archive_same_layout_gives_the_same_bytes),
		cmocka_unit_test(test_archive_apko_layout_index_becomes_a_blob),
		cmocka_unit_test(test_archive_needs_a_layout),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
