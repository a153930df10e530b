/* SPDX-License-Identifier: Apache-2.0 */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "elfbuild.h"
#include "mint/image_rootfs.h"
#include "planbuild.h"

/* ELF objects made once, kept for the process (the plan points at them). */
static char *elf_bytes(uint16_t machine, const char *soname, size_t *len)
{
	const char *names[] = { soname };
	struct test_elf spec = { .machine = machine, .sonames = names,
				 .n_sonames = soname != NULL };
	struct mint_buf b = MINT_BUF_INIT;
	build_test_elf(&spec, &b);
	return mint_buf_detach(&b, len);
}

struct lib {
	const char *path, *soname;
	uint16_t machine;
};

static struct mint_image_plan *plan_with_libs(const char *conf, const struct lib *libs, size_t n,
					      const struct test_entry *extra, size_t n_extra,
					      char **keep)
{
	struct test_entry e[16];
	size_t k = 0;
	struct mint_image_plan *p;
	struct mint_err err = { 0 };
	assert_ok(mint_image_plan_new(&p, NULL, &err), &err);
	if (conf)
		e[k++] = (struct test_entry){ .path = "etc/ld.so.conf", .content = conf };
	for (size_t i = 0; i < n; i++) {
		size_t len;
		keep[i] = elf_bytes(libs[i].machine ? libs[i].machine : 62, libs[i].soname, &len);
		e[k++] = (struct test_entry){ .path = libs[i].path, .content = keep[i],
					      .content_len = len };
	}
	for (size_t i = 0; i < n_extra; i++)
		e[k++] = extra[i];
	plan_add_test_package(p, 0, "glibc", NULL, 0, e, k);
	return p;
}

struct seen {
	char names[16][64];
	uint32_t flags[16];
	size_t n;
	const char *base;
};

static int remember(void *ctx, const struct mint_image_ldso_entry *e, struct mint_err *err)
{
	struct seen *s = ctx;
	(void)err;
	assert_true(s->n < 16);
	snprintf(s->names[s->n], 64, "%.*s", (int)e->value.len, e->value.ptr);
	/* the key is the file name inside the value */
	assert_true(e->key.ptr > e->value.ptr);
	assert_true(e->key.ptr + e->key.len == e->value.ptr + e->value.len);
	assert_int_equal(e->os_version, 0);
	assert_int_equal(e->hwcap, 0);
	s->flags[s->n++] = e->flags;
	return 0;
}

static void read_cache(struct mint_image_plan *p, struct seen *s, struct mint_buf *bytes)
{
	struct mint_err err = { 0 };
	uint32_t n;
	assert_ok(mint_image_plan_read_file(p, "etc/ld.so.cache", &test_plan_reader, 1 << 20, bytes,
					    &err), &err);
	memset(s, 0, sizeof(*s));
	assert_ok(mint_image_ldso_cache_parse(mint_buf_span(bytes), remember, s, &n, &err), &err);
	assert_int_equal(n, s->n);
}

static void free_keep(char **keep, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(keep[i]);
}

static void test_ldso_cache_entries_sorted_descending_with_flags(void **state)
{
	(void)state;
	static const struct lib libs[] = {
		{ "lib/libc.so.6", "libc.so.6", 0 },
		{ "lib/ld-linux-x86-64.so.2", "ld-linux-x86-64.so.2", 0 },
		{ "usr/local/lib/libfoo.so.1.2.3", "libfoo.so.1", 0 },   /* name != soname */
		{ "usr/local/lib/libfoo.so", "libfoo.so.1", 0 },         /* the link name fits */
		{ "usr/local/lib/libnosoname.so", NULL, 0 },
		{ "usr/local/lib/libnosoname.so.1", NULL, 0 },
		{ "usr/local/lib/notalib.so", "notalib.so", 0 },
		{ "opt/arm/libarm.so.3", "libarm.so.3", 183 },
	};
	static const struct test_entry extra[] = {
		{ .path = "usr/local/lib/libfoo.so.1", .type = MINT_TAR_SYMLINK,
		  .link = "libfoo.so.1.2.3" },
		{ .path = "usr/local/lib/libdangling.so.1", .type = MINT_TAR_SYMLINK,
		  .link = "nothing" },
		{ .path = "usr/local/lib/libtext.so.1", .content = "not ELF" },
	};
	char *keep[8];
	struct mint_image_plan *p = plan_with_libs("/usr/local/lib\n/opt/arm\n/missing\n", libs, 8,
						   extra, 3, keep);
	struct mint_err err = { 0 };
	struct mint_buf bytes = MINT_BUF_INIT;
	struct seen s;
	assert_ok(mint_image_rootfs_ldso_cache(p, &test_plan_reader, MINT_ARCH_AMD64, &err), &err);
	read_cache(p, &s, &bytes);
	static const char *const want[] = {
		"/usr/local/lib/libnosoname.so", "/usr/local/lib/libfoo.so.1",
		"/usr/local/lib/libfoo.so", "/lib/libc.so.6", "/opt/arm/libarm.so.3",
		"/lib/ld-linux-x86-64.so.2",
	};
	assert_int_equal(s.n, 6);
	for (size_t i = 0; i < 6; i++)
		assert_string_equal(s.names[i], want[i]);
	assert_int_equal(s.flags[0], 0x0303);
	assert_int_equal(s.flags[4], 0x0a03);
	const struct mint_plan_node *n = mint_image_plan_lookup(p, "etc/ld.so.cache");
	assert_int_equal(n->mode, 0644);
	assert_int_equal(n->mtime, 0);
	assert_int_equal(bytes.len % 16, 0);
	mint_buf_free(&bytes);
	free_keep(keep, 8);
	mint_image_plan_free(p);
}

static void test_ldso_cache_bytes_of_one_library(void **state)
{
	(void)state;
	static const struct lib libs[] = { { "lib/libz.so.1", "libz.so.1", 0 } };
	char *keep[1];
	struct mint_image_plan *p = plan_with_libs("", libs, 1, NULL, 0, keep);
	struct mint_err err = { 0 };
	struct mint_buf bytes = MINT_BUF_INIT;
	assert_ok(mint_image_rootfs_ldso_cache(p, &test_plan_reader, MINT_ARCH_ARM64, &err), &err);
	assert_ok(mint_image_plan_read_file(p, "etc/ld.so.cache", NULL, 4096, &bytes, &err), &err);
	/* header 48 + entry 24 + "/lib/libz.so.1\0" (15) = 87, padded to 96 */
	static const unsigned char want[96] = {
		'g', 'l', 'i', 'b', 'c', '-', 'l', 'd', '.', 's', 'o', '.', 'c', 'a', 'c', 'h',
		'e', '1', '.', '1', 1, 0, 0, 0, 15, 0, 0, 0, 0, 0, 0, 0,
		0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
		0x03, 0x03, 0, 0, 72 + 5, 0, 0, 0, 72, 0, 0, 0, 0, 0, 0, 0,
		0, 0, 0, 0, 0, 0, 0, 0, '/', 'l', 'i', 'b', '/', 'l', 'i', 'b',
		'z', '.', 's', 'o', '.', '1', 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	};
	assert_int_equal(bytes.len, sizeof(want));
	assert_memory_equal(bytes.data, want, sizeof(want));
	mint_buf_free(&bytes);
	free_keep(keep, 1);
	mint_image_plan_free(p);
}

static void test_ldso_cache_same_name_in_two_dirs_keeps_scan_order(void **state)
{
	(void)state;
	static const struct lib libs[] = {
		{ "usr/lib/libx.so.1", "libx.so.1", 0 },
		{ "lib/libx.so.1", "libx.so.1", 0 },
	};
	char *keep[2];
	struct mint_image_plan *p = plan_with_libs("/usr/lib\n/lib\n", libs, 2, NULL, 0, keep);
	struct mint_err err = { 0 };
	struct mint_buf bytes = MINT_BUF_INIT;
	struct seen s;
	assert_ok(mint_image_rootfs_ldso_cache(p, &test_plan_reader, MINT_ARCH_AMD64, &err), &err);
	read_cache(p, &s, &bytes);
	/* /lib is scanned first (and again: apko does not drop repeats) */
	assert_int_equal(s.n, 3);
	assert_string_equal(s.names[0], "/lib/libx.so.1");
	assert_string_equal(s.names[1], "/usr/lib/libx.so.1");
	assert_string_equal(s.names[2], "/lib/libx.so.1");
	mint_buf_free(&bytes);
	free_keep(keep, 2);
	mint_image_plan_free(p);
}

static void test_ldso_cache_unknown_machine_fails_and_other_archs_skip(void **state)
{
	(void)state;
	static const struct lib libs[] = { { "lib/libppc.so.1", "libppc.so.1", 21 } };
	char *keep[1];
	struct mint_image_plan *p = plan_with_libs("", libs, 1, NULL, 0, keep);
	struct mint_err err = { 0 };
	assert_int_equal(mint_image_rootfs_ldso_cache(p, &test_plan_reader, MINT_ARCH_AMD64, &err),
			 MINT_EUNSUPPORTED);
	assert_non_null(strstr(err.msg, "/lib/libppc.so.1: unknown machine type 21"));
	assert_ok(mint_image_rootfs_ldso_cache(p, &test_plan_reader, MINT_ARCH_PPC64LE, &err),
		  &err);
	assert_null(mint_image_plan_lookup(p, "etc/ld.so.cache"));
	free_keep(keep, 1);
	mint_image_plan_free(p);
}

static void test_ldso_cache_needs_ld_so_conf_and_keeps_a_shipped_cache_mtime(void **state)
{
	(void)state;
	static const struct lib libs[] = { { "lib/libz.so.1", "libz.so.1", 0 } };
	static const struct test_entry old[] = {
		{ .path = "etc/ld.so.cache", .content = "stale", .mode = 0600, .mtime = 99 },
	};
	char *keep[1];
	struct mint_image_plan *p = plan_with_libs(NULL, libs, 1, NULL, 0, keep);
	struct mint_err err = { 0 };
	assert_ok(mint_image_rootfs_ldso_cache(p, &test_plan_reader, MINT_ARCH_AMD64, &err), &err);
	assert_null(mint_image_plan_lookup(p, "etc/ld.so.cache"));
	mint_image_plan_free(p);
	free_keep(keep, 1);

	p = plan_with_libs("", libs, 1, old, 1, keep);
	assert_ok(mint_image_rootfs_ldso_cache(p, &test_plan_reader, MINT_ARCH_AMD64, &err), &err);
	const struct mint_plan_node *n = mint_image_plan_lookup(p, "etc/ld.so.cache");
	assert_int_equal(n->mtime, 99);
	assert_int_equal(n->mode, 0644);
	assert_int_equal(n->size, 96);
	free_keep(keep, 1);
	mint_image_plan_free(p);
}

static void test_ldso_cache_parse_rejects_truncated_and_bad_offsets(void **state)
{
	(void)state;
	static const struct lib libs[] = { { "lib/libz.so.1", "libz.so.1", 0 } };
	char *keep[1];
	struct mint_image_plan *p = plan_with_libs("", libs, 1, NULL, 0, keep);
	struct mint_err err = { 0 };
	struct mint_buf b = MINT_BUF_INIT;
	assert_ok(mint_image_rootfs_ldso_cache(p, &test_plan_reader, MINT_ARCH_AMD64, &err), &err);
	assert_ok(mint_image_plan_read_file(p, "etc/ld.so.cache", NULL, 4096, &b, &err), &err);
	assert_int_equal(mint_image_ldso_cache_parse(MINT_SPAN(b.data, 40), NULL, NULL, NULL, &err),
			 MINT_ETRUNCATED);
	assert_int_equal(mint_image_ldso_cache_parse(MINT_SPAN(b.data, 60), NULL, NULL, NULL, &err),
			 MINT_ETRUNCATED);
	b.data[48 + 8] = (char)0xff; /* value offset far outside */
	assert_int_equal(mint_image_ldso_cache_parse(mint_buf_span(&b), NULL, NULL, NULL, &err),
			 MINT_EFORMAT);
	assert_true(err.has_offset);
	b.data[0] = 'G';
	assert_int_equal(mint_image_ldso_cache_parse(mint_buf_span(&b), NULL, NULL, NULL, &err),
			 MINT_EFORMAT);
	mint_buf_free(&b);
	free_keep(keep, 1);
	mint_image_plan_free(p);
}

struct host_count {
	size_t entries, absolute;
};

static int count_host(void *ctx, const struct mint_image_ldso_entry *e, struct mint_err *err)
{
	struct host_count *c = ctx;
	(void)err;
	c->entries++;
	c->absolute += e->value.len && e->value.ptr[0] == '/';
	return 0;
}

/* glibc's own ldconfig output, when this machine has one. */
static void test_ldso_cache_parse_reads_the_host_cache(void **state)
{
	(void)state;
	struct mint_buf b = MINT_BUF_INIT;
	struct mint_err err = { 0 };
	struct host_count c = { 0, 0 };
	uint32_t n;
	FILE *f = fopen("/etc/ld.so.cache", "rb");
	if (!f) {
		skip();
		return;
	}
	fclose(f);
	read_file_or_fail("/etc/ld.so.cache", &b);
	if (b.len < 20 || memcmp(b.data, "glibc-ld.so.cache1.1", 20) != 0) {
		mint_buf_free(&b);
		skip();
		return;
	}
	assert_ok(mint_image_ldso_cache_parse(mint_buf_span(&b), count_host, &c, &n, &err), &err);
	assert_int_equal(c.entries, n);
	assert_int_equal(c.absolute, n);
	mint_buf_free(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ldso_cache_entries_sorted_descending_with_flags),
		cmocka_unit_test(test_ldso_cache_bytes_of_one_library),
		cmocka_unit_test(test_ldso_cache_same_name_in_two_dirs_keeps_scan_order),
		cmocka_unit_test(test_ldso_cache_unknown_machine_fails_and_other_archs_skip),
		cmocka_unit_test(test_ldso_cache_needs_ld_so_conf_and_keeps_a_shipped_cache_mtime),
		cmocka_unit_test(test_ldso_cache_parse_rejects_truncated_and_bad_offsets),
		cmocka_unit_test(test_ldso_cache_parse_reads_the_host_cache),
	};
	return tests_exit(cmocka_run_group_tests(tests, NULL, NULL));
}
