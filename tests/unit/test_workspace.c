/* SPDX-License-Identifier: Apache-2.0 */
/*
 * lib/pkgbuild/workspace.c: guest paths mapped only under /home/build,
 * source trees copied without following symlinks, directories made 0755
 * whatever the umask, and the default source directory copied in.
 */
#include "pkgbuild_fixture.h"

#include <fcntl.h>
#include <unistd.h>

#include "lib/pkgbuild/build_internal.h"

static void test_guest_to_host_maps_home_build_under_the_workspace(void **state)
{
	(void)state;
	struct pkg_job j = { .workspace = "/tmp/ws" };
	struct mint_buf out = { 0 };
	struct mint_err err = { 0 };
	assert_ok(pkg_guest_to_host(&j, "/home/build/src/x.c", &out, &err), &err);
	assert_string_equal(out.data, "/tmp/ws/src/x.c");
	assert_ok(pkg_guest_to_host(&j, "/home/build//melange-out/hello/", &out, &err), &err);
	assert_string_equal(out.data, "/tmp/ws/melange-out/hello");
	assert_ok(pkg_guest_to_host(&j, "/home/build", &out, &err), &err);
	assert_string_equal(out.data, "/tmp/ws");
	mint_buf_free(&out);
}

static void test_guest_to_host_refuses_paths_outside_home_build(void **state)
{
	(void)state;
	static const char *const bad[] = {
		"/etc", "/etc/passwd", "/home/buildx", "/home/buildx/y", "/home/build/../x",
		"/home/build/a/../../x", "/home", "home/build/x", "",
	};
	struct pkg_job j = { .workspace = "/tmp/ws" };
	struct mint_buf out = { 0 };
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct mint_err err = { 0 };
		int rc = pkg_guest_to_host(&j, bad[i], &out, &err);
		if (rc != MINT_EUNSAFE)
			fail_msg("%s: got %d (%s)", bad[i], rc, err.msg);
	}
	struct mint_err err = { 0 };
	pkg_guest_to_host(&j, "/etc/shadow", &out, &err);
	assert_non_null(strstr(err.msg, "/etc/shadow"));
	assert_non_null(strstr(err.msg, "outside the workspace"));
	mint_buf_free(&out);
}

static void write_mode(const char *dir, const char *rel, const char *text, mode_t mode)
{
	char path[2048];
	pb_write(dir, rel, text);
	snprintf(path, sizeof(path), "%s/%s", dir, rel);
	assert_int_equal(chmod(path, mode), 0);
}

static void assert_file(const char *dir, const char *rel, const char *text, mode_t mode)
{
	char path[2048];
	struct stat st;
	struct mint_buf got = { 0 };
	snprintf(path, sizeof(path), "%s/%s", dir, rel);
	assert_int_equal(lstat(path, &st), 0);
	assert_true(S_ISREG(st.st_mode));
	assert_int_equal(st.st_mode & 07777, mode);
	read_file_or_fail(path, &got);
	assert_int_equal(got.len, strlen(text));
	assert_memory_equal(got.data, text, got.len);
	mint_buf_free(&got);
}

static void assert_symlink(const char *dir, const char *rel, const char *target)
{
	char path[2048], got[4096];
	struct stat st;
	snprintf(path, sizeof(path), "%s/%s", dir, rel);
	assert_int_equal(lstat(path, &st), 0);
	assert_true(S_ISLNK(st.st_mode));
	ssize_t n = readlink(path, got, sizeof(got) - 1);
	assert_true(n > 0);
	got[n] = '\0';
	assert_string_equal(got, target);
}

static void test_copy_tree_copies_files_with_content_and_mode(void **state)
{
	(void)state;
	char *dir = make_tmpdir();
	char src[1100], dst[1100];
	snprintf(src, sizeof(src), "%s/src", dir);
	snprintf(dst, sizeof(dst), "%s/dst", dir);
	write_mode(dir, "src/plain.txt", "plain\n", 0644);
	write_mode(dir, "src/tool.sh", "#!/bin/sh\necho tool\n", 0755);
	write_mode(dir, "src/private", "secret", 0600);
	write_mode(dir, "src/empty", "", 0640);
	assert_int_equal(mkdir(dst, 0755), 0);
	struct mint_err err = { 0 };
	assert_ok(pkg_copy_tree(src, dst, &err), &err);
	assert_file(dst, "plain.txt", "plain\n", 0644);
	assert_file(dst, "tool.sh", "#!/bin/sh\necho tool\n", 0755);
	assert_file(dst, "private", "secret", 0600);
	assert_file(dst, "empty", "", 0640);
	cleanup_tmpdir(dir);
}

static void test_copy_tree_keeps_symlinks_as_symlinks_never_following_them(void **state)
{
	(void)state;
	char *dir = make_tmpdir();
	char src[1100], dst[1100], path[1200];
	snprintf(src, sizeof(src), "%s/src", dir);
	snprintf(dst, sizeof(dst), "%s/dst", dir);
	pb_write(dir, "src/sub/file", "in sub\n");
	snprintf(path, sizeof(path), "%s/abs", src);
	assert_int_equal(symlink("/etc/passwd", path), 0);
	snprintf(path, sizeof(path), "%s/dirlink", src);
	assert_int_equal(symlink("sub", path), 0);
	snprintf(path, sizeof(path), "%s/dangling", src);
	assert_int_equal(symlink("../nowhere", path), 0);
	assert_int_equal(mkdir(dst, 0755), 0);
	struct mint_err err = { 0 };
	assert_ok(pkg_copy_tree(src, dst, &err), &err);
	assert_symlink(dst, "abs", "/etc/passwd");
	assert_symlink(dst, "dirlink", "sub");
	assert_symlink(dst, "dangling", "../nowhere");
	assert_file(dst, "sub/file", "in sub\n", 0644);
	cleanup_tmpdir(dir);
}

static void test_copy_tree_copies_nested_directories_and_skips_fifos(void **state)
{
	(void)state;
	char *dir = make_tmpdir();
	char src[1100], dst[1100], path[1200];
	struct stat st;
	snprintf(src, sizeof(src), "%s/src", dir);
	snprintf(dst, sizeof(dst), "%s/dst", dir);
	pb_write(dir, "src/a/b/c/deep.txt", "deep\n");
	pb_write(dir, "src/a/top.txt", "top\n");
	snprintf(path, sizeof(path), "%s/a/b", src);
	assert_int_equal(chmod(path, 0750), 0);
	snprintf(path, sizeof(path), "%s/a/pipe", src);
	assert_int_equal(mkfifo(path, 0644), 0);
	assert_int_equal(mkdir(dst, 0755), 0);
	struct mint_err err = { 0 };
	assert_ok(pkg_copy_tree(src, dst, &err), &err);
	assert_file(dst, "a/b/c/deep.txt", "deep\n", 0644);
	assert_file(dst, "a/top.txt", "top\n", 0644);
	snprintf(path, sizeof(path), "%s/a/b", dst);
	assert_int_equal(lstat(path, &st), 0);
	assert_true(S_ISDIR(st.st_mode));
	assert_int_equal(st.st_mode & 0777, 0750);
	assert_false(pb_exists(dst, "a/pipe"));
	cleanup_tmpdir(dir);
}

static void test_copy_tree_of_a_missing_directory_names_it(void **state)
{
	(void)state;
	char *dir = make_tmpdir();
	char src[1100];
	snprintf(src, sizeof(src), "%s/missing", dir);
	struct mint_err err = { 0 };
	assert_int_equal(pkg_copy_tree(src, dir, &err), MINT_EIO);
	assert_non_null(strstr(err.msg, src));
	cleanup_tmpdir(dir);
}

static void assert_dir_mode(const char *path, mode_t mode)
{
	struct stat st;
	assert_int_equal(stat(path, &st), 0);
	assert_true(S_ISDIR(st.st_mode));
	assert_int_equal(st.st_mode & 07777, mode);
}

/* A job as pkg_workspace_create sees it: the recipe's path and name. */
struct ws_case {
	char *dir;
	char recipe[1100];
	char tmp[1100];
	struct mint_pkg_build_opts o;
	struct pkg_job j;
};

static void ws_open(struct ws_case *c)
{
	memset(c, 0, sizeof(*c));
	c->dir = make_tmpdir();
	snprintf(c->recipe, sizeof(c->recipe), "%s/hello.yaml", c->dir);
	snprintf(c->tmp, sizeof(c->tmp), "%s/tmp", c->dir);
	assert_int_equal(mkdir(c->tmp, 0700), 0);
	c->o = (struct mint_pkg_build_opts){ .recipe_path = c->recipe, .tmpdir = c->tmp };
	c->j.o = &c->o;
	c->j.recipe.package.meta.name = "hello";
}

static void ws_close(struct ws_case *c)
{
	struct mint_err err = { 0 };
	if (c->j.workspace)
		assert_ok(mint_remove_tree(c->j.workspace, &err), &err);
	free(c->j.workspace);
	assert_int_equal(pb_count(c->tmp, "", ""), 0);
	cleanup_tmpdir(c->dir);
}

static void test_workspace_is_a_fresh_0755_directory_under_tmpdir(void **state)
{
	(void)state;
	struct ws_case c;
	struct mint_err err = { 0 };
	ws_open(&c);
	assert_ok(pkg_workspace_create(&c.j, &err), &err);
	assert_non_null(c.j.workspace);
	assert_int_equal(strncmp(c.j.workspace, c.tmp, strlen(c.tmp)), 0);
	assert_int_equal(strncmp(c.j.workspace + strlen(c.tmp), "/mint-pkg-", 10), 0);
	assert_dir_mode(c.j.workspace, 0755);
	assert_int_equal(pb_count(c.j.workspace, "", ""), 0);
	ws_close(&c);
}

static void test_workspace_copies_the_default_source_dir_when_present(void **state)
{
	(void)state;
	struct ws_case c;
	struct mint_err err = { 0 };
	ws_open(&c);
	pb_write(c.dir, "hello/data.txt", "payload\n");
	pb_write(c.dir, "hello/sub/more.txt", "more\n");
	assert_ok(pkg_workspace_create(&c.j, &err), &err);
	assert_file(c.j.workspace, "data.txt", "payload\n", 0644);
	assert_file(c.j.workspace, "sub/more.txt", "more\n", 0644);
	ws_close(&c);
}

static void test_workspace_without_a_source_dir_is_empty(void **state)
{
	(void)state;
	struct ws_case c;
	struct mint_err err = { 0 };
	ws_open(&c);
	pb_write(c.dir, "other/data.txt", "not ours\n");
	pb_write(c.dir, "hello", "a file, not a directory\n");
	assert_ok(pkg_workspace_create(&c.j, &err), &err);
	assert_int_equal(pb_count(c.j.workspace, "", ""), 0);
	ws_close(&c);
}

static void test_workspace_copies_source_dir_option_instead_of_the_default(void **state)
{
	(void)state;
	struct ws_case c;
	struct mint_err err = { 0 };
	char src[1200];
	ws_open(&c);
	pb_write(c.dir, "hello/default.txt", "default\n");
	pb_write(c.dir, "chosen/chosen.txt", "chosen\n");
	snprintf(src, sizeof(src), "%s/chosen", c.dir);
	c.o.source_dir = src;
	assert_ok(pkg_workspace_create(&c.j, &err), &err);
	assert_file(c.j.workspace, "chosen.txt", "chosen\n", 0644);
	assert_false(pb_exists(c.j.workspace, "default.txt"));
	ws_close(&c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_guest_to_host_maps_home_build_under_the_workspace),
		cmocka_unit_test(test_guest_to_host_refuses_paths_outside_home_build),
		cmocka_unit_test(test_copy_tree_copies_files_with_content_and_mode),
		cmocka_unit_test(test_copy_tree_keeps_symlinks_as_symlinks_never_following_them),
		cmocka_unit_test(test_copy_tree_copies_nested_directories_and_skips_fifos),
		cmocka_unit_test(test_copy_tree_of_a_missing_directory_names_it),
		cmocka_unit_test(test_workspace_is_a_fresh_0755_directory_under_tmpdir),
		cmocka_unit_test(test_workspace_copies_the_default_source_dir_when_present),
		cmocka_unit_test(test_workspace_without_a_source_dir_is_empty),
		cmocka_unit_test(test_workspace_copies_source_dir_option_instead_of_the_default),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
