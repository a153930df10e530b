/* SPDX-License-Identifier: Apache-2.0 */
#include "testutil.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "mint/fs.h"

static int count_entries(const char *dir)
{
	DIR *d = opendir(dir);
	int n = 0;
	struct dirent *e;
	while ((e = readdir(d)))
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
			n++;
	closedir(d);
	return n;
}

static void test_atomic_write_replaces_and_sets_mode_despite_umask(void **state)
{
	(void)state;
	char *dir = make_tmpdir();
	char path[512];
	snprintf(path, sizeof(path), "%s/out.txt", dir);
	struct mint_err err = { 0 };
	mode_t old = umask(077);
	assert_ok(mint_file_write_atomic(path, "old", 3, 0644, &err), &err);
	assert_ok(mint_file_write_atomic(path, "new!", 4, 0644, &err), &err);
	umask(old);
	struct mint_buf b = MINT_BUF_INIT;
	read_file_or_fail(path, &b);
	assert_string_equal(mint_buf_cstr(&b), "new!");
	struct stat st;
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0644);
	assert_int_equal(count_entries(dir), 1);
	mint_buf_free(&b);
	cleanup_tmpdir(dir);
}

static void test_atomic_abort_leaves_old_file_and_no_temp(void **state)
{
	(void)state;
	char *dir = make_tmpdir();
	char path[512];
	snprintf(path, sizeof(path), "%s/keep", dir);
	struct mint_err err = { 0 };
	assert_ok(mint_file_write_atomic(path, "v1", 2, 0600, &err), &err);
	struct mint_atomic_file f;
	assert_ok(mint_atomic_open(&f, path, &err), &err);
	assert_ok(mint_atomic_write(&f, "partial", 7, &err), &err);
	mint_atomic_abort(&f);
	struct mint_buf b = MINT_BUF_INIT;
	read_file_or_fail(path, &b);
	assert_string_equal(mint_buf_cstr(&b), "v1");
	assert_int_equal(count_entries(dir), 1);
	mint_buf_free(&b);
	cleanup_tmpdir(dir);
}

static void test_file_read_enforces_limit_and_names_file(void **state)
{
	(void)state;
	char *dir = make_tmpdir();
	char path[512];
	snprintf(path, sizeof(path), "%s/big", dir);
	struct mint_err err = { 0 };
	assert_ok(mint_file_write_atomic(path, "0123456789", 10, 0644, &err), &err);
	struct mint_buf b = MINT_BUF_INIT;
	assert_int_equal(mint_file_read(path, 9, &b, &err), MINT_ELIMIT);
	assert_string_equal(err.file, path);
	mint_err_clear(&err);
	snprintf(path, sizeof(path), "%s/missing", dir);
	assert_int_equal(mint_file_read(path, 9, &b, &err), MINT_EIO);
	assert_non_null(strstr(err.msg, "No such file"));
	mint_buf_free(&b);
	cleanup_tmpdir(dir);
}

static void assert_dir_mode(const char *path, mode_t mode)
{
	struct stat st;
	assert_int_equal(stat(path, &st), 0);
	assert_true(S_ISDIR(st.st_mode));
	assert_int_equal(st.st_mode & 07777, mode);
}

static void test_mkdir_p_makes_0755_directories_whatever_the_umask(void **state)
{
	(void)state;
	char *dir = make_tmpdir();
	char path[1200];
	struct mint_err err = { 0 };
	mode_t old = umask(077);
	snprintf(path, sizeof(path), "%s/a/b/c", dir);
	int rc = mint_mkdir_p(path, 0755, &err);
	umask(old);
	assert_ok(rc, &err);
	assert_dir_mode(path, 0755);
	snprintf(path, sizeof(path), "%s/a/b", dir);
	assert_dir_mode(path, 0755);
	snprintf(path, sizeof(path), "%s/a", dir);
	assert_dir_mode(path, 0755);
	cleanup_tmpdir(dir);
}

static void test_mkdir_p_accepts_existing_directories(void **state)
{
	(void)state;
	char *dir = make_tmpdir();
	char path[1200];
	struct mint_err err = { 0 };
	snprintf(path, sizeof(path), "%s/x/y", dir);
	assert_ok(mint_mkdir_p(path, 0755, &err), &err);
	assert_ok(mint_mkdir_p(path, 0755, &err), &err);
	snprintf(path, sizeof(path), "%s/x/y/", dir);
	assert_ok(mint_mkdir_p(path, 0755, &err), &err);
	cleanup_tmpdir(dir);
}

static void test_mkdir_p_through_a_file_names_the_path(void **state)
{
	(void)state;
	char *dir = make_tmpdir();
	char path[1200];
	struct mint_err err = { 0 };
	snprintf(path, sizeof(path), "%s/file", dir);
	assert_ok(mint_file_write_atomic(path, "x", 1, 0644, &err), &err);
	snprintf(path, sizeof(path), "%s/file/sub", dir);
	assert_int_equal(mint_mkdir_p(path, 0755, &err), MINT_EIO);
	assert_non_null(strstr(err.msg, "cannot create directory"));
	assert_non_null(strstr(err.msg, "file/sub"));
	cleanup_tmpdir(dir);
}

static void test_mkdir_p_of_an_empty_path_is_an_error(void **state)
{
	(void)state;
	struct mint_err err = { 0 };
	assert_int_equal(mint_mkdir_p("", 0755, &err), MINT_EINVAL);
	assert_non_null(strstr(err.msg, "empty path"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_atomic_write_replaces_and_sets_mode_despite_umask),
		cmocka_unit_test(test_atomic_abort_leaves_old_file_and_no_temp),
		cmocka_unit_test(test_file_read_enforces_limit_and_names_file),
		cmocka_unit_test(test_mkdir_p_makes_0755_directories_whatever_the_umask),
		cmocka_unit_test(test_mkdir_p_accepts_existing_directories),
		cmocka_unit_test(test_mkdir_p_through_a_file_names_the_path),
		cmocka_unit_test(test_mkdir_p_of_an_empty_path_is_an_error),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
