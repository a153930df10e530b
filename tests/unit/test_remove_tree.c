/* SPDX-License-Identifier: Apache-2.0 */
/*
 * mint_remove_tree (lib/pkgbuild/remove_tree.c): trees with read-only
 * directories, symlinks that point out, and more depth than descriptors.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "mint/fs.h"
#include "mint/sandbox.h"
#include "testutil.h"

static void make_file(const char *dir, const char *name)
{
	char p[4096];
	struct mint_err err = { 0 };
	snprintf(p, sizeof(p), "%s/%s", dir, name);
	assert_ok(mint_file_write_atomic(p, "x", 1, 0644, &err), &err);
}

static char *sub(const char *dir, const char *name)
{
	char *p = malloc(strlen(dir) + strlen(name) + 2);
	sprintf(p, "%s/%s", dir, name);
	return p;
}

static void test_remove_tree_with_read_only_dirs(void **state)
{
	(void)state;
	char *tmp = make_tmpdir();
	char *t = sub(tmp, "t");
	char *ro = sub(t, "ro");
	char *locked = sub(ro, "locked");
	assert_int_equal(mkdir(t, 0755), 0);
	assert_int_equal(mkdir(ro, 0755), 0);
	assert_int_equal(mkdir(locked, 0755), 0);
	make_file(locked, "f");
	make_file(ro, "g");
	assert_int_equal(chmod(locked, 0), 0);
	assert_int_equal(chmod(ro, 0555), 0);
	struct mint_err err = { 0 };
	assert_ok(mint_remove_tree(t, &err), &err);
	struct stat st;
	assert_int_equal(lstat(t, &st), -1);
	free(locked);
	free(ro);
	free(t);
	cleanup_tmpdir(tmp);
}

static void test_remove_tree_does_not_follow_symlinks(void **state)
{
	(void)state;
	char *tmp = make_tmpdir();
	char *keep = sub(tmp, "keep");
	char *t = sub(tmp, "t");
	char *link = sub(t, "link");
	assert_int_equal(mkdir(keep, 0755), 0);
	make_file(keep, "precious");
	assert_int_equal(mkdir(t, 0755), 0);
	assert_int_equal(symlink(keep, link), 0);
	struct mint_err err = { 0 };
	assert_ok(mint_remove_tree(t, &err), &err);
	char *precious = sub(keep, "precious");
	assert_int_equal(access(precious, F_OK), 0);
	free(precious);
	free(link);
	free(t);
	free(keep);
	cleanup_tmpdir(tmp);
}

static void test_remove_tree_symlink_root_removes_only_the_link(void **state)
{
	(void)state;
	char *tmp = make_tmpdir();
	char *keep = sub(tmp, "keep");
	char *link = sub(tmp, "link");
	assert_int_equal(mkdir(keep, 0755), 0);
	make_file(keep, "precious");
	assert_int_equal(symlink(keep, link), 0);
	struct mint_err err = { 0 };
	assert_ok(mint_remove_tree(link, &err), &err);
	struct stat st;
	assert_int_equal(lstat(link, &st), -1);
	char *precious = sub(keep, "precious");
	assert_int_equal(access(precious, F_OK), 0);
	free(precious);
	free(link);
	free(keep);
	cleanup_tmpdir(tmp);
}

static void test_remove_tree_missing_path_is_ok(void **state)
{
	(void)state;
	char *tmp = make_tmpdir();
	char *missing = sub(tmp, "missing");
	struct mint_err err = { 0 };
	assert_ok(mint_remove_tree(missing, &err), &err);
	free(missing);
	cleanup_tmpdir(tmp);
}

static void test_remove_tree_single_file(void **state)
{
	(void)state;
	char *tmp = make_tmpdir();
	make_file(tmp, "f");
	char *f = sub(tmp, "f");
	struct mint_err err = { 0 };
	assert_ok(mint_remove_tree(f, &err), &err);
	assert_int_equal(access(f, F_OK), -1);
	free(f);
	cleanup_tmpdir(tmp);
}

/* Deeper than the descriptors a process may hold at once (the limit is
 * lowered to make that cheap). */
static void test_remove_tree_deeper_than_descriptor_limit(void **state)
{
	(void)state;
	char *tmp = make_tmpdir();
	char *t = sub(tmp, "t");
	assert_int_equal(mkdir(t, 0755), 0);
	int fd = open(t, O_RDONLY | O_DIRECTORY);
	assert_true(fd >= 0);
	for (int i = 0; i < 300; i++) {
		assert_int_equal(mkdirat(fd, "d", 0555), 0);
		int next = openat(fd, "d", O_RDONLY | O_DIRECTORY);
		assert_true(next >= 0);
		close(fd);
		fd = next;
	}
	close(fd);
	struct rlimit old, low;
	assert_int_equal(getrlimit(RLIMIT_NOFILE, &old), 0);
	low = old;
	low.rlim_cur = 64;
	assert_int_equal(setrlimit(RLIMIT_NOFILE, &low), 0);
	struct mint_err err = { 0 };
	int rc = mint_remove_tree(t, &err);
	setrlimit(RLIMIT_NOFILE, &old);
	assert_ok(rc, &err);
	assert_int_equal(access(t, F_OK), -1);
	free(t);
	cleanup_tmpdir(tmp);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_remove_tree_with_read_only_dirs),
		cmocka_unit_test(test_remove_tree_does_not_follow_symlinks),
		cmocka_unit_test(test_remove_tree_symlink_root_removes_only_the_link),
		cmocka_unit_test(test_remove_tree_missing_path_is_ok),
		cmocka_unit_test(test_remove_tree_single_file),
		cmocka_unit_test(test_remove_tree_deeper_than_descriptor_limit),
	};
	return tests_exit(cmocka_run_group_tests(tests, NULL, NULL));
}
