/* SPDX-License-Identifier: Apache-2.0 */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "apkbuild.h"
#include "mint/apk_package.h"
#include "mint/buf.h"
#include "mint/gzip.h"
#include "mint/image_plan.h"
#include "mint/oci.h"
#include "mint/oci_layer.h"
#include "mint/tar.h"

/* The packages' inflated data streams, by package index. */
struct streams {
	struct mint_buf data[2];
	struct mint_span_source src;
	unsigned opened, closed;
};

static int open_content(void *ctx, const struct mint_plan_node *n, struct mint_source *src,
			struct mint_err *err)
{
	struct streams *s = ctx;
	if (n->owner >= 2 || n->data_offset + n->size > s->data[n->owner].len)
		return mint_err_set(err, MINT_EINVAL, "bad range");
	s->opened++;
	*src = mint_span_source_init(&s->src, MINT_SPAN(s->data[n->owner].data + n->data_offset,
							 n->size));
	return 0;
}

static void close_content(void *ctx, const struct mint_plan_node *n)
{
	(void)n;
	((struct streams *)ctx)->closed++;
}

static void add_pkg(struct mint_image_plan *p, size_t idx, const char *name,
		    const struct test_file *files, size_t n, struct streams *s)
{
	char pkginfo[128];
	snprintf(pkginfo, sizeof(pkginfo), "pkgname = %s\npkgver = 1-r0\narch = x86_64\n", name);
	struct test_apk spec = { .pkginfo = pkginfo, .files = files, .n_files = n };
	struct mint_buf apk = MINT_BUF_INIT;
	struct mint_apk_package pkg;
	struct mint_err err = { 0 };
	build_test_apk(&spec, &apk);
	memset(&pkg, 0, sizeof(pkg));
	assert_ok(mint_apk_package_read_mem(mint_buf_span(&apk), NULL, NULL, 0, &pkg, &err), &err);
	struct mint_span member = MINT_SPAN(apk.data + pkg.data_member.offset,
					    pkg.data_member.size);
	assert_ok(mint_gunzip_member(member, NULL, &s->data[idx], NULL, &err), &err);
	assert_ok(mint_image_plan_add_package(p, idx, &pkg, NULL, &err), &err);
	mint_apk_package_free(&pkg);
	mint_buf_free(&apk);
}

struct want {
	const char *name;
	enum mint_tar_type type;
	uint32_t mode;
	const char *content_or_link;
};

static void read_layer(const char *dir, const struct mint_oci_layer_info *info,
		       const struct want *want, size_t n)
{
	struct mint_buf gz = MINT_BUF_INIT, tar = MINT_BUF_INIT, got = MINT_BUF_INIT;
	struct mint_err err = { 0 };
	char *path = mint_oci_blob_path(dir, info->desc.digest);
	read_file_or_fail(path, &gz);
	free(path);
	assert_ok(mint_gunzip_member(mint_buf_span(&gz), NULL, &tar, NULL, &err), &err);
	struct mint_span_source ss;
	struct mint_tar_reader *r;
	assert_ok(mint_tar_reader_new(&r, mint_span_source_init(&ss, mint_buf_span(&tar)), NULL,
				      MINT_TAR_END_REQUIRED, &err), &err);
	const struct mint_tar_entry *e;
	for (size_t i = 0; i < n; i++) {
		assert_int_equal(mint_tar_next(r, &e, &err), 1);
		assert_string_equal(e->name, want[i].name);
		assert_int_equal(e->type, want[i].type);
		assert_int_equal(e->mode, want[i].mode);
		if (e->type == MINT_TAR_REG) {
			char buf[64];
			size_t len;
			mint_buf_reset(&got);
			do {
				assert_ok(mint_tar_read(r, buf, sizeof(buf), &len, &err), &err);
				mint_buf_append(&got, buf, len);
			} while (len);
			mint_buf_putc(&got, '\0');
			assert_string_equal(got.data, want[i].content_or_link);
		} else if (want[i].content_or_link) {
			assert_string_equal(e->link_target, want[i].content_or_link);
		}
		if (e->type == MINT_TAR_CHAR) {
			assert_int_equal(e->devmajor, 1);
			assert_int_equal(e->devminor, 3);
		}
	}
	assert_int_equal(mint_tar_next(r, &e, &err), 0);
	mint_tar_reader_free(r);
	mint_buf_free(&gz);
	mint_buf_free(&tar);
	mint_buf_free(&got);
}

static void test_plan_layer_reads_back_as_the_expected_entries(void **state)
{
	(void)state;
	const struct test_file base[] = {
		{ .name = "bin", .type = MINT_TAR_DIR },
		{ .name = "bin/busybox", .content = "busybox!" },
		{ .name = "bin/ash", .type = MINT_TAR_HARDLINK, .link = "bin/busybox" },
		{ .name = "lib", .type = MINT_TAR_SYMLINK, .link = "usr/lib" },
		{ .name = "usr/lib/libc.so", .content = "libc" },
	};
	const struct test_file extra[] = {
		{ .name = "etc", .type = MINT_TAR_DIR },
		{ .name = "etc/motd", .content = "welcome\n" },
	};
	struct streams s;
	memset(&s, 0, sizeof(s));
	struct mint_image_plan *p;
	struct mint_err err = { 0 };
	assert_ok(mint_image_plan_new(&p, NULL, &err), &err);
	add_pkg(p, 0, "base", base, 5, &s);
	add_pkg(p, 1, "extra", extra, 2, &s);
	assert_ok(mint_image_plan_put_dir(p, "dev", 0755, 0, 0, 0, &err), &err);
	assert_ok(mint_image_plan_put_device(p, "dev/null", MINT_TAR_CHAR, 1, 3, 0666, 0, 0, 0,
					     &err), &err);
	assert_ok(mint_image_plan_put_file(p, "etc/passwd", "root:x:0:0::/root:/bin/sh\n", 26,
					   0644, 0, 0, 0, &err), &err);

	char *dir = make_tmpdir();
	assert_ok(mint_oci_layout_init(dir, &err), &err);
	struct mint_oci_layer *l;
	assert_ok(mint_oci_layer_new(&l, dir, 1, 6, &err), &err);
	struct mint_plan_content_reader rd = { open_content, close_content, &s };
	assert_ok(mint_image_plan_write_layer(p, l, &rd, &err), &err);
	struct mint_oci_layer_info info;
	assert_ok(mint_oci_layer_finish(l, &info, &err), &err);
	mint_oci_layer_free(l);
	assert_int_equal(s.opened, 3);
	assert_int_equal(s.closed, 3);

	/* bin/ash comes before bin/busybox: it carries the content. */
	const struct want want[] = {
		{ "bin", MINT_TAR_DIR, 0755, NULL },
		{ "bin/ash", MINT_TAR_REG, 0644, "busybox!" },
		{ "bin/busybox", MINT_TAR_HARDLINK, 0644, "bin/ash" },
		{ "dev", MINT_TAR_DIR, 0755, NULL },
		{ "dev/null", MINT_TAR_CHAR, 0666, NULL },
		{ "etc", MINT_TAR_DIR, 0755, NULL },
		{ "etc/motd", MINT_TAR_REG, 0644, "welcome\n" },
		{ "etc/passwd", MINT_TAR_REG, 0644, "root:x:0:0::/root:/bin/sh\n" },
		{ "lib", MINT_TAR_SYMLINK, 0644, "usr/lib" },
		{ "usr", MINT_TAR_DIR, 0755, NULL },
		{ "usr/lib", MINT_TAR_DIR, 0755, NULL },
		{ "usr/lib/libc.so", MINT_TAR_REG, 0644, "libc" },
	};
	read_layer(dir, &info, want, sizeof(want) / sizeof(want[0]));
	cleanup_tmpdir(dir);
	mint_image_plan_free(p);
	mint_buf_free(&s.data[0]);
	mint_buf_free(&s.data[1]);
}

static void test_plan_layer_hardlink_after_its_target(void **state)
{
	(void)state;
	const struct test_file files[] = {
		{ .name = "a", .content = "same" },
		{ .name = "b", .type = MINT_TAR_HARDLINK, .link = "a" },
	};
	struct streams s;
	memset(&s, 0, sizeof(s));
	struct mint_image_plan *p;
	struct mint_err err = { 0 };
	assert_ok(mint_image_plan_new(&p, NULL, &err), &err);
	add_pkg(p, 0, "x", files, 2, &s);
	char *dir = make_tmpdir();
	assert_ok(mint_oci_layout_init(dir, &err), &err);
	struct mint_oci_layer *l;
	assert_ok(mint_oci_layer_new(&l, dir, 1, 6, &err), &err);
	struct mint_plan_content_reader rd = { open_content, NULL, &s };
	assert_ok(mint_image_plan_write_layer(p, l, &rd, &err), &err);
	struct mint_oci_layer_info info;
	assert_ok(mint_oci_layer_finish(l, &info, &err), &err);
	mint_oci_layer_free(l);
	const struct want want[] = {
		{ "a", MINT_TAR_REG, 0644, "same" },
		{ "b", MINT_TAR_HARDLINK, 0644, "a" },
	};
	read_layer(dir, &info, want, 2);
	cleanup_tmpdir(dir);
	mint_image_plan_free(p);
	mint_buf_free(&s.data[0]);
}

static void test_plan_layer_needs_a_reader_for_package_content(void **state)
{
	(void)state;
	const struct test_file files[] = { { .name = "a", .content = "x" } };
	struct streams s;
	memset(&s, 0, sizeof(s));
	struct mint_image_plan *p;
	struct mint_err err = { 0 };
	assert_ok(mint_image_plan_new(&p, NULL, &err), &err);
	add_pkg(p, 0, "x", files, 1, &s);
	char *dir = make_tmpdir();
	assert_ok(mint_oci_layout_init(dir, &err), &err);
	struct mint_oci_layer *l;
	assert_ok(mint_oci_layer_new(&l, dir, 1, 6, &err), &err);
	assert_int_equal(mint_image_plan_write_layer(p, l, NULL, &err), MINT_EINVAL);
	mint_oci_layer_free(l);
	cleanup_tmpdir(dir);
	mint_image_plan_free(p);
	mint_buf_free(&s.data[0]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plan_layer_reads_back_as_the_expected_entries),
		cmocka_unit_test(test_plan_layer_hardlink_after_its_target),
		cmocka_unit_test(test_plan_layer_needs_a_reader_for_package_content),
	};
	return tests_exit(cmocka_run_group_tests(tests, NULL, NULL));
}
