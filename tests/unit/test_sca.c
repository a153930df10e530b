/* SPDX-License-Identifier: Apache-2.0 */
#include "testutil.h"

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "elfbuild.h"
#include "mint/pkg_sca.h"

struct tree {
	char *dir;
	struct mint_image_strs depends, provides;
};

static void mkdirs(const char *root, const char *rel)
{
	char path[1024];
	snprintf(path, sizeof(path), "%s/%s", root, rel);
	for (char *p = path + strlen(root) + 1; (p = strchr(p, '/')); p++) {
		*p = '\0';
		assert_true(mkdir(path, 0755) == 0 || errno == EEXIST);
		*p = '/';
	}
}

static void put_file(struct tree *t, const char *rel, const void *data, size_t len, mode_t mode)
{
	char path[1024];
	mkdirs(t->dir, rel);
	snprintf(path, sizeof(path), "%s/%s", t->dir, rel);
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, data, len), (ssize_t)len);
	close(fd);
	assert_int_equal(chmod(path, mode), 0);
}

static void put_elf(struct tree *t, const char *rel, const struct test_elf *spec, mode_t mode)
{
	struct mint_buf b = MINT_BUF_INIT;
	build_test_elf(spec, &b);
	put_file(t, rel, b.data, b.len, mode);
	mint_buf_free(&b);
}

static void put_text(struct tree *t, const char *rel, const char *text, mode_t mode)
{
	put_file(t, rel, text, strlen(text), mode);
}

static void put_link(struct tree *t, const char *rel, const char *target)
{
	char path[1024];
	mkdirs(t->dir, rel);
	snprintf(path, sizeof(path), "%s/%s", t->dir, rel);
	assert_int_equal(symlink(target, path), 0);
}

static void free_strs(struct mint_image_strs *s)
{
	for (size_t i = 0; i < s->n; i++)
		free(s->v[i]);
	free(s->v);
	memset(s, 0, sizeof(*s));
}

static int setup(void **state)
{
	struct tree *t = calloc(1, sizeof(*t));
	t->dir = make_tmpdir();
	*state = t;
	return 0;
}

static int teardown(void **state)
{
	struct tree *t = *state;
	cleanup_tmpdir(t->dir);
	free_strs(&t->depends);
	free_strs(&t->provides);
	free(t);
	return 0;
}

static void run(struct tree *t, const struct mint_pkg_sca_opts *o)
{
	struct mint_err err = { 0 };
	assert_ok(mint_pkg_sca(t->dir, o, &t->depends, &t->provides, &err), &err);
}

static void run_default(struct tree *t)
{
	struct mint_pkg_sca_opts o = { .full_version = "1.2.3-r0" };
	run(t, &o);
}

/* The list joined with spaces, for one assert that shows all of it. */
static void assert_strs(const struct mint_image_strs *s, const char *want)
{
	char got[2048] = "";
	for (size_t i = 0; i < s->n; i++) {
		if (i)
			strcat(got, " ");
		strncat(got, s->v[i], sizeof(got) - strlen(got) - 2);
	}
	assert_string_equal(got, want);
	assert_null(s->n ? s->v[s->n] : NULL);
}

static const char *const musl_libc[] = { "libc.musl-x86_64.so.1" };
static const char *const foo_soname[] = { "libfoo.so.1" };

static void put_libfoo(struct tree *t)
{
	struct test_elf lib = { .sonames = (const char **)foo_soname, .n_sonames = 1,
				.needed = (const char **)musl_libc, .n_needed = 1 };
	put_elf(t, "usr/lib/libfoo.so.1.2.3", &lib, 0755);
}

static void put_foo_binary(struct tree *t, const char *rel)
{
	static const char *const needed[] = { "libfoo.so.1", "libc.musl-x86_64.so.1" };
	struct test_elf bin = { .type = 2, .needed = (const char **)needed, .n_needed = 2,
				.interp = "/lib/ld-musl-x86_64.so.1" };
	put_elf(t, rel, &bin, 0755);
}

static void test_sca_library_in_usr_lib_provides_soname_with_its_version(void **state)
{
	struct tree *t = *state;
	put_libfoo(t);
	run_default(t);
	assert_strs(&t->provides, "so:libfoo.so.1=1");
	assert_strs(&t->depends, "so:libc.musl-x86_64.so.1");
}

static void test_sca_executable_needing_own_library_depends_only_on_libc(void **state)
{
	struct tree *t = *state;
	put_libfoo(t);
	put_foo_binary(t, "usr/bin/foo");
	run_default(t);
	assert_strs(&t->provides, "cmd:foo=1.2.3-r0 so:libfoo.so.1=1");
	/* the musl interpreter is named as musl's package provides it */
	assert_strs(&t->depends, "so:libc.musl-x86_64.so.1");
}

static void test_sca_glibc_interpreter_becomes_an_so_depend(void **state)
{
	struct tree *t = *state;
	static const char *const needed[] = { "libc.so.6" };
	struct test_elf bin = { .type = 2, .needed = (const char **)needed, .n_needed = 1,
				.interp = "/lib64/ld-linux-x86-64.so.2" };
	put_elf(t, "usr/sbin/tool", &bin, 0755);
	run_default(t);
	assert_strs(&t->depends, "so:ld-linux-x86-64.so.2 so:libc.so.6");
	assert_strs(&t->provides, "cmd:tool=1.2.3-r0");
}

static void test_sca_needed_without_so_dot_or_from_the_host_is_not_a_depend(void **state)
{
	struct tree *t = *state;
	static const char *const needed[] = { "libbar.so", "libcuda.so.1", "libz.so.1" };
	struct test_elf bin = { .type = 2, .needed = (const char **)needed, .n_needed = 3 };
	put_elf(t, "opt/app/run", &bin, 0755);
	run_default(t);
	assert_strs(&t->depends, "so:libz.so.1");
	assert_strs(&t->provides, "");
}

static void test_sca_soname_outside_library_dirs_is_vendored_not_provided(void **state)
{
	struct tree *t = *state;
	static const char *const vendored[] = { "libv.so.2" };
	static const char *const needed[] = { "libv.so.2", "libz.so.1" };
	struct test_elf lib = { .sonames = (const char **)vendored, .n_sonames = 1 };
	struct test_elf bin = { .type = 2, .needed = (const char **)needed, .n_needed = 2,
				.interp = "/lib/ld-musl-x86_64.so.1" };
	put_elf(t, "opt/app/lib/libv.so.2", &lib, 0755);
	put_elf(t, "opt/app/bin/app", &bin, 0755);
	run_default(t);
	assert_strs(&t->provides, "");
	assert_strs(&t->depends, "so:libc.musl-x86_64.so.1 so:libz.so.1");
}

static void test_sca_soname_version_is_zero_unless_digits_and_dots(void **state)
{
	struct tree *t = *state;
	static const char *const a[] = { "liba.so.1a" }, *const b[] = { "libb.so" },
				 *const c[] = { "libc.so.6.1.so.9" };
	struct test_elf la = { .sonames = (const char **)a, .n_sonames = 1 };
	struct test_elf lb = { .sonames = (const char **)b, .n_sonames = 1 };
	struct test_elf lc = { .sonames = (const char **)c, .n_sonames = 1 };
	put_elf(t, "lib/liba", &la, 0555);
	put_elf(t, "lib64/libb", &lb, 0755);
	put_elf(t, "usr/lib64/libc", &lc, 0755);
	run_default(t);
	assert_strs(&t->provides, "so:liba.so.1a=0 so:libb.so=0 so:libc.so.6.1.so.9=6.1");
}

static void test_sca_library_in_a_subdirectory_of_usr_lib_is_vendored(void **state)
{
	struct tree *t = *state;
	struct test_elf lib = { .sonames = (const char **)foo_soname, .n_sonames = 1 };
	put_elf(t, "usr/lib/foo/libfoo.so.1", &lib, 0755);
	run_default(t);
	assert_strs(&t->provides, "");
}

static void test_sca_executable_with_interpreter_provides_no_soname(void **state)
{
	struct tree *t = *state;
	static const char *const names[] = { "libjli.so" };
	struct test_elf bin = { .type = 2, .sonames = (const char **)names, .n_sonames = 1,
				.interp = "/lib/ld-musl-x86_64.so.1" };
	put_elf(t, "usr/lib/java", &bin, 0755);
	/* but a file named like a library is one, interpreter or not */
	put_elf(t, "usr/lib/libcap.so.2.69", &bin, 0755);
	run_default(t);
	assert_strs(&t->provides, "so:libjli.so=0");
}

static void test_sca_files_without_all_execute_bits_are_not_read(void **state)
{
	struct tree *t = *state;
	struct test_elf lib = { .sonames = (const char **)foo_soname, .n_sonames = 1 };
	put_elf(t, "usr/lib/libfoo.so.1", &lib, 0644);
	put_foo_binary(t, "usr/bin/foo");
	put_elf(t, "usr/bin/half", &lib, 0750);
	run_default(t);
	assert_strs(&t->provides, "cmd:foo=1.2.3-r0");
	assert_strs(&t->depends, "so:libc.musl-x86_64.so.1 so:libfoo.so.1");
}

static void test_sca_commands_only_directly_in_bin_dirs(void **state)
{
	struct tree *t = *state;
	put_text(t, "bin/a", "data", 0755);
	put_text(t, "sbin/b", "data", 0555);
	put_text(t, "usr/sbin/c", "", 0755);
	put_text(t, "usr/bin/sub/d", "data", 0755);
	put_text(t, "usr/local/bin/e", "data", 0755);
	put_text(t, "usr/bin/f", "data", 0644);
	put_link(t, "usr/bin/g", "a");
	run_default(t);
	assert_strs(&t->provides, "cmd:a=1.2.3-r0 cmd:b=1.2.3-r0 cmd:c=1.2.3-r0");
	assert_strs(&t->depends, "");
}

static void test_sca_non_elf_and_truncated_elf_files_are_skipped(void **state)
{
	struct tree *t = *state;
	struct mint_buf b = MINT_BUF_INIT;
	struct test_elf lib = { .sonames = (const char **)foo_soname, .n_sonames = 1 };
	build_test_elf(&lib, &b);
	put_file(t, "usr/lib/libtrunc.so.1", b.data, 40, 0755);
	put_file(t, "usr/lib/libcut.so.1", b.data, b.len - 10, 0755);
	put_text(t, "usr/lib/libfake.so.1", "\x7f" "ELF not really", 0755);
	put_text(t, "usr/lib/readme", "just text", 0755);
	mint_buf_free(&b);
	run_default(t);
	assert_strs(&t->provides, "");
	assert_strs(&t->depends, "");
}

static void test_sca_shebang_scripts_depend_on_their_interpreter_command(void **state)
{
	struct tree *t = *state;
	put_text(t, "usr/bin/a", "#!/usr/bin/perl -w\nprint 1;\n", 0755);
	put_text(t, "usr/bin/b", "#!/usr/bin/env bash\n", 0755);
	put_text(t, "usr/bin/c", "#!/usr/bin/env -S ruby --disable-gems\n", 0644);
	put_text(t, "bin/lib/d", "#! /usr/bin/lua5.4", 0644);
	put_text(t, "usr/bin/e", "#!/bin/sh\n", 0644);
	put_text(t, "usr/bin/f", "#!/usr/bin/python3\n", 0644);
	put_text(t, "usr/bin/g", "#!/usr/bin/env awk -f\n", 0644);
	put_text(t, "usr/bin/h", "#!/usr/bin/env\n", 0644);
	put_text(t, "usr/bin/i", "#!\n", 0644);
	put_text(t, "usr/bin/j", "#!/usr/bin/env -S -i tcl\n", 0644);
	put_text(t, "usr/sbin/k", "#!/usr/bin/node\n", 0644);
	put_text(t, "usr/libexec/l", "#!/usr/bin/node\n", 0755);
	run_default(t);
	assert_strs(&t->depends, "cmd:bash cmd:lua5.4 cmd:perl cmd:ruby");
}

static void test_sca_shebang_on_a_command_of_the_package_is_not_a_depend(void **state)
{
	struct tree *t = *state;
	put_text(t, "usr/bin/tool", "#!/usr/bin/env helper\n", 0755);
	put_text(t, "usr/bin/helper", "\x7f" "ELF?", 0755);
	run_default(t);
	assert_strs(&t->depends, "");
	assert_strs(&t->provides, "cmd:helper=1.2.3-r0 cmd:tool=1.2.3-r0");
}

static void test_sca_no_commands_drops_cmd_provides_and_depends(void **state)
{
	struct tree *t = *state;
	put_libfoo(t);
	put_foo_binary(t, "usr/bin/foo");
	put_text(t, "usr/bin/s", "#!/usr/bin/perl\n", 0755);
	struct mint_pkg_sca_opts o = { .full_version = "1.2.3-r0", .no_commands = true };
	run(t, &o);
	assert_strs(&t->provides, "so:libfoo.so.1=1");
	assert_strs(&t->depends, "so:libc.musl-x86_64.so.1");
}

static void test_sca_no_depends_and_no_provides_empty_their_lists(void **state)
{
	struct tree *t = *state;
	put_libfoo(t);
	put_foo_binary(t, "usr/bin/foo");
	struct mint_pkg_sca_opts o = { .full_version = "1.2.3-r0", .no_depends = true };
	run(t, &o);
	assert_strs(&t->depends, "");
	assert_strs(&t->provides, "cmd:foo=1.2.3-r0 so:libfoo.so.1=1");
	free_strs(&t->provides);
	o = (struct mint_pkg_sca_opts){ .full_version = "1.2.3-r0", .no_provides = true };
	run(t, &o);
	assert_strs(&t->provides, "");
	/* nothing is provided, so the package's own library is a depend */
	assert_strs(&t->depends, "so:libc.musl-x86_64.so.1 so:libfoo.so.1");
}

static void test_sca_no_versioned_shlib_deps_keeps_depends_unversioned(void **state)
{
	struct tree *t = *state;
	put_foo_binary(t, "usr/bin/foo");
	struct mint_pkg_sca_opts o = { .full_version = "1-r0", .no_versioned_shlib_deps = true };
	run(t, &o);
	assert_strs(&t->depends, "so:libc.musl-x86_64.so.1 so:libfoo.so.1");
	free_strs(&t->depends);
	free_strs(&t->provides);
	run_default(t);
	assert_strs(&t->depends, "so:libc.musl-x86_64.so.1 so:libfoo.so.1");
}

static void test_sca_dev_symlink_to_own_library_adds_nothing(void **state)
{
	struct tree *t = *state;
	put_libfoo(t);
	put_link(t, "usr/lib/libfoo.so", "libfoo.so.1.2.3");
	put_link(t, "usr/lib/libfoo.so.1", "libfoo.so.1.2.3");
	run_default(t);
	assert_strs(&t->provides, "so:libfoo.so.1=1");
	assert_strs(&t->depends, "so:libc.musl-x86_64.so.1");
}

static void test_sca_dev_symlink_to_library_of_a_sibling_depends_on_it(void **state)
{
	struct tree *t = *state;
	char *also_v[] = { "so:libbar.so.2=2", "libqux.so.3", NULL };
	struct mint_image_strs also = { also_v, 2 };
	put_link(t, "usr/lib/libbar.so", "libbar.so.2");
	put_link(t, "usr/lib/libqux.so", "../../lib/libqux.so.3");
	put_link(t, "usr/lib/libnone.so", "libnone.so.9");
	put_link(t, "usr/lib/libpasswd.so", "/etc/passwd");
	put_link(t, "usr/lib/notalib", "libbar.so.2");
	struct mint_pkg_sca_opts o = { .full_version = "2-r0", .also_provided = &also };
	run(t, &o);
	assert_strs(&t->depends, "so:libbar.so.2 so:libqux.so.3");
	assert_strs(&t->provides, "");
}

static void test_sca_symlinked_directory_out_of_the_tree_is_not_followed(void **state)
{
	struct tree *t = *state;
	static const char *const out_soname[] = { "libout.so.5" };
	struct test_elf lib = { .sonames = (const char **)out_soname, .n_sonames = 1 };
	struct tree outside = { .dir = make_tmpdir() };
	put_elf(&outside, "libout.so.5", &lib, 0755);
	/* usr/lib64 points at a directory with a library outside the tree */
	put_link(t, "usr/lib64", outside.dir);
	put_link(t, "usr/lib/libout.so", "libout.so.5");
	run_default(t);
	assert_strs(&t->provides, "");
	assert_strs(&t->depends, "");
	cleanup_tmpdir(outside.dir);
}

static void test_sca_results_merge_into_existing_lists_sorted_and_unique(void **state)
{
	struct tree *t = *state;
	put_foo_binary(t, "usr/bin/foo");
	t->depends.v = calloc(3, sizeof(char *));
	t->depends.v[0] = strdup("zlib");
	t->depends.v[1] = strdup("so:libc.musl-x86_64.so.1");
	t->depends.n = 2;
	t->provides.v = calloc(2, sizeof(char *));
	t->provides.v[0] = strdup("so:libfoo.so.1=1");
	t->provides.n = 1;
	run_default(t);
	assert_strs(&t->depends, "so:libc.musl-x86_64.so.1 zlib");
	assert_strs(&t->provides, "cmd:foo=1.2.3-r0 so:libfoo.so.1=1");
}

static void test_sca_missing_destdir_is_an_error_naming_it(void **state)
{
	struct tree *t = *state;
	struct mint_pkg_sca_opts o = { .full_version = "1-r0" };
	struct mint_err err = { 0 };
	char path[1100];
	snprintf(path, sizeof(path), "%s/nope", t->dir);
	assert_int_equal(mint_pkg_sca(path, &o, &t->depends, &t->provides, &err), MINT_EIO);
	assert_non_null(strstr(err.msg, "nope"));
	assert_int_equal(mint_pkg_sca(t->dir, NULL, &t->depends, &t->provides, &err), MINT_EINVAL);
}

#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_sca_library_in_usr_lib_provides_soname_with_its_version),
		T(test_sca_executable_needing_own_library_depends_only_on_libc),
		T(test_sca_glibc_interpreter_becomes_an_so_depend),
		T(test_sca_needed_without_so_dot_or_from_the_host_is_not_a_depend),
		T(test_sca_soname_outside_library_dirs_is_vendored_not_provided),
		T(test_sca_soname_version_is_zero_unless_digits_and_dots),
		T(test_sca_library_in_a_subdirectory_of_usr_lib_is_vendored),
		T(test_sca_executable_with_interpreter_provides_no_soname),
		T(test_sca_files_without_all_execute_bits_are_not_read),
		T(test_sca_commands_only_directly_in_bin_dirs),
		T(test_sca_non_elf_and_truncated_elf_files_are_skipped),
		T(test_sca_shebang_scripts_depend_on_their_interpreter_command),
		T(test_sca_shebang_on_a_command_of_the_package_is_not_a_depend),
		T(test_sca_no_commands_drops_cmd_provides_and_depends),
		T(test_sca_no_depends_and_no_provides_empty_their_lists),
		T(test_sca_no_versioned_shlib_deps_keeps_depends_unversioned),
		T(test_sca_dev_symlink_to_own_library_adds_nothing),
		T(test_sca_dev_symlink_to_library_of_a_sibling_depends_on_it),
		T(test_sca_symlinked_directory_out_of_the_tree_is_not_followed),
		T(test_sca_results_merge_into_existing_lists_sorted_and_unique),
		T(test_sca_missing_destdir_is_an_error_naming_it),
	};
	return tests_exit(cmocka_run_group_tests(tests, NULL, NULL));
}
