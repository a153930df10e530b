/* SPDX-License-Identifier: Apache-2.0 */
#include "testutil.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mint/fs.h"
#include "mint/gzip.h"
#include "mint/hash.h"
#include "mint/oci_layer.h"
#include "mint/tar.h"

static const struct mint_oci_entry_attr root_dir = { .mode = 0755, .mtime = 0 };
static const struct mint_oci_entry_attr root_file = { .mode = 0644, .mtime = 1700000000 };

static char *new_layout(void)
{
	char *dir = make_tmpdir();
	struct mint_err err = { 0 };
	assert_ok(mint_oci_layout_init(dir, &err), &err);
	return dir;
}

static struct mint_oci_layer *new_layer(const char *dir, unsigned threads)
{
	struct mint_oci_layer *l;
	struct mint_err err = { 0 };
	assert_ok(mint_oci_layer_new(&l, dir, threads, 6, &err), &err);
	return l;
}

/* The blob of info, read back. */
static void read_blob(const char *dir, const struct mint_oci_layer_info *info, struct mint_buf *out)
{
	char *p = mint_oci_blob_path(dir, info->desc.digest);
	assert_non_null(p);
	read_file_or_fail(p, out);
	free(p);
}

static void sha256_text(const void *data, size_t len, char out[MINT_OCI_DIGEST_MAX])
{
	struct mint_err err = { 0 };
	assert_ok(mint_oci_digest_of(data, len, out, &err), &err);
}

/* A few entries of every kind; big_len bytes of content in "big". */
static void add_sample(struct mint_oci_layer *l, size_t big_len)
{
	struct mint_err err = { 0 };
	struct mint_oci_entry_attr user = { .mode = 04750, .uid = 1000, .gid = 1001,
					    .uname = "nonroot", .gname = "staff", .mtime = 42 };
	unsigned char cap[] = { 1, 0, 0, 2 };
	struct mint_xattr x = { "security.capability", cap, sizeof(cap) };
	struct mint_oci_entry_attr with_xattr = root_file;
	with_xattr.xattrs = &x;
	with_xattr.n_xattrs = 1;
	unsigned char *big = malloc(big_len);
	assert_non_null(big);
	for (size_t i = 0; i < big_len; i++)
		big[i] = (unsigned char)(i * 7 + i / 1000);
	assert_ok(mint_oci_layer_add_dir(l, "etc", &root_dir, &err), &err);
	assert_ok(mint_oci_layer_add_file(l, "etc/motd", &root_file, "hello\n", 6, &err), &err);
	assert_ok(mint_oci_layer_add_file(l, "etc/empty", &root_file, NULL, 0, &err), &err);
	assert_ok(mint_oci_layer_add_symlink(l, "etc/issue", &root_file, "/etc/motd", &err), &err);
	assert_ok(mint_oci_layer_add_hardlink(l, "etc/motd.hard", &root_file, "etc/motd", &err),
		  &err);
	assert_ok(mint_oci_layer_add_device(l, "etc/null", &root_file, MINT_TAR_CHAR, 1, 3, &err),
		  &err);
	assert_ok(mint_oci_layer_add_device(l, "etc/fifo", &root_file, MINT_TAR_FIFO, 0, 0, &err),
		  &err);
	assert_ok(mint_oci_layer_add_file(l, "etc/ping", &with_xattr, "p", 1, &err), &err);
	assert_ok(mint_oci_layer_add_file(l, "etc/secret", &user, "s", 1, &err), &err);
	struct mint_span_source src;
	assert_ok(mint_oci_layer_add_file_from(l, "big", &root_file, big_len,
					       mint_span_source_init(&src, MINT_SPAN(big, big_len)),
					       &err), &err);
	free(big);
}

static void finish_ok(struct mint_oci_layer *l, struct mint_oci_layer_info *info)
{
	struct mint_err err = { 0 };
	assert_ok(mint_oci_layer_finish(l, info, &err), &err);
}

static void test_layer_digest_names_the_blob_and_diff_id_hashes_the_tar(void **state)
{
	(void)state;
	char *dir = new_layout();
	struct mint_oci_layer *l = new_layer(dir, 2);
	add_sample(l, 3 << 20);
	struct mint_oci_layer_info info;
	finish_ok(l, &info);
	mint_oci_layer_free(l);
	assert_string_equal(info.desc.media_type, MINT_OCI_MEDIA_LAYER_GZIP);
	struct mint_buf gz = MINT_BUF_INIT, tar = MINT_BUF_INIT;
	read_blob(dir, &info, &gz);
	assert_int_equal(gz.len, info.desc.size);
	char d[MINT_OCI_DIGEST_MAX];
	sha256_text(gz.data, gz.len, d);
	assert_string_equal(d, info.desc.digest);
	struct mint_err err = { 0 };
	size_t member = 0;
	assert_ok(mint_gunzip_member(mint_buf_span(&gz), NULL, &tar, &member, &err), &err);
	assert_int_equal(member, gz.len);
	assert_int_equal(tar.len, info.tar_bytes);
	sha256_text(tar.data, tar.len, d);
	assert_string_equal(d, info.diff_id);
	/* Ends with exactly two zero blocks, no padding to a 10240-byte record. */
	assert_int_equal(tar.len % 512, 0);
	for (size_t i = tar.len - 1024; i < tar.len; i++)
		assert_int_equal(tar.data[i], 0);
	mint_buf_free(&gz);
	mint_buf_free(&tar);
	cleanup_tmpdir(dir);
}

static void test_layer_entries_read_back_with_the_callers_attributes(void **state)
{
	(void)state;
	char *dir = new_layout();
	struct mint_oci_layer *l = new_layer(dir, 1);
	add_sample(l, 1000);
	struct mint_oci_layer_info info;
	finish_ok(l, &info);
	mint_oci_layer_free(l);
	struct mint_buf gz = MINT_BUF_INIT, tar = MINT_BUF_INIT;
	read_blob(dir, &info, &gz);
	struct mint_err err = { 0 };
	assert_ok(mint_gunzip_member(mint_buf_span(&gz), NULL, &tar, NULL, &err), &err);
	struct mint_span_source ss;
	struct mint_tar_reader *r;
	assert_ok(mint_tar_reader_new(&r, mint_span_source_init(&ss, mint_buf_span(&tar)), NULL,
				      MINT_TAR_END_REQUIRED, &err), &err);
	const char *want[] = { "etc", "etc/motd", "etc/empty", "etc/issue", "etc/motd.hard",
			       "etc/null", "etc/fifo", "etc/ping", "etc/secret", "big" };
	const struct mint_tar_entry *e;
	for (size_t i = 0; i < 10; i++) {
		assert_int_equal(mint_tar_next(r, &e, &err), 1);
		assert_string_equal(e->name, want[i]);
		switch (i) {
		case 0:
			assert_int_equal(e->type, MINT_TAR_DIR);
			assert_int_equal(e->mode, 0755);
			assert_int_equal(e->mtime, 0);
			break;
		case 1: {
			char buf[16];
			size_t got;
			assert_int_equal(e->size, 6);
			assert_ok(mint_tar_read(r, buf, sizeof(buf), &got, &err), &err);
			assert_int_equal(got, 6);
			assert_memory_equal(buf, "hello\n", 6);
			assert_int_equal(e->mtime, 1700000000);
			break;
		}
		case 3:
			assert_int_equal(e->type, MINT_TAR_SYMLINK);
			assert_string_equal(e->link_target, "/etc/motd");
			break;
		case 4:
			assert_int_equal(e->type, MINT_TAR_HARDLINK);
			assert_string_equal(e->link_target, "etc/motd");
			break;
		case 5:
			assert_int_equal(e->type, MINT_TAR_CHAR);
			assert_int_equal(e->devmajor, 1);
			assert_int_equal(e->devminor, 3);
			break;
		case 6:
			assert_int_equal(e->type, MINT_TAR_FIFO);
			break;
		case 7:
			assert_int_equal(e->n_xattrs, 1);
			assert_string_equal(e->xattrs[0].name, "security.capability");
			break;
		case 8:
			assert_int_equal(e->mode, 04750);
			assert_int_equal(e->uid, 1000);
			assert_int_equal(e->gid, 1001);
			assert_string_equal(e->uname, "nonroot");
			assert_string_equal(e->gname, "staff");
			assert_int_equal(e->mtime, 42);
			break;
		case 9:
			assert_int_equal(e->size, 1000);
			break;
		default:
			break;
		}
	}
	assert_int_equal(mint_tar_next(r, &e, &err), 0);
	mint_tar_reader_free(r);
	mint_buf_free(&gz);
	mint_buf_free(&tar);
	cleanup_tmpdir(dir);
}

static void test_layer_bytes_do_not_depend_on_threads(void **state)
{
	(void)state;
	char *dir = new_layout();
	struct mint_oci_layer_info one, three;
	struct mint_oci_layer *l = new_layer(dir, 1);
	add_sample(l, (5 << 20) / 2);
	finish_ok(l, &one);
	mint_oci_layer_free(l);
	l = new_layer(dir, 3);
	add_sample(l, (5 << 20) / 2);
	finish_ok(l, &three);
	mint_oci_layer_free(l);
	assert_string_equal(one.desc.digest, three.desc.digest);
	assert_string_equal(one.diff_id, three.diff_id);
	assert_int_equal(one.desc.size, three.desc.size);
	cleanup_tmpdir(dir);
}

/* The empty layer is the 1024 zero bytes every registry knows. */
static void test_layer_with_no_entries_has_the_well_known_diff_id(void **state)
{
	(void)state;
	char *dir = new_layout();
	struct mint_oci_layer *l = new_layer(dir, 1);
	struct mint_oci_layer_info info;
	finish_ok(l, &info);
	mint_oci_layer_free(l);
	assert_string_equal(info.diff_id,
		"sha256:5f70bf18a086007016e948b04aed3b82103a36bea41755b6cddfaf10ace3c6ef");
	assert_int_equal(info.tar_bytes, 1024);
	cleanup_tmpdir(dir);
}

static void test_layer_refuses_names_that_are_not_clean(void **state)
{
	(void)state;
	const char *bad[] = { "/etc", "./etc", "etc/", "a/../b", "..", "", "a//b" };
	char *dir = new_layout();
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct mint_oci_layer *l = new_layer(dir, 1);
		struct mint_err err = { 0 };
		int rc = mint_oci_layer_add_dir(l, bad[i], &root_dir, &err);
		assert_true(rc == MINT_EUNSAFE);
		assert_non_null(strstr(err.msg, "entry name"));
		/* The writer stays failed. */
		mint_err_clear(&err);
		assert_int_equal(mint_oci_layer_add_dir(l, "ok", &root_dir, &err), rc);
		struct mint_oci_layer_info info;
		assert_int_equal(mint_oci_layer_finish(l, &info, &err), rc);
		mint_oci_layer_free(l);
	}
	cleanup_tmpdir(dir);
}

static void test_layer_refuses_bad_links_devices_and_owner_names(void **state)
{
	(void)state;
	char *dir = new_layout();
	struct mint_err err = { 0 };
	struct mint_oci_layer *l = new_layer(dir, 1);
	assert_int_equal(mint_oci_layer_add_hardlink(l, "a", &root_file, "/etc/motd", &err),
			 MINT_EUNSAFE);
	mint_oci_layer_free(l);
	l = new_layer(dir, 1);
	assert_int_equal(mint_oci_layer_add_symlink(l, "a", &root_file, "", &err), MINT_EINVAL);
	mint_oci_layer_free(l);
	l = new_layer(dir, 1);
	assert_int_equal(mint_oci_layer_add_device(l, "a", &root_file, MINT_TAR_REG, 1, 1, &err),
			 MINT_EINVAL);
	mint_oci_layer_free(l);
	l = new_layer(dir, 1);
	struct mint_oci_entry_attr a = root_file;
	a.uname = "a-user-name-that-is-longer-than-32";
	assert_int_equal(mint_oci_layer_add_file(l, "a", &a, "x", 1, &err), MINT_EINVAL);
	assert_non_null(strstr(err.msg, "longer than 32 bytes"));
	mint_oci_layer_free(l);
	l = new_layer(dir, 1);
	assert_int_equal(mint_oci_layer_add_file(l, "a", NULL, "x", 1, &err), MINT_EINVAL);
	mint_oci_layer_free(l);
	l = new_layer(dir, 1);
	assert_int_equal(mint_oci_layer_add_file(l, "a", &root_file, NULL, 1, &err), MINT_EINVAL);
	mint_oci_layer_free(l);
	cleanup_tmpdir(dir);
}

static void test_layer_short_source_is_truncated(void **state)
{
	(void)state;
	char *dir = new_layout();
	struct mint_oci_layer *l = new_layer(dir, 1);
	struct mint_err err = { 0 };
	struct mint_span_source src;
	int rc = mint_oci_layer_add_file_from(l, "f", &root_file, 10,
					      mint_span_source_init(&src, MINT_SPAN("abc", 3)), &err);
	assert_int_equal(rc, MINT_ETRUNCATED);
	assert_non_null(strstr(err.msg, "ended after 3 of 10 bytes"));
	mint_oci_layer_free(l);
	cleanup_tmpdir(dir);
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

static size_t count_blob_files(const char *dir)
{
	char path[4200];
	snprintf(path, sizeof(path), "%s/blobs/sha256", dir);
	return count_files(path);
}

static void test_layer_freed_unfinished_leaves_no_file(void **state)
{
	(void)state;
	char *dir = new_layout();
	struct mint_oci_layer *l = new_layer(dir, 2);
	add_sample(l, 2 << 20);
	assert_int_equal(count_blob_files(dir), 1);
	mint_oci_layer_free(l);
	assert_int_equal(count_blob_files(dir), 0);
	mint_oci_layer_free(NULL);
	cleanup_tmpdir(dir);
}

static void test_layer_after_finish_refuses_more(void **state)
{
	(void)state;
	char *dir = new_layout();
	struct mint_oci_layer *l = new_layer(dir, 1);
	struct mint_oci_layer_info info;
	finish_ok(l, &info);
	struct mint_err err = { 0 };
	assert_int_equal(mint_oci_layer_add_dir(l, "etc", &root_dir, &err), MINT_EINVAL);
	assert_int_equal(mint_oci_layer_finish(l, &info, &err), MINT_EINVAL);
	mint_oci_layer_free(l);
	assert_int_equal(count_blob_files(dir), 1);
	cleanup_tmpdir(dir);
}

static void test_layer_needs_a_layout(void **state)
{
	(void)state;
	char *dir = make_tmpdir();
	struct mint_oci_layer *l = (void *)1;
	struct mint_err err = { 0 };
	assert_int_equal(mint_oci_layer_new(&l, dir, 1, 6, &err), MINT_EIO);
	assert_null(l);
	assert_int_equal(mint_oci_layer_new(&l, dir, 1, 99, &err), MINT_EINVAL);
	cleanup_tmpdir(dir);
}


static char *plain_path(const char *dir)
{
	size_t n = strlen(dir) + 32;
	char *p = malloc(n);
	assert_non_null(p);
	snprintf(p, n, "%s/rootfs.tar", dir);
	return p;
}

static void test_layer_plain_writes_the_tar_named_by_its_diff_id(void **state)
{
	(void)state;
	char *dir = make_tmpdir();
	char *path = plain_path(dir);
	struct mint_oci_layer *l;
	struct mint_err err = { 0 };
	assert_ok(mint_oci_layer_new_plain(&l, path, &err), &err);
	add_sample(l, 100000);
	assert_int_equal(count_files(dir), 1); /* the temporary file beside path */
	struct mint_oci_layer_info info;
	finish_ok(l, &info);
	mint_oci_layer_free(l);
	assert_string_equal(info.desc.media_type, MINT_OCI_MEDIA_LAYER_TAR);
	assert_string_equal(info.desc.media_type, "application/vnd.oci.image.layer.v1.tar");
	assert_string_equal(info.desc.digest, info.diff_id);
	struct mint_buf tar = MINT_BUF_INIT;
	read_file_or_fail(path, &tar);
	assert_int_equal(tar.len, info.tar_bytes);
	assert_int_equal(tar.len, info.desc.size);
	char d[MINT_OCI_DIGEST_MAX];
	sha256_text(tar.data, tar.len, d);
	assert_string_equal(d, info.diff_id);
	assert_int_equal(count_files(dir), 1);
	mint_buf_free(&tar);
	free(path);
	cleanup_tmpdir(dir);
}

static void test_layer_plain_tar_is_the_gzip_layers_tar(void **state)
{
	(void)state;
	char *layout = new_layout();
	struct mint_oci_layer *l = new_layer(layout, 2);
	add_sample(l, 3 << 20);
	struct mint_oci_layer_info gz_info, plain_info;
	finish_ok(l, &gz_info);
	mint_oci_layer_free(l);
	char *dir = make_tmpdir();
	char *path = plain_path(dir);
	struct mint_err err = { 0 };
	assert_ok(mint_oci_layer_new_plain(&l, path, &err), &err);
	add_sample(l, 3 << 20);
	finish_ok(l, &plain_info);
	mint_oci_layer_free(l);
	assert_string_equal(plain_info.diff_id, gz_info.diff_id);
	assert_int_equal(plain_info.tar_bytes, gz_info.tar_bytes);
	free(path);
	cleanup_tmpdir(dir);
	cleanup_tmpdir(layout);
}

static void test_layer_plain_freed_unfinished_leaves_no_file(void **state)
{
	(void)state;
	char *dir = make_tmpdir();
	char *path = plain_path(dir);
	struct mint_oci_layer *l;
	struct mint_err err = { 0 };
	assert_ok(mint_oci_layer_new_plain(&l, path, &err), &err);
	add_sample(l, 1000);
	mint_oci_layer_free(l);
	assert_int_equal(count_files(dir), 0);
	free(path);
	cleanup_tmpdir(dir);
}

static void test_layer_plain_keeps_the_old_file_when_an_entry_fails(void **state)
{
	(void)state;
	char *dir = make_tmpdir();
	char *path = plain_path(dir);
	struct mint_err err = { 0 };
	assert_ok(mint_file_write_atomic(path, "old", 3, 0644, &err), &err);
	struct mint_oci_layer *l;
	assert_ok(mint_oci_layer_new_plain(&l, path, &err), &err);
	assert_int_equal(mint_oci_layer_add_dir(l, "../etc", &root_dir, &err), MINT_EUNSAFE);
	struct mint_oci_layer_info info;
	assert_int_equal(mint_oci_layer_finish(l, &info, &err), MINT_EUNSAFE);
	mint_oci_layer_free(l);
	struct mint_buf old = MINT_BUF_INIT;
	read_file_or_fail(path, &old);
	assert_string_equal(mint_buf_cstr(&old), "old");
	assert_int_equal(count_files(dir), 1);
	mint_buf_free(&old);
	free(path);
	cleanup_tmpdir(dir);
}

static void test_layer_plain_needs_a_writable_path(void **state)
{
	(void)state;
	char *dir = make_tmpdir();
	size_t n = strlen(dir) + 32;
	char *path = malloc(n);
	assert_non_null(path);
	snprintf(path, n, "%s/missing/rootfs.tar", dir);
	struct mint_oci_layer *l = (void *)1;
	struct mint_err err = { 0 };
	assert_int_equal(mint_oci_layer_new_plain(&l, path, &err), MINT_EIO);
	assert_null(l);
	assert_int_equal(mint_oci_layer_new_plain(&l, NULL, &err), MINT_EINVAL);
	assert_int_equal(mint_oci_layer_new_plain(&l, "", &err), MINT_EINVAL);
	free(path);
	cleanup_tmpdir(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_layer_digest_names_the_blob_and_diff_id_hashes_the_tar),
		cmocka_unit_test(test_layer_entries_read_back_with_the_callers_attributes),
		cmocka_unit_test(test_layer_bytes_do_not_depend_on_threads),
		cmocka_unit_test(test_layer_with_no_entries_has_the_well_known_diff_id),
		cmocka_unit_test(test_layer_refuses_names_that_are_not_clean),
		cmocka_unit_test(test_layer_refuses_bad_links_devices_and_owner_names),
		cmocka_unit_test(test_layer_short_source_is_truncated),
		cmocka_unit_test(test_layer_freed_unfinished_leaves_no_file),
		cmocka_unit_test(test_layer_after_finish_refuses_more),
		cmocka_unit_test(test_layer_needs_a_layout),
		cmocka_unit_test(test_layer_plain_writes_the_tar_named_by_its_diff_id),
		cmocka_unit_test(test_layer_plain_tar_is_the_gzip_layers_tar),
		cmocka_unit_test(test_layer_plain_freed_unfinished_leaves_no_file),
		cmocka_unit_test(test_layer_plain_keeps_the_old_file_when_an_entry_fails),
		cmocka_unit_test(test_layer_plain_needs_a_writable_path),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
