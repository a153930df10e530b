/* SPDX-License-Identifier: Apache-2.0 */
/*
 * lib/image/pkgdata.c: each package's data stream in a temporary file,
 * the one kept while the package was read or else inflated again, and file
 * contents read back through the plan's content reader by the byte range a
 * node records.
 */
#include "testutil.h"

#include <dirent.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "mint/fs.h"
#include "mint/gzip.h"
#include "mint/image_build.h"
#include "repobuild.h"

static const struct test_file first_files[] = {
	{ .name = "etc", .type = MINT_TAR_DIR },
	{ .name = "etc/hello", .content = "hello from the first package\n" },
	{ .name = "etc/empty", .content = "" },
	{ .name = "etc/link", .type = MINT_TAR_SYMLINK, .link = "hello" },
};

static char big[70000];

static const struct test_file second_files[] = {
	{ .name = "usr", .type = MINT_TAR_DIR },
	{ .name = "usr/big", .content = big, .content_len = sizeof(big) },
	{ .name = "usr/small", .content = "x" },
};

static const struct test_apk specs[] = {
	{ .pkginfo = "pkgname = first\npkgver = 1-r0\narch = x86_64\n", .files = first_files,
	  .n_files = 4 },
	{ .pkginfo = "pkgname = second\npkgver = 2-r0\narch = x86_64\n", .files = second_files,
	  .n_files = 3 },
};

#define N_PKGS (sizeof(specs) / sizeof(specs[0]))

struct fixture {
	char *dir, *tmp;
	struct mint_image_install installs[N_PKGS];
	struct mint_image_arch_packages pkgs;
};

static void fixture_open(struct fixture *f)
{
	for (size_t i = 0; i < sizeof(big); i++)
		big[i] = (char)('a' + (i * 7 + i / 300) % 26);
	f->dir = make_tmpdir();
	f->tmp = make_tmpdir();
	for (size_t i = 0; i < N_PKGS; i++)
		repo_install_from(f->dir, &specs[i], &f->installs[i]);
	f->pkgs = (struct mint_image_arch_packages){ MINT_ARCH_AMD64, f->installs, N_PKGS };
}

static void fixture_close(struct fixture *f)
{
	for (size_t i = 0; i < N_PKGS; i++)
		repo_install_free(&f->installs[i]);
	cleanup_tmpdir(f->dir);
	cleanup_tmpdir(f->tmp);
}

/* A node as the plan makes one for entry e of package owner. */
static struct mint_plan_node node_of(const struct mint_apk_entry *e, size_t owner)
{
	struct mint_plan_node n;
	memset(&n, 0, sizeof(n));
	n.path = e->path;
	n.type = e->type;
	n.owner = owner;
	n.content = MINT_PLAN_CONTENT_PACKAGE;
	n.size = e->size;
	n.data_offset = e->data_offset;
	return n;
}

/* Everything the reader gives for node, in reads of at most chunk bytes. */
static int read_node(const struct mint_plan_content_reader *r, const struct mint_plan_node *n,
		     size_t chunk, struct mint_buf *out, struct mint_err *err)
{
	struct mint_source src;
	char *buf = malloc(chunk);
	assert_non_null(buf);
	mint_buf_reset(out);
	int rc = r->open(r->ctx, n, &src, err);
	for (size_t got = 1; !rc && got;) {
		rc = src.read(src.ctx, buf, chunk, &got, err);
		if (!rc && mint_buf_append(out, buf, got))
			rc = MINT_ENOMEM;
	}
	if (!rc && r->close)
		r->close(r->ctx, n);
	free(buf);
	return rc;
}

static const struct test_file *spec_file(size_t pkg, const char *path)
{
	for (size_t i = 0; i < specs[pkg].n_files; i++)
		if (!strcmp(specs[pkg].files[i].name, path))
			return &specs[pkg].files[i];
	return NULL;
}

static void test_pkgdata_reads_every_file_as_packaged(void **state)
{
	(void)state;
	struct fixture f;
	struct mint_image_pkgdata *d;
	struct mint_plan_content_reader r;
	struct mint_buf got = MINT_BUF_INIT;
	struct mint_err err = { 0 };
	size_t files = 0;
	fixture_open(&f);
	assert_ok(mint_image_pkgdata_open(&d, &f.pkgs, f.tmp, &err), &err);
	mint_image_pkgdata_reader(d, &r);
	for (size_t p = 0; p < N_PKGS; p++) {
		const struct mint_apk_package *pkg = &f.installs[p].pkg;
		for (size_t i = 0; i < pkg->n_entries; i++) {
			const struct mint_apk_entry *e = &pkg->entries[i];
			if (e->type != MINT_TAR_REG)
				continue;
			const struct test_file *t = spec_file(p, e->path);
			assert_non_null(t);
			size_t want = t->content_len ? t->content_len : strlen(t->content);
			struct mint_plan_node n = node_of(e, p);
			assert_ok(read_node(&r, &n, sizeof(big), &got, &err), &err);
			assert_int_equal(got.len, want);
			assert_memory_equal(got.data, t->content, want);
			/* small reads give the same bytes */
			assert_ok(read_node(&r, &n, 3, &got, &err), &err);
			assert_int_equal(got.len, want);
			assert_memory_equal(got.data, t->content, want);
			files++;
		}
	}
	assert_int_equal(files, 4);
	mint_image_pkgdata_free(d);
	mint_buf_free(&got);
	fixture_close(&f);
}

static void test_pkgdata_leaves_no_file_in_tmpdir(void **state)
{
	(void)state;
	struct fixture f;
	struct mint_image_pkgdata *d;
	struct mint_err err = { 0 };
	fixture_open(&f);
	assert_ok(mint_image_pkgdata_open(&d, &f.pkgs, f.tmp, &err), &err);
	DIR *dir = opendir(f.tmp);
	assert_non_null(dir);
	struct dirent *e;
	while ((e = readdir(dir)))
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
			fail_msg("%s left in the temporary directory", e->d_name);
	closedir(dir);
	mint_image_pkgdata_free(d);
	fixture_close(&f);
}

static void test_pkgdata_refuses_node_outside_its_package_data(void **state)
{
	(void)state;
	struct fixture f;
	struct mint_image_pkgdata *d;
	struct mint_plan_content_reader r;
	struct mint_source src;
	struct mint_err err = { 0 };
	fixture_open(&f);
	assert_ok(mint_image_pkgdata_open(&d, &f.pkgs, f.tmp, &err), &err);
	mint_image_pkgdata_reader(d, &r);
	const struct mint_apk_package *pkg = &f.installs[0].pkg;
	struct mint_plan_node n = node_of(&pkg->entries[1], 0);

	n.data_offset = pkg->data_tar_bytes + 1;
	assert_int_equal(r.open(r.ctx, &n, &src, &err), MINT_EINVAL);
	assert_non_null(strstr(err.msg, "outside its package's data"));
	assert_non_null(strstr(err.msg, "etc/hello"));

	/* an offset inside whose size runs past the end, and one that wraps */
	mint_err_clear(&err);
	n.data_offset = pkg->data_tar_bytes - 10;
	n.size = 11;
	assert_int_equal(r.open(r.ctx, &n, &src, &err), MINT_EINVAL);
	n.data_offset = 512;
	n.size = UINT64_MAX - 100;
	assert_int_equal(r.open(r.ctx, &n, &src, &err), MINT_EINVAL);
	mint_image_pkgdata_free(d);
	fixture_close(&f);
}

static void test_pkgdata_refuses_node_of_unknown_package(void **state)
{
	(void)state;
	struct fixture f;
	struct mint_image_pkgdata *d;
	struct mint_plan_content_reader r;
	struct mint_source src;
	struct mint_err err = { 0 };
	fixture_open(&f);
	assert_ok(mint_image_pkgdata_open(&d, &f.pkgs, f.tmp, &err), &err);
	mint_image_pkgdata_reader(d, &r);
	struct mint_plan_node n = node_of(&f.installs[0].pkg.entries[1], N_PKGS);
	assert_int_equal(r.open(r.ctx, &n, &src, &err), MINT_EINVAL);
	assert_non_null(strstr(err.msg, "no data for its package"));
	n.owner = MINT_PLAN_GENERATED;
	assert_int_equal(r.open(r.ctx, &n, &src, &err), MINT_EINVAL);
	mint_image_pkgdata_free(d);
	fixture_close(&f);
}

static void test_pkgdata_open_fails_naming_a_package_file_that_changed(void **state)
{
	(void)state;
	struct fixture f;
	/* any non-NULL value: a failed open must set it to NULL */
	struct mint_image_pkgdata *d = (struct mint_image_pkgdata *)&f;
	struct mint_err err = { 0 };
	fixture_open(&f);
	/* the second package's file is cut short after it was read */
	assert_int_equal(truncate(f.installs[1].path,
				  (off_t)f.installs[1].pkg.data_member.offset + 10), 0);
	assert_int_equal(mint_image_pkgdata_open(&d, &f.pkgs, f.tmp, &err), MINT_ETRUNCATED);
	assert_null(d);
	assert_non_null(strstr(err.msg, f.installs[1].path));
	fixture_close(&f);
}

static void test_pkgdata_open_with_no_packages_serves_nothing(void **state)
{
	(void)state;
	struct mint_image_arch_packages none = { MINT_ARCH_AMD64, NULL, 0 };
	struct mint_image_pkgdata *d;
	struct mint_plan_content_reader r;
	struct mint_source src;
	struct mint_plan_node n;
	struct mint_err err = { 0 };
	memset(&n, 0, sizeof(n));
	n.path = "x";
	assert_ok(mint_image_pkgdata_open(&d, &none, NULL, &err), &err);
	mint_image_pkgdata_reader(d, &r);
	assert_int_equal(r.open(r.ctx, &n, &src, &err), MINT_EINVAL);
	mint_image_pkgdata_free(d);
}

/* What keep_data does while a package is read: the data stream, through
 * the sink, into an unlinked temporary file the install keeps. */
static void keep_stream(struct mint_image_install *ins, const char *tmpdir)
{
	struct mint_buf file = MINT_BUF_INIT, tar = MINT_BUF_INIT;
	struct mint_err err = { 0 };
	size_t used;
	assert_ok(mint_file_read(ins->path, 1u << 24, &file, &err), &err);
	const struct mint_apk_range *m = &ins->pkg.data_member;
	assert_ok(mint_gunzip_member(MINT_SPAN(file.data + m->offset, m->size), NULL, &tar, &used,
				     &err), &err);
	assert_ok(mint_image_pkgdata_tmpfile(tmpdir, &ins->data_fd, &err), &err);
	struct mint_apk_data_sink sink = mint_image_pkgdata_sink(&ins->data_fd);
	/* in two pieces, as the reader hands them over */
	assert_ok(sink.write(sink.ctx, tar.data, tar.len / 2, &err), &err);
	assert_ok(sink.write(sink.ctx, tar.data + tar.len / 2, tar.len - tar.len / 2, &err), &err);
	ins->has_data_fd = true;
	mint_buf_free(&tar);
	mint_buf_free(&file);
}

static void test_pkgdata_uses_kept_streams_without_reading_the_packages_again(void **state)
{
	(void)state;
	struct fixture f;
	struct mint_image_pkgdata *d;
	struct mint_plan_content_reader r;
	struct mint_buf got = MINT_BUF_INIT;
	struct mint_err err = { 0 };
	fixture_open(&f);
	for (size_t i = 0; i < N_PKGS; i++)
		keep_stream(&f.installs[i], f.tmp);
	/* the package files are no longer readable: only the kept streams are used */
	for (size_t i = 0; i < N_PKGS; i++)
		assert_int_equal(truncate(f.installs[i].path, 0), 0);
	assert_ok(mint_image_pkgdata_open(&d, &f.pkgs, f.tmp, &err), &err);
	mint_image_pkgdata_reader(d, &r);
	const struct mint_apk_package *pkg = &f.installs[1].pkg;
	for (size_t i = 0; i < pkg->n_entries; i++) {
		const struct mint_apk_entry *e = &pkg->entries[i];
		if (e->type != MINT_TAR_REG)
			continue;
		const struct test_file *t = spec_file(1, e->path);
		size_t want = t->content_len ? t->content_len : strlen(t->content);
		struct mint_plan_node n = node_of(e, 1);
		assert_ok(read_node(&r, &n, 4096, &got, &err), &err);
		assert_int_equal(got.len, want);
		assert_memory_equal(got.data, t->content, want);
	}
	mint_image_pkgdata_free(d);
	/* borrowed, not closed: the installs still own them */
	for (size_t i = 0; i < N_PKGS; i++) {
		assert_true(fcntl(f.installs[i].data_fd, F_GETFD) >= 0);
		close(f.installs[i].data_fd);
	}
	mint_buf_free(&got);
	fixture_close(&f);
}

static void test_pkgdata_inflates_only_packages_without_a_kept_stream(void **state)
{
	(void)state;
	struct fixture f;
	struct mint_image_pkgdata *d;
	struct mint_plan_content_reader r;
	struct mint_buf got = MINT_BUF_INIT;
	struct mint_err err = { 0 };
	fixture_open(&f);
	keep_stream(&f.installs[1], f.tmp);
	assert_ok(mint_image_pkgdata_open(&d, &f.pkgs, f.tmp, &err), &err);
	mint_image_pkgdata_reader(d, &r);
	for (size_t p = 0; p < N_PKGS; p++) {
		const struct mint_apk_entry *e = &f.installs[p].pkg.entries[1];
		const struct test_file *t = spec_file(p, e->path);
		size_t want = t->content_len ? t->content_len : strlen(t->content);
		struct mint_plan_node n = node_of(e, p);
		assert_ok(read_node(&r, &n, 4096, &got, &err), &err);
		assert_int_equal(got.len, want);
		assert_memory_equal(got.data, t->content, want);
	}
	mint_image_pkgdata_free(d);
	close(f.installs[1].data_fd);
	mint_buf_free(&got);
	fixture_close(&f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pkgdata_uses_kept_streams_without_reading_the_packages_again),
		cmocka_unit_test(test_pkgdata_inflates_only_packages_without_a_kept_stream),
		cmocka_unit_test(test_pkgdata_reads_every_file_as_packaged),
		cmocka_unit_test(test_pkgdata_leaves_no_file_in_tmpdir),
		cmocka_unit_test(test_pkgdata_refuses_node_outside_its_package_data),
		cmocka_unit_test(test_pkgdata_refuses_node_of_unknown_package),
		cmocka_unit_test(test_pkgdata_open_fails_naming_a_package_file_that_changed),
		cmocka_unit_test(test_pkgdata_open_with_no_packages_serves_nothing),
	};
	return tests_exit(cmocka_run_group_tests(tests, NULL, NULL));
}
