/* SPDX-License-Identifier: Apache-2.0 */
/*
 * mint_tar_extract (lib/pkgbuild/extract.c): tars built in memory are
 * unpacked into a directory inside a fresh temporary directory, whose
 * other contents show whether anything got out.
 */
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "mint/fs.h"
#include "mint/sandbox.h"
#include "mint/tar.h"
#include "testutil.h"

struct tar_spec {
	const char *name;
	enum mint_tar_type type;
	uint32_t mode;
	const char *content; /* regular files */
	const char *link;    /* symlinks and hardlinks */
};

struct fixture {
	char *tmp;
	char root[512];
	struct mint_buf tar;
};

static int buf_sink(void *ctx, const void *data, size_t len, struct mint_err *err)
{
	(void)err;
	return mint_buf_append(ctx, data, len);
}

static void make_tar(struct mint_buf *out, const struct tar_spec *specs, size_t n)
{
	struct mint_tar_writer w = { .sink = buf_sink, .ctx = out };
	struct mint_err err = { 0 };
	for (size_t i = 0; i < n; i++) {
		const struct tar_spec *s = &specs[i];
		struct mint_tar_entry e = {
			.name = (char *)s->name,
			.link_target = (char *)s->link,
			.type = s->type ? s->type : MINT_TAR_REG,
			.mode = s->mode ? s->mode : 0644,
			.size = s->content ? strlen(s->content) : 0,
		};
		assert_ok(mint_tar_write_entry(&w, &e, s->content, &err), &err);
	}
	assert_ok(mint_tar_write_end(&w, &err), &err);
}

static int extract(struct fixture *f, const struct tar_spec *specs, size_t n,
		   struct mint_err *err)
{
	mint_buf_reset(&f->tar);
	make_tar(&f->tar, specs, n);
	struct mint_span_source ss;
	struct mint_source src = mint_span_source_init(&ss, mint_buf_span(&f->tar));
	return mint_tar_extract(src, f->root, err);
}

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	f->tmp = make_tmpdir();
	snprintf(f->root, sizeof(f->root), "%s/root", f->tmp);
	mkdir(f->root, 0755);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	struct mint_err err = { 0 };
	assert_ok(mint_remove_tree(f->tmp, &err), &err);
	free(f->tmp);
	mint_buf_free(&f->tar);
	free(f);
	return 0;
}

static void path_in(const struct fixture *f, const char *rel, char *out, size_t cap)
{
	snprintf(out, cap, "%s/%s", f->root, rel);
}

static mode_t mode_of(const struct fixture *f, const char *rel)
{
	char p[1024];
	struct stat st;
	path_in(f, rel, p, sizeof(p));
	if (lstat(p, &st) < 0)
		return (mode_t)-1;
	return st.st_mode;
}

static void assert_content(const struct fixture *f, const char *rel, const char *want)
{
	char p[1024];
	struct mint_buf b = MINT_BUF_INIT;
	path_in(f, rel, p, sizeof(p));
	read_file_or_fail(p, &b);
	assert_string_equal(mint_buf_cstr(&b), want);
	mint_buf_free(&b);
}

/* Only "root" in the temporary directory: nothing was made beside it. */
static void assert_nothing_outside(const struct fixture *f)
{
	DIR *d = opendir(f->tmp);
	assert_non_null(d);
	struct dirent *de;
	while ((de = readdir(d)))
		if (strcmp(de->d_name, ".") && strcmp(de->d_name, ".."))
			assert_string_equal(de->d_name, "root");
	closedir(d);
}

static void test_extract_files_dirs_and_links(void **state)
{
	struct fixture *f = *state;
	static const struct tar_spec t[] = {
		{ "usr/", MINT_TAR_DIR, 0755, NULL, NULL },
		{ "usr/bin", MINT_TAR_DIR, 0750, NULL, NULL },
		{ "usr/bin/hello", MINT_TAR_REG, 0755, "#!/bin/sh\necho hi\n", NULL },
		{ "usr/bin/hi", MINT_TAR_SYMLINK, 0777, NULL, "hello" },
		{ "usr/bin/hello2", MINT_TAR_HARDLINK, 0755, NULL, "usr/bin/hello" },
		{ "./etc/motd", MINT_TAR_REG, 0640, "welcome\n", NULL },
	};
	struct mint_err err = { 0 };
	assert_ok(extract(f, t, 6, &err), &err);
	assert_content(f, "usr/bin/hello", "#!/bin/sh\necho hi\n");
	assert_content(f, "usr/bin/hello2", "#!/bin/sh\necho hi\n");
	assert_content(f, "etc/motd", "welcome\n");
	assert_int_equal(mode_of(f, "usr/bin"), S_IFDIR | 0750);
	assert_int_equal(mode_of(f, "usr/bin/hello"), S_IFREG | 0755);
	assert_int_equal(mode_of(f, "etc/motd"), S_IFREG | 0640);
	assert_int_equal(mode_of(f, "etc"), S_IFDIR | 0755);
	char p[1024], target[64] = "";
	path_in(f, "usr/bin/hi", p, sizeof(p));
	assert_int_equal(readlink(p, target, sizeof(target) - 1), 5);
	assert_string_equal(target, "hello");
	struct stat a, b;
	path_in(f, "usr/bin/hello", p, sizeof(p));
	assert_int_equal(stat(p, &a), 0);
	path_in(f, "usr/bin/hello2", p, sizeof(p));
	assert_int_equal(stat(p, &b), 0);
	assert_int_equal(a.st_ino, b.st_ino);
}

static void test_extract_modes_drop_setuid_keep_sticky(void **state)
{
	struct fixture *f = *state;
	static const struct tar_spec t[] = {
		{ "su", MINT_TAR_REG, 04755, "x", NULL },
		{ "sg", MINT_TAR_REG, 02711, "x", NULL },
		{ "tmp", MINT_TAR_DIR, 01777, NULL, NULL },
		{ "secret", MINT_TAR_REG, 0400, "s", NULL },
	};
	struct mint_err err = { 0 };
	assert_ok(extract(f, t, 4, &err), &err);
	assert_int_equal(mode_of(f, "su"), S_IFREG | 0755);
	assert_int_equal(mode_of(f, "sg"), S_IFREG | 0711);
	assert_int_equal(mode_of(f, "tmp"), S_IFDIR | 01777);
	assert_int_equal(mode_of(f, "secret"), S_IFREG | 0400);
}

static void test_extract_read_only_dir_filled_then_restored(void **state)
{
	struct fixture *f = *state;
	static const struct tar_spec t[] = {
		{ "ro", MINT_TAR_DIR, 0555, NULL, NULL },
		{ "ro/sub", MINT_TAR_DIR, 0500, NULL, NULL },
		{ "ro/sub/f", MINT_TAR_REG, 0444, "data", NULL },
		{ "ro/g", MINT_TAR_REG, 0444, "g", NULL },
	};
	struct mint_err err = { 0 };
	assert_ok(extract(f, t, 4, &err), &err);
	assert_content(f, "ro/sub/f", "data");
	assert_int_equal(mode_of(f, "ro"), S_IFDIR | 0555);
	assert_int_equal(mode_of(f, "ro/sub"), S_IFDIR | 0500);
}

static void test_extract_dir_named_twice_takes_last_mode(void **state)
{
	struct fixture *f = *state;
	static const struct tar_spec t[] = {
		{ "d", MINT_TAR_DIR, 0700, NULL, NULL },
		{ "d/f", MINT_TAR_REG, 0644, "f", NULL },
		{ "d", MINT_TAR_DIR, 0711, NULL, NULL },
	};
	struct mint_err err = { 0 };
	assert_ok(extract(f, t, 3, &err), &err);
	assert_int_equal(mode_of(f, "d"), S_IFDIR | 0711);
}

static void test_extract_missing_parents_are_made(void **state)
{
	struct fixture *f = *state;
	static const struct tar_spec t[] = { { "a/b/c/file", MINT_TAR_REG, 0644, "deep", NULL } };
	struct mint_err err = { 0 };
	assert_ok(extract(f, t, 1, &err), &err);
	assert_content(f, "a/b/c/file", "deep");
	assert_int_equal(mode_of(f, "a/b"), S_IFDIR | 0755);
}

static void test_extract_dotdot_is_unsafe(void **state)
{
	struct fixture *f = *state;
	static const struct tar_spec t[] = { { "a/../../escaped", MINT_TAR_REG, 0644, "x", NULL } };
	struct mint_err err = { 0 };
	assert_int_equal(extract(f, t, 1, &err), MINT_EUNSAFE);
	assert_true(err.has_offset);
	assert_nothing_outside(f);
}

static void test_extract_absolute_name_is_unsafe(void **state)
{
	struct fixture *f = *state;
	char name[600];
	snprintf(name, sizeof(name), "%s/abs", f->tmp);
	struct tar_spec t[] = { { name, MINT_TAR_REG, 0644, "x", NULL } };
	struct mint_err err = { 0 };
	assert_int_equal(extract(f, t, 1, &err), MINT_EUNSAFE);
	assert_nothing_outside(f);
}

static void test_extract_write_through_symlink_is_unsafe(void **state)
{
	struct fixture *f = *state;
	static const struct tar_spec t[] = {
		{ "up", MINT_TAR_SYMLINK, 0777, NULL, ".." },
		{ "up/pwned", MINT_TAR_REG, 0644, "outside", NULL },
	};
	struct mint_err err = { 0 };
	assert_int_equal(extract(f, t, 2, &err), MINT_EUNSAFE);
	assert_non_null(strstr(err.msg, "up/pwned"));
	assert_nothing_outside(f);
}

static void test_extract_absolute_symlink_dir_is_not_followed(void **state)
{
	struct fixture *f = *state;
	struct tar_spec t[] = {
		{ "host", MINT_TAR_SYMLINK, 0777, NULL, f->tmp },
		{ "host/deeper/pwned", MINT_TAR_REG, 0644, "outside", NULL },
	};
	struct mint_err err = { 0 };
	assert_int_equal(extract(f, t, 2, &err), MINT_EUNSAFE);
	assert_nothing_outside(f);
}

static void test_extract_file_replaces_symlink_without_writing_through(void **state)
{
	struct fixture *f = *state;
	char outside[600];
	snprintf(outside, sizeof(outside), "%s/victim", f->tmp);
	struct mint_err err = { 0 };
	assert_ok(mint_file_write_atomic(outside, "old", 3, 0644, &err), &err);
	struct tar_spec t[] = {
		{ "link", MINT_TAR_SYMLINK, 0777, NULL, outside },
		{ "link", MINT_TAR_REG, 0644, "new", NULL },
	};
	assert_ok(extract(f, t, 2, &err), &err);
	assert_content(f, "link", "new");
	assert_true(S_ISREG(mode_of(f, "link")));
	struct mint_buf b = MINT_BUF_INIT;
	read_file_or_fail(outside, &b);
	assert_string_equal(mint_buf_cstr(&b), "old");
	mint_buf_free(&b);
}

static void test_extract_hardlink_to_missing_is_not_found(void **state)
{
	struct fixture *f = *state;
	static const struct tar_spec t[] = {
		{ "a", MINT_TAR_HARDLINK, 0644, NULL, "never-written" },
	};
	struct mint_err err = { 0 };
	assert_int_equal(extract(f, t, 1, &err), MINT_ENOTFOUND);
	assert_int_equal(mode_of(f, "a"), (mode_t)-1);
}

static void test_extract_hardlink_outside_is_unsafe(void **state)
{
	struct fixture *f = *state;
	static const struct tar_spec t[] = {
		{ "a", MINT_TAR_HARDLINK, 0644, NULL, "../root" },
	};
	struct mint_err err = { 0 };
	assert_int_equal(extract(f, t, 1, &err), MINT_EUNSAFE);
}

static void test_extract_hardlink_through_symlink_is_unsafe(void **state)
{
	struct fixture *f = *state;
	struct tar_spec t[] = {
		{ "host", MINT_TAR_SYMLINK, 0777, NULL, f->tmp },
		{ "a", MINT_TAR_HARDLINK, 0644, NULL, "host/root" },
	};
	struct mint_err err = { 0 };
	assert_int_equal(extract(f, t, 2, &err), MINT_EUNSAFE);
}

static void test_extract_devices_and_fifos_are_skipped(void **state)
{
	struct fixture *f = *state;
	static const struct tar_spec t[] = {
		{ "dev", MINT_TAR_DIR, 0755, NULL, NULL },
		{ "dev/null", MINT_TAR_CHAR, 0666, NULL, NULL },
		{ "dev/sda", MINT_TAR_BLOCKDEV, 0660, NULL, NULL },
		{ "dev/fifo", MINT_TAR_FIFO, 0600, NULL, NULL },
	};
	struct mint_err err = { 0 };
	assert_ok(extract(f, t, 4, &err), &err);
	assert_int_equal(mode_of(f, "dev"), S_IFDIR | 0755);
	assert_int_equal(mode_of(f, "dev/null"), (mode_t)-1);
	assert_int_equal(mode_of(f, "dev/sda"), (mode_t)-1);
	assert_int_equal(mode_of(f, "dev/fifo"), (mode_t)-1);
}

static void test_extract_file_over_directory_is_format_error(void **state)
{
	struct fixture *f = *state;
	static const struct tar_spec t[] = {
		{ "d", MINT_TAR_DIR, 0755, NULL, NULL },
		{ "d", MINT_TAR_REG, 0644, "x", NULL },
	};
	struct mint_err err = { 0 };
	assert_int_equal(extract(f, t, 2, &err), MINT_EFORMAT);
}

static void test_extract_truncated_tar_is_error(void **state)
{
	struct fixture *f = *state;
	static const struct tar_spec t[] = { { "f", MINT_TAR_REG, 0644, "content", NULL } };
	mint_buf_reset(&f->tar);
	make_tar(&f->tar, t, 1);
	struct mint_span_source ss;
	struct mint_span half = { f->tar.data, 600 };
	struct mint_source src = mint_span_source_init(&ss, half);
	struct mint_err err = { 0 };
	assert_int_equal(mint_tar_extract(src, f->root, &err), MINT_ETRUNCATED);
}

static void test_extract_missing_dir_is_io_error(void **state)
{
	struct fixture *f = *state;
	struct mint_span_source ss;
	struct mint_source src = mint_span_source_init(&ss, mint_buf_span(&f->tar));
	struct mint_err err = { 0 };
	char missing[600];
	snprintf(missing, sizeof(missing), "%s/missing", f->tmp);
	assert_int_equal(mint_tar_extract(src, missing, &err), MINT_EIO);
	assert_non_null(strstr(err.msg, "missing"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
		T(test_extract_files_dirs_and_links),
		T(test_extract_modes_drop_setuid_keep_sticky),
		T(test_extract_read_only_dir_filled_then_restored),
		T(test_extract_dir_named_twice_takes_last_mode),
		T(test_extract_missing_parents_are_made),
		T(test_extract_dotdot_is_unsafe),
		T(test_extract_absolute_name_is_unsafe),
		T(test_extract_write_through_symlink_is_unsafe),
		T(test_extract_absolute_symlink_dir_is_not_followed),
		T(test_extract_file_replaces_symlink_without_writing_through),
		T(test_extract_hardlink_to_missing_is_not_found),
		T(test_extract_hardlink_outside_is_unsafe),
		T(test_extract_hardlink_through_symlink_is_unsafe),
		T(test_extract_devices_and_fifos_are_skipped),
		T(test_extract_file_over_directory_is_format_error),
		T(test_extract_truncated_tar_is_error),
		T(test_extract_missing_dir_is_io_error),
#undef T
	};
	return tests_exit(cmocka_run_group_tests(tests, NULL, NULL));
}
