/* SPDX-License-Identifier: Apache-2.0 */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mint/hash.h"
#include "mint/tar.h"

static int buf_sink(void *ctx, const void *data, size_t len, struct mint_err *err)
{
	(void)err;
	return mint_buf_append(ctx, data, len);
}

static struct mint_tar_writer writer_into(struct mint_buf *b)
{
	return (struct mint_tar_writer){ .sink = buf_sink, .ctx = b };
}

static struct mint_tar_entry entry(const char *name, enum mint_tar_type type, uint32_t mode)
{
	struct mint_tar_entry e;
	memset(&e, 0, sizeof(e));
	e.name = (char *)name;
	e.type = type;
	e.mode = mode;
	strcpy(e.uname, "root");
	strcpy(e.gname, "root");
	e.mtime = 1700000000;
	return e;
}

static void write_ok(struct mint_tar_writer *w, const struct mint_tar_entry *e, const char *content)
{
	struct mint_err err = { 0 };
	assert_ok(mint_tar_write_entry(w, e, content, &err), &err);
}

/* Replaces b with an archive of e alone (content may be NULL), written by a
 * writer with the default settings; no end blocks. */
static void write_one(struct mint_buf *b, const struct mint_tar_entry *e, const char *content)
{
	mint_buf_reset(b);
	struct mint_tar_writer w = writer_into(b);
	write_ok(&w, e, content);
}

/* A field of the header block at off, as a C string. */
static const char *field(const struct mint_buf *b, size_t block, size_t off)
{
	return b->data + block * MINT_TAR_BLOCK + off;
}

/* The golden archive: one entry of every type, a PAX header for the apk
 * checksum and an xattr, and an end of archive. Its bytes were checked with
 * GNU tar -tvvf and python's tarfile when tests/data/tar/golden.tar was made
 * (set MINT_TAR_GOLDEN_OUT to write it again). */
static void write_golden(struct mint_buf *out)
{
	struct mint_tar_writer w = writer_into(out);
	struct mint_err err = { 0 };
	struct mint_tar_entry e = entry("etc", MINT_TAR_DIR, 0755);
	write_ok(&w, &e, NULL);
	e = entry("etc/motd", MINT_TAR_REG, 0644);
	e.size = 6;
	e.has_apk_sha1 = true;
	unsigned char sha[MINT_HASH_MAX_BYTES];
	mint_hash_bytes(MINT_HASH_SHA1, "hello\n", 6, sha);
	memcpy(e.apk_sha1, sha, sizeof(e.apk_sha1));
	unsigned char cap[] = { 1, 0, 0, 2, 0, 0x20, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 };
	struct mint_xattr x = { "security.capability", cap, sizeof(cap) };
	e.xattrs = &x;
	e.n_xattrs = 1;
	write_ok(&w, &e, "hello\n");
	e = entry("etc/issue", MINT_TAR_SYMLINK, 0777);
	e.link_target = "motd";
	write_ok(&w, &e, NULL);
	e = entry("etc/motd.hard", MINT_TAR_HARDLINK, 0644);
	e.link_target = "etc/motd";
	write_ok(&w, &e, NULL);
	e = entry("dev/null", MINT_TAR_CHAR, 0666);
	e.devmajor = 1;
	e.devminor = 3;
	write_ok(&w, &e, NULL);
	e = entry("dev/loop0", MINT_TAR_BLOCKDEV, 0660);
	e.devmajor = 7;
	strcpy(e.gname, "disk");
	e.gid = 6;
	write_ok(&w, &e, NULL);
	e = entry("run/initctl", MINT_TAR_FIFO, 0600);
	e.uid = 1000;
	e.gid = 1000;
	strcpy(e.uname, "build");
	strcpy(e.gname, "build");
	write_ok(&w, &e, NULL);
	assert_ok(mint_tar_write_end(&w, &err), &err);
}

static void test_tar_write_golden_archive_is_byte_exact(void **state)
{
	(void)state;
	struct mint_buf got = MINT_BUF_INIT, want = MINT_BUF_INIT;
	write_golden(&got);
	const char *dump = getenv("MINT_TAR_GOLDEN_OUT");
	if (dump) {
		FILE *f = fopen(dump, "wb");
		assert_non_null(f);
		assert_int_equal(fwrite(got.data, 1, got.len, f), got.len);
		fclose(f);
	}
	char *path = testdata_path("tar/golden.tar");
	read_file_or_fail(path, &want);
	assert_int_equal(got.len, want.len);
	assert_memory_equal(got.data, want.data, got.len);
	free(path);
	mint_buf_free(&got);
	mint_buf_free(&want);
}

static void test_tar_write_is_deterministic(void **state)
{
	(void)state;
	struct mint_buf a = MINT_BUF_INIT, b = MINT_BUF_INIT;
	write_golden(&a);
	write_golden(&b);
	assert_int_equal(a.len, b.len);
	assert_memory_equal(a.data, b.data, a.len);
	mint_buf_free(&a);
	mint_buf_free(&b);
}

static void test_tar_write_ustar_fields_are_nul_terminated_octal(void **state)
{
	(void)state;
	struct mint_buf b = MINT_BUF_INIT;
	struct mint_tar_entry e = entry("bin/sh", MINT_TAR_REG, 0100755);
	e.size = 3;
	write_one(&b, &e, "#!\n");
	assert_int_equal(b.len, 2 * MINT_TAR_BLOCK);
	assert_memory_equal(field(&b, 0, 100), "0000755\0", 8);
	assert_memory_equal(field(&b, 0, 108), "0000000\0", 8);
	assert_memory_equal(field(&b, 0, 124), "00000000003\0", 12);
	assert_memory_equal(field(&b, 0, 136), "14524770400\0", 12);
	assert_memory_equal(field(&b, 0, 154), "\0 ", 2);
	assert_memory_equal(field(&b, 0, 257), "ustar\0" "00", 8);
	assert_string_equal(field(&b, 0, 265), "root");
	assert_memory_equal(field(&b, 0, 329), "0000000\0" "0000000\0", 16);
	assert_memory_equal(field(&b, 1, 0), "#!\n\0", 4);
	mint_buf_free(&b);
}

static void test_tar_write_end_is_two_zero_blocks(void **state)
{
	(void)state;
	struct mint_buf b = MINT_BUF_INIT;
	struct mint_tar_writer w = writer_into(&b);
	struct mint_err err = { 0 };
	assert_ok(mint_tar_write_end(&w, &err), &err);
	assert_int_equal(b.len, 1024);
	assert_int_equal(w.offset, 1024);
	for (size_t i = 0; i < b.len; i++)
		assert_int_equal(b.data[i], 0);
	mint_buf_free(&b);
}

/* A reader over an archive in memory, and the source it reads. */
struct read_back {
	struct mint_tar_reader *r;
	struct mint_span_source ss;
};

static struct mint_tar_reader *reader_over(struct read_back *rb, const struct mint_buf *b,
					   enum mint_tar_end end)
{
	struct mint_err err = { 0 };
	struct mint_source src = mint_span_source_init(&rb->ss, mint_buf_span(b));
	assert_ok(mint_tar_reader_new(&rb->r, src, NULL, end, &err), &err);
	return rb->r;
}

static const struct mint_tar_entry *next_ok(struct mint_tar_reader *r)
{
	struct mint_err err = { 0 };
	const struct mint_tar_entry *e = NULL;
	int rc = mint_tar_next(r, &e, &err);
	if (rc != 1)
		assert_ok(rc ? rc : -999, &err);
	return e;
}

/* The first entry of the archive in b, read through rb; free rb->r after. */
static const struct mint_tar_entry *read_first(struct read_back *rb, const struct mint_buf *b)
{
	return next_ok(reader_over(rb, b, MINT_TAR_END_OPTIONAL));
}

static void test_tar_write_round_trips_every_type(void **state)
{
	(void)state;
	struct mint_buf b = MINT_BUF_INIT;
	struct mint_err err = { 0 };
	write_golden(&b);
	struct read_back rb;
	struct mint_tar_reader *r = reader_over(&rb, &b, MINT_TAR_END_REQUIRED);
	const struct mint_tar_entry *e = next_ok(r);
	assert_string_equal(e->name, "etc");
	assert_int_equal(e->type, MINT_TAR_DIR);
	assert_int_equal(e->mode, 0755);
	assert_int_equal(e->mtime, 1700000000);
	e = next_ok(r);
	assert_string_equal(e->name, "etc/motd");
	assert_int_equal(e->header_offset, 512);
	assert_int_equal(e->data_offset, 2048);
	assert_int_equal(e->size, 6);
	assert_true(e->has_apk_sha1);
	unsigned char sha[MINT_HASH_MAX_BYTES];
	mint_hash_bytes(MINT_HASH_SHA1, "hello\n", 6, sha);
	assert_memory_equal(e->apk_sha1, sha, 20);
	assert_int_equal(e->n_xattrs, 1);
	assert_string_equal(e->xattrs[0].name, "security.capability");
	assert_int_equal(e->xattrs[0].value_len, 20);
	char content[16];
	size_t got;
	assert_ok(mint_tar_read(r, content, sizeof(content), &got, &err), &err);
	assert_int_equal(got, 6);
	assert_memory_equal(content, "hello\n", 6);
	e = next_ok(r);
	assert_int_equal(e->type, MINT_TAR_SYMLINK);
	assert_string_equal(e->link_target, "motd");
	e = next_ok(r);
	assert_int_equal(e->type, MINT_TAR_HARDLINK);
	assert_string_equal(e->link_target, "etc/motd");
	e = next_ok(r);
	assert_int_equal(e->type, MINT_TAR_CHAR);
	assert_int_equal(e->devmajor, 1);
	assert_int_equal(e->devminor, 3);
	e = next_ok(r);
	assert_int_equal(e->type, MINT_TAR_BLOCKDEV);
	assert_int_equal(e->devmajor, 7);
	assert_string_equal(e->gname, "disk");
	assert_int_equal(e->gid, 6);
	e = next_ok(r);
	assert_int_equal(e->type, MINT_TAR_FIFO);
	assert_int_equal(e->uid, 1000);
	assert_string_equal(e->uname, "build");
	assert_int_equal(mint_tar_next(r, &e, &err), 0);
	assert_int_equal(mint_tar_offset(r), b.len);
	mint_tar_reader_free(r);
	mint_buf_free(&b);
}

static char *repeat_path(const char *component, int times)
{
	size_t n = strlen(component);
	char *s = calloc(1, (n + 1) * (size_t)times + 1);
	for (int i = 0; i < times; i++) {
		strcat(s, component);
		if (i + 1 < times)
			strcat(s, "/");
	}
	return s;
}

static void test_tar_write_long_name_uses_ustar_prefix_when_it_fits(void **state)
{
	(void)state;
	struct mint_buf b = MINT_BUF_INIT;
	char *name = repeat_path("abcdefghij", 14); /* 153 bytes */
	struct mint_tar_entry e = entry(name, MINT_TAR_DIR, 0755);
	write_one(&b, &e, NULL);
	assert_int_equal(b.len, MINT_TAR_BLOCK);
	/* The last '/' within the first 156 bytes splits: prefix of 142 bytes. */
	assert_memory_equal(field(&b, 0, 345), name, 142);
	assert_int_equal(field(&b, 0, 345)[142], '\0');
	assert_string_equal(field(&b, 0, 0), name + 143);
	struct read_back rb;
	assert_string_equal(read_first(&rb, &b)->name, name);
	mint_tar_reader_free(rb.r);
	free(name);
	mint_buf_free(&b);
}

static const char *pax_payload(const struct mint_buf *b)
{
	assert_int_equal(field(b, 0, 156)[0], 'x');
	return field(b, 1, 0);
}

static void test_tar_write_unsplittable_or_checksummed_long_name_goes_to_pax_path(void **state)
{
	(void)state;
	struct mint_buf b = MINT_BUF_INIT;
	char long_component[131];
	memset(long_component, 'n', 130);
	long_component[130] = '\0';
	struct mint_tar_entry e = entry(long_component, MINT_TAR_DIR, 0755);
	write_one(&b, &e, NULL);
	char want[160];
	snprintf(want, sizeof(want), "140 path=%s\n", long_component);
	assert_string_equal(pax_payload(&b), want);
	assert_memory_equal(field(&b, 2, 0), long_component, 100);
	char *name = repeat_path("abcdefghij", 14);
	e = entry(name, MINT_TAR_REG, 0644);
	e.has_apk_sha1 = true;
	write_one(&b, &e, NULL);
	const char *payload = pax_payload(&b);
	assert_non_null(strstr(payload, "68 APK-TOOLS.checksum.SHA1=000000"));
	assert_non_null(strstr(payload, "\n163 path=abcdefghij/"));
	struct read_back rb;
	assert_string_equal(read_first(&rb, &b)->name, name);
	mint_tar_reader_free(rb.r);
	free(name);
	mint_buf_free(&b);
}

static void test_tar_write_long_link_goes_to_pax_linkpath(void **state)
{
	(void)state;
	struct mint_buf b = MINT_BUF_INIT;
	char *target = repeat_path("../../target", 12);
	struct mint_tar_entry e = entry("usr/lib/x", MINT_TAR_SYMLINK, 0777);
	e.link_target = target;
	write_one(&b, &e, NULL);
	assert_non_null(strstr(pax_payload(&b), " linkpath=../../target/"));
	assert_string_equal(field(&b, 0, 0), "usr/lib/PaxHeaders.0/x");
	struct read_back rb;
	const struct mint_tar_entry *got = read_first(&rb, &b);
	assert_string_equal(got->link_target, target);
	assert_int_equal(got->header_offset, 0);
	mint_tar_reader_free(rb.r);
	free(target);
	mint_buf_free(&b);
}

static void test_tar_write_large_numbers_go_to_sorted_pax_records(void **state)
{
	(void)state;
	struct mint_buf b = MINT_BUF_INIT;
	struct mint_tar_writer w = writer_into(&b);
	struct mint_err err = { 0 };
	struct mint_tar_entry e = entry("big", MINT_TAR_REG, 0600);
	e.size = 9ULL << 30;
	e.uid = 3000000;
	e.gid = 2097151; /* the largest that fits 7 octal digits */
	e.mtime = -86400;
	assert_ok(mint_tar_write_header(&w, &e, &err), &err);
	assert_string_equal(pax_payload(&b), "16 mtime=-86400\n19 size=9663676416\n15 uid=3000000\n");
	assert_memory_equal(field(&b, 2, 108), "0000000\0" "7777777\0", 16);
	assert_memory_equal(field(&b, 2, 124), "00000000000\0" "00000000000\0", 24);
	assert_int_equal(w.data_left, 9ULL << 30);
	struct read_back rb;
	const struct mint_tar_entry *got = read_first(&rb, &b);
	assert_int_equal(got->size, 9ULL << 30);
	assert_int_equal(got->uid, 3000000);
	assert_int_equal(got->gid, 2097151);
	assert_int_equal(got->mtime, -86400);
	mint_tar_reader_free(rb.r);
	mint_buf_free(&b);
}

static void test_tar_write_xattrs_sorted_after_apk_checksum(void **state)
{
	(void)state;
	struct mint_buf b = MINT_BUF_INIT;
	struct mint_tar_entry e = entry("usr/bin/hello", MINT_TAR_REG, 0755);
	struct mint_xattr xs[] = {
		{ "user.z", (unsigned char *)"1", 1 },
		{ "security.capability", (unsigned char *)"\0\n=", 3 },
		{ "user.a", (unsigned char *)"", 0 },
	};
	e.xattrs = xs;
	e.n_xattrs = 3;
	e.has_apk_sha1 = true;
	memset(e.apk_sha1, 0xab, 20);
	write_one(&b, &e, NULL);
	assert_string_equal(field(&b, 0, 0), "usr/bin/PaxHeaders.0/hello");
	assert_memory_equal(field(&b, 0, 100), "0000000\0" "0000000\0" "0000000\0", 24);
	assert_memory_equal(field(&b, 0, 136), "00000000000\0", 12);
	const char want[] = "68 APK-TOOLS.checksum.SHA1=abababababababababababababababababababab\n"
			    "40 SCHILY.xattr.security.capability=\0\n=\n"
			    "24 SCHILY.xattr.user.a=\n"
			    "25 SCHILY.xattr.user.z=1\n";
	assert_memory_equal(pax_payload(&b), want, sizeof(want));
	struct read_back rb;
	const struct mint_tar_entry *got = read_first(&rb, &b);
	assert_int_equal(got->n_xattrs, 3);
	assert_string_equal(got->xattrs[0].name, "security.capability");
	assert_memory_equal(got->xattrs[0].value, "\0\n=", 3);
	assert_string_equal(got->xattrs[1].name, "user.a");
	assert_int_equal(got->xattrs[1].value_len, 0);
	mint_tar_reader_free(rb.r);
	mint_buf_free(&b);
}

static void test_tar_write_pax_header_name_uses_prefix_and_fits_100(void **state)
{
	(void)state;
	struct mint_buf b = MINT_BUF_INIT;
	struct mint_tar_writer w = writer_into(&b);
	w.pax_prefix = "./PaxHeaders/";
	struct mint_tar_entry e = entry("var/lib/", MINT_TAR_DIR, 0755);
	struct mint_xattr x = { "user.k", (unsigned char *)"v", 1 };
	e.xattrs = &x;
	e.n_xattrs = 1;
	write_ok(&w, &e, NULL);
	assert_string_equal(field(&b, 0, 0), "var/./PaxHeaders/lib");
	char name[120];
	memset(name, 'd', 99);
	strcpy(name + 99, "/file");
	e = entry(name, MINT_TAR_REG, 0644);
	e.has_apk_sha1 = true;
	write_one(&b, &e, NULL);
	/* 99 d's + "/PaxHeaders.0/file" cut to 100 bytes ends in '/', dropped */
	assert_int_equal(strnlen(field(&b, 0, 0), 100), 99);
	assert_memory_equal(field(&b, 0, 0), name, 99);
	mint_buf_free(&b);
}

static void test_tar_write_non_ascii_name_goes_to_pax_path(void **state)
{
	(void)state;
	struct mint_buf b = MINT_BUF_INIT;
	struct mint_tar_entry e = entry("usr/share/caf\xc3\xa9", MINT_TAR_DIR, 0755);
	write_one(&b, &e, NULL);
	assert_string_equal(pax_payload(&b), "24 path=usr/share/caf\xc3\xa9\n");
	assert_string_equal(field(&b, 2, 0), "usr/share/caf");
	mint_buf_free(&b);
}

static void test_tar_write_refuses_misuse(void **state)
{
	(void)state;
	struct mint_buf b = MINT_BUF_INIT;
	struct mint_tar_writer w = writer_into(&b);
	struct mint_err err = { 0 };
	struct mint_tar_entry e = entry("f", MINT_TAR_REG, 0644);
	e.size = 4;
	assert_ok(mint_tar_write_header(&w, &e, &err), &err);
	assert_int_equal(mint_tar_write_pad(&w, &err), MINT_EINVAL);
	assert_int_equal(mint_tar_write_header(&w, &e, &err), MINT_EINVAL);
	assert_int_equal(mint_tar_write_data(&w, "12345", 5, &err), MINT_EINVAL);
	assert_ok(mint_tar_write_data(&w, "1234", 4, &err), &err);
	assert_int_equal(mint_tar_write_end(&w, &err), MINT_EINVAL);
	assert_ok(mint_tar_write_pad(&w, &err), &err);
	assert_int_equal(w.offset, 1024);
	struct mint_tar_entry d = entry("d", MINT_TAR_DIR, 0755);
	d.size = 1;
	assert_int_equal(mint_tar_write_header(&w, &d, &err), MINT_EINVAL);
	struct mint_tar_entry l = entry("l", MINT_TAR_SYMLINK, 0777);
	assert_int_equal(mint_tar_write_header(&w, &l, &err), MINT_EINVAL);
	struct mint_tar_entry x = entry("x", MINT_TAR_REG, 0644);
	struct mint_xattr twice[] = { { "user.a", NULL, 0 }, { "user.a", NULL, 0 } };
	x.xattrs = twice;
	x.n_xattrs = 2;
	assert_int_equal(mint_tar_write_header(&w, &x, &err), MINT_EDUPLICATE);
	struct mint_xattr eq = { "user.a=b", NULL, 0 };
	x.xattrs = &eq;
	x.n_xattrs = 1;
	assert_int_equal(mint_tar_write_header(&w, &x, &err), MINT_EINVAL);
	assert_int_equal(w.offset, 1024);
	mint_buf_free(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tar_write_golden_archive_is_byte_exact),
		cmocka_unit_test(test_tar_write_is_deterministic),
		cmocka_unit_test(test_tar_write_ustar_fields_are_nul_terminated_octal),
		cmocka_unit_test(test_tar_write_end_is_two_zero_blocks),
		cmocka_unit_test(test_tar_write_round_trips_every_type),
		cmocka_unit_test(test_tar_write_long_name_uses_ustar_prefix_when_it_fits),
		cmocka_unit_test(test_tar_write_unsplittable_or_checksummed_long_name_goes_to_pax_path),
		cmocka_unit_test(test_tar_write_long_link_goes_to_pax_linkpath),
		cmocka_unit_test(test_tar_write_large_numbers_go_to_sorted_pax_records),
		cmocka_unit_test(test_tar_write_xattrs_sorted_after_apk_checksum),
		cmocka_unit_test(test_tar_write_pax_header_name_uses_prefix_and_fits_100),
		cmocka_unit_test(test_tar_write_non_ascii_name_goes_to_pax_path),
		cmocka_unit_test(test_tar_write_refuses_misuse),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
