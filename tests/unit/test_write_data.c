/* SPDX-License-Identifier: Apache-2.0 */
/* The data member written from a directory tree (lib/apk/write_data.c). */
#include "testutil.h"

#include <sys/socket.h>
#include <sys/un.h>

#include "apk_write_fixture.h"

static void test_write_data_walks_each_directory_in_byte_order_without_root(void **state)
{
	(void)state;
	char *tmp = make_tmpdir();
	char *root = tw_join(tmp, "root");
	tw_mkdir(tmp, "root", 0755);
	tw_mkdir(root, "etc", 0755);
	tw_mkdir(root, "etc/conf.d", 0755);
	tw_file(root, "etc/conf.d/x", "x\n", 0644);
	tw_mkdir(root, "etc/conf", 0755);
	tw_file(root, "etc/conf/y", "y\n", 0644);
	tw_file(root, "etc/a-b", "ab\n", 0644);
	char *out = tw_join(tmp, "p.apk");
	tw_write(root, out, NULL, NULL);
	struct mint_apk_package p;
	tw_read(out, &p);
	const char *want[] = { "etc", "etc/a-b", "etc/conf", "etc/conf/y", "etc/conf.d",
			       "etc/conf.d/x" };
	assert_int_equal(p.n_entries, 6);
	for (size_t i = 0; i < 6; i++)
		assert_string_equal(p.entries[i].path, want[i]);
	mint_apk_package_free(&p);
	free(out);
	free(root);
	cleanup_tmpdir(tmp);
}

static void test_write_data_keeps_modes_links_and_empty_dirs_with_root_owner(void **state)
{
	(void)state;
	char *tmp = make_tmpdir();
	char *root = tw_join(tmp, "root");
	tw_mkdir(tmp, "root", 0755);
	tw_mkdir(root, "usr", 0755);
	tw_mkdir(root, "usr/bin", 0755);
	tw_file(root, "usr/bin/hello", "#!/bin/sh\necho hi\n", 0755);
	tw_hardlink(root, "usr/bin/hello", "usr/bin/hi");
	tw_symlink(root, "usr/bin/greet", "hello");
	tw_mkdir(root, "var", 0755);
	tw_mkdir(root, "var/empty", 0700);
	tw_file(root, "usr/secret", "s", 04750);
	char *out = tw_join(tmp, "p.apk");
	tw_write(root, out, NULL, NULL);
	struct mint_apk_package p;
	tw_read(out, &p);

	const struct mint_apk_entry *e = tw_entry(&p, "usr/bin/hello");
	assert_int_equal(e->type, MINT_TAR_REG);
	assert_int_equal(e->mode, 0755);
	assert_true(e->has_apk_sha1);
	assert_int_equal(e->mtime, 1700000000);
	assert_string_equal(e->uname, "root");
	assert_int_equal(e->uid, 0);
	e = tw_entry(&p, "usr/bin/hi");
	assert_int_equal(e->type, MINT_TAR_HARDLINK);
	assert_string_equal(e->link_target, "usr/bin/hello");
	e = tw_entry(&p, "usr/bin/greet");
	assert_int_equal(e->type, MINT_TAR_SYMLINK);
	assert_string_equal(e->link_target, "hello");
	assert_true(e->has_apk_sha1);
	e = tw_entry(&p, "var/empty");
	assert_int_equal(e->type, MINT_TAR_DIR);
	assert_int_equal(e->mode, 0700);
	assert_int_equal(tw_entry(&p, "usr/secret")->mode, 04750);
	mint_apk_package_free(&p);
	free(out);
	free(root);
	cleanup_tmpdir(tmp);
}

static void test_write_data_packs_escaping_symlink_as_a_link_not_its_target(void **state)
{
	(void)state;
	char *tmp = make_tmpdir();
	char *root = tw_join(tmp, "root");
	tw_mkdir(tmp, "root", 0755);
	tw_mkdir(tmp, "outside", 0755);
	tw_file(tmp, "outside/secret", "do not pack\n", 0644);
	tw_symlink(root, "escape", "../outside");
	tw_symlink(root, "abs", "/etc/passwd");
	char *out = tw_join(tmp, "p.apk");
	tw_write(root, out, NULL, NULL);
	struct mint_apk_package p;
	tw_read(out, &p);
	assert_int_equal(p.n_entries, 2);
	assert_int_equal(tw_entry(&p, "escape")->type, MINT_TAR_SYMLINK);
	assert_string_equal(tw_entry(&p, "escape")->link_target, "../outside");
	assert_int_equal(tw_entry(&p, "abs")->type, MINT_TAR_SYMLINK);
	mint_apk_package_free(&p);
	free(out);
	free(root);
	cleanup_tmpdir(tmp);
}

static void test_write_data_installed_size_sums_files_and_links_not_directories(void **state)
{
	(void)state;
	char *tmp = make_tmpdir();
	char *root = tw_join(tmp, "root");
	tw_mkdir(tmp, "root", 0755);
	tw_mkdir(root, "d", 0755);
	tw_file(root, "d/f", "12345", 0644);
	tw_symlink(root, "l", "d/f");
	char *out = tw_join(tmp, "p.apk");
	struct mint_apk_write_result res;
	tw_write(root, out, NULL, &res);
	/* 5 bytes of file, 3 of link target; directory sizes depend on the filesystem */
	assert_int_equal(res.installed_size, (uint64_t)(5 + 3));
	struct mint_apk_package p;
	tw_read(out, &p);
	assert_int_equal(p.info.installed_size, res.installed_size);
	mint_apk_package_free(&p);
	free(out);
	free(root);
	cleanup_tmpdir(tmp);
}

static void test_write_data_refuses_a_socket_and_leaves_no_output(void **state)
{
	(void)state;
	char *tmp = make_tmpdir();
	char *root = tw_join(tmp, "root");
	tw_mkdir(tmp, "root", 0755);
	char *sock_path = tw_join(root, "sock");
	int fd = socket(AF_UNIX, SOCK_STREAM, 0);
	assert_true(fd >= 0);
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	assert_true(strlen(sock_path) < sizeof(sa.sun_path));
	strcpy(sa.sun_path, sock_path);
	assert_int_equal(bind(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	char *out = tw_join(tmp, "p.apk");
	struct mint_apk_pkg info;
	tw_pkginfo(&info);
	struct mint_apk_write_opts o = { .pkginfo = &info, .destdir = root, .out_path = out };
	struct mint_err err = { 0 };
	assert_int_equal(mint_apk_write(&o, NULL, &err), MINT_EUNSUPPORTED);
	assert_non_null(strstr(err.msg, "sock: is a socket"));
	assert_int_equal(access(out, F_OK), -1);
	close(fd);
	free(sock_path);
	free(out);
	free(root);
	cleanup_tmpdir(tmp);
}

static void test_write_data_missing_destdir_is_an_io_error_naming_it(void **state)
{
	(void)state;
	char *tmp = make_tmpdir();
	char *root = tw_join(tmp, "nope");
	char *out = tw_join(tmp, "p.apk");
	struct mint_apk_pkg info;
	tw_pkginfo(&info);
	struct mint_apk_write_opts o = { .pkginfo = &info, .destdir = root, .out_path = out };
	struct mint_err err = { 0 };
	assert_int_equal(mint_apk_write(&o, NULL, &err), MINT_EIO);
	assert_string_equal(err.file, root);
	assert_int_equal(access(out, F_OK), -1);
	free(out);
	free(root);
	cleanup_tmpdir(tmp);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_write_data_walks_each_directory_in_byte_order_without_root),
		cmocka_unit_test(test_write_data_keeps_modes_links_and_empty_dirs_with_root_owner),
		cmocka_unit_test(test_write_data_packs_escaping_symlink_as_a_link_not_its_target),
		cmocka_unit_test(test_write_data_installed_size_sums_files_and_links_not_directories),
		cmocka_unit_test(test_write_data_refuses_a_socket_and_leaves_no_output),
		cmocka_unit_test(test_write_data_missing_destdir_is_an_io_error_naming_it),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
