/* SPDX-License-Identifier: Apache-2.0 */
#include "testutil.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "mint/fs.h"
#include "mint/oci.h"

static char *path_in(const char *dir, const char *rel)
{
	char *p = malloc(strlen(dir) + strlen(rel) + 2);
	assert_non_null(p);
	sprintf(p, "%s/%s", dir, rel);
	return p;
}

static void assert_file_is(const char *dir, const char *rel, const char *want, size_t len)
{
	char *p = path_in(dir, rel);
	struct mint_buf b = MINT_BUF_INIT;
	read_file_or_fail(p, &b);
	assert_int_equal(b.len, len);
	assert_memory_equal(b.data, want, len);
	mint_buf_free(&b);
	free(p);
}

/* Entries of dir/blobs/sha256, sorted names joined by ' '. */
static void list_blobs(const char *dir, char *out, size_t cap)
{
	char *p = path_in(dir, "blobs/sha256");
	struct dirent **names;
	int n = scandir(p, &names, NULL, alphasort);
	assert_true(n >= 0);
	out[0] = '\0';
	for (int i = 0; i < n; i++) {
		if (strcmp(names[i]->d_name, ".") && strcmp(names[i]->d_name, "..")) {
			strncat(out, names[i]->d_name, cap - strlen(out) - 2);
			strcat(out, " ");
		}
		free(names[i]);
	}
	free(names);
	free(p);
}

static void test_layout_init_writes_oci_layout_as_go_does(void **state)
{
	(void)state;
	char *tmp = make_tmpdir();
	char *dir = path_in(tmp, "img");
	struct mint_err err = { 0 };
	assert_ok(mint_oci_layout_init(dir, &err), &err);
	assert_ok(mint_oci_layout_init(dir, &err), &err);
	const char want[] = "{\n    \"imageLayoutVersion\": \"1.0.0\"\n}";
	assert_file_is(dir, "oci-layout", want, sizeof(want) - 1);
	char *blobs = path_in(dir, "blobs/sha256");
	struct stat st;
	assert_int_equal(stat(blobs, &st), 0);
	assert_true(S_ISDIR(st.st_mode));
	free(blobs);
	free(dir);
	cleanup_tmpdir(tmp);
}

static void test_layout_init_fails_when_a_file_is_in_the_way(void **state)
{
	(void)state;
	char *tmp = make_tmpdir();
	char *dir = path_in(tmp, "img");
	struct mint_err err = { 0 };
	assert_ok(mint_file_write_atomic(dir, "x", 1, 0644, &err), &err);
	assert_int_equal(mint_oci_layout_init(dir, &err), MINT_EIO);
	assert_string_equal(err.file, dir);
	free(dir);
	cleanup_tmpdir(tmp);
}

static void test_put_blob_names_the_file_by_its_sha256(void **state)
{
	(void)state;
	char *dir = make_tmpdir();
	struct mint_err err = { 0 };
	assert_ok(mint_oci_layout_init(dir, &err), &err);
	struct mint_oci_descriptor d;
	assert_ok(mint_oci_layout_put_blob(dir, "text/plain", "hello\n", 6, &d, &err), &err);
	assert_string_equal(d.media_type, "text/plain");
	assert_int_equal(d.size, 6);
	assert_string_equal(d.digest,
		"sha256:5891b5b522d5df086d0ff0b110fbd9d21bb4fc7163af34d08286a2e846f6be03");
	assert_file_is(dir, "blobs/sha256/5891b5b522d5df086d0ff0b110fbd9d21bb4fc7163af34d08286a2e846f6be03",
		       "hello\n", 6);
	/* Writing it again replaces it with the same bytes. */
	assert_ok(mint_oci_layout_put_blob(dir, "text/plain", "hello\n", 6, &d, &err), &err);
	char names[512];
	list_blobs(dir, names, sizeof(names));
	assert_string_equal(names, "5891b5b522d5df086d0ff0b110fbd9d21bb4fc7163af34d08286a2e846f6be03 ");
	cleanup_tmpdir(dir);
}

static void test_blob_writer_renames_to_the_digest_and_leaves_no_temporary(void **state)
{
	(void)state;
	char *dir = make_tmpdir();
	struct mint_err err = { 0 };
	assert_ok(mint_oci_layout_init(dir, &err), &err);
	struct mint_oci_blob_writer w;
	assert_ok(mint_oci_blob_begin(&w, dir, &err), &err);
	char names[512];
	list_blobs(dir, names, sizeof(names));
	assert_true(strncmp(names, ".blob.", 6) == 0);
	assert_ok(mint_oci_blob_write(&w, "hel", 3, &err), &err);
	assert_ok(mint_oci_blob_write(&w, "lo\n", 3, &err), &err);
	struct mint_oci_descriptor d;
	assert_ok(mint_oci_blob_commit(&w, "text/plain", &d, &err), &err);
	assert_int_equal(d.size, 6);
	assert_string_equal(d.digest,
		"sha256:5891b5b522d5df086d0ff0b110fbd9d21bb4fc7163af34d08286a2e846f6be03");
	list_blobs(dir, names, sizeof(names));
	assert_string_equal(names, "5891b5b522d5df086d0ff0b110fbd9d21bb4fc7163af34d08286a2e846f6be03 ");
	assert_int_equal(mint_oci_blob_write(&w, "x", 1, &err), MINT_EINVAL);
	mint_oci_blob_abort(&w);
	cleanup_tmpdir(dir);
}

static void test_blob_writer_abort_removes_the_temporary(void **state)
{
	(void)state;
	char *dir = make_tmpdir();
	struct mint_err err = { 0 };
	assert_ok(mint_oci_layout_init(dir, &err), &err);
	struct mint_oci_blob_writer w;
	assert_ok(mint_oci_blob_begin(&w, dir, &err), &err);
	assert_ok(mint_oci_blob_write(&w, "partial", 7, &err), &err);
	mint_oci_blob_abort(&w);
	mint_oci_blob_abort(&w);
	char names[512];
	list_blobs(dir, names, sizeof(names));
	assert_string_equal(names, "");
	cleanup_tmpdir(dir);
}

static void test_blob_writer_needs_the_blobs_directory(void **state)
{
	(void)state;
	char *dir = make_tmpdir();
	struct mint_err err = { 0 };
	struct mint_oci_blob_writer w;
	assert_int_equal(mint_oci_blob_begin(&w, dir, &err), MINT_EIO);
	assert_non_null(strstr(err.file, "blobs/sha256"));
	mint_oci_blob_abort(&w);
	cleanup_tmpdir(dir);
}

static void test_put_config_and_manifest_then_write_index(void **state)
{
	(void)state;
	char *dir = make_tmpdir();
	struct mint_err err = { 0 };
	assert_ok(mint_oci_layout_init(dir, &err), &err);
	struct mint_oci_image_config c = { .architecture = "amd64", .os = "linux" };
	struct mint_oci_manifest m = { 0 };
	assert_ok(mint_oci_layout_put_config(dir, &c, &m.config, &err), &err);
	assert_string_equal(m.config.media_type, MINT_OCI_MEDIA_CONFIG);
	struct mint_oci_descriptor md;
	assert_ok(mint_oci_layout_put_manifest(dir, &m, &md, &err), &err);
	assert_string_equal(md.media_type, MINT_OCI_MEDIA_MANIFEST);
	struct mint_oci_kv ref = { MINT_OCI_ANNOTATION_REF_NAME, "t" };
	md.annotations = &ref;
	md.n_annotations = 1;
	struct mint_oci_index ix = { .manifests = &md, .n_manifests = 1 };
	assert_ok(mint_oci_layout_write_index(dir, &ix, &err), &err);
	struct mint_buf want = MINT_BUF_INIT;
	assert_ok(mint_oci_index_json(&ix, &want, &err), &err);
	assert_file_is(dir, "index.json", want.data, want.len);
	/* The manifest blob's bytes are its canonical JSON. */
	struct mint_buf mj = MINT_BUF_INIT;
	assert_ok(mint_oci_manifest_json(&m, &mj, &err), &err);
	char *rel = mint_oci_blob_path(".", md.digest);
	assert_non_null(rel);
	assert_file_is(dir, rel + 2, mj.data, mj.len);
	free(rel);
	mint_buf_free(&want);
	mint_buf_free(&mj);
	cleanup_tmpdir(dir);
}

static void test_blob_path_refuses_a_bad_digest(void **state)
{
	(void)state;
	assert_null(mint_oci_blob_path("d", "sha256:../../etc/passwd"));
	assert_null(mint_oci_blob_path("d", "md5:00"));
	char *p = mint_oci_blob_path("d", "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
	assert_string_equal(p, "d/blobs/sha256/e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
	free(p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_layout_init_writes_oci_layout_as_go_does),
		cmocka_unit_test(test_layout_init_fails_when_a_file_is_in_the_way),
		cmocka_unit_test(test_put_blob_names_the_file_by_its_sha256),
		cmocka_unit_test(test_blob_writer_renames_to_the_digest_and_leaves_no_temporary),
		cmocka_unit_test(test_blob_writer_abort_removes_the_temporary),
		cmocka_unit_test(test_blob_writer_needs_the_blobs_directory),
		cmocka_unit_test(test_put_config_and_manifest_then_write_index),
		cmocka_unit_test(test_blob_path_refuses_a_bad_digest),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
