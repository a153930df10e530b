/* SPDX-License-Identifier: Apache-2.0 */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mint/hash.h"
#include "mint/tar.h"

#define LONG_DIR "a-directory-name-long-enough-to-need-more-than-one-hundred-bytes-" \
		 "0123456789012345678901234567890123456789"

/* ---- building archives by hand ---- */

static void set_checksum(char *b)
{
	unsigned sum = 0;
	memset(b + 148, ' ', 8);
	for (int i = 0; i < MINT_TAR_BLOCK; i++)
		sum += (unsigned char)b[i];
	snprintf(b + 148, 8, "%06o", sum);
	b[155] = ' ';
}

/* A ustar header block with octal fields, ready for tweaks and set_checksum. */
static void make_header(char *b, const char *name, char type, uint64_t size)
{
	memset(b, 0, MINT_TAR_BLOCK);
	memcpy(b, name, strlen(name));
	memcpy(b + 100, "0000644\0" "0000000\0" "0000000\0", 24);
	snprintf(b + 124, 12, "%011llo", (unsigned long long)size);
	memcpy(b + 136, "14524770400\0", 12);
	b[156] = type;
	memcpy(b + 257, "ustar\0" "00", 8);
	set_checksum(b);
}

static void add_block(struct mint_buf *a, const char *block)
{
	assert_int_equal(mint_buf_append(a, block, MINT_TAR_BLOCK), 0);
}

/* Header, content and padding. */
static void add_entry(struct mint_buf *a, const char *name, char type, const void *data,
		      size_t len)
{
	char b[MINT_TAR_BLOCK];
	make_header(b, name, type, len);
	add_block(a, b);
	assert_int_equal(mint_buf_append(a, data, len), 0);
	assert_non_null(mint_buf_grow(a, (MINT_TAR_BLOCK - len % MINT_TAR_BLOCK) % MINT_TAR_BLOCK));
}

static void add_end(struct mint_buf *a)
{
	assert_non_null(mint_buf_grow(a, 2 * MINT_TAR_BLOCK));
}

/* ---- reading ---- */

struct rd {
	struct mint_span_source ss;
	struct mint_tar_reader *r;
	struct mint_err err;
};

static struct mint_tar_reader *open_span(struct rd *rd, struct mint_span data,
					 const struct mint_tar_limits *limits, enum mint_tar_end end)
{
	memset(&rd->err, 0, sizeof(rd->err));
	struct mint_source src = mint_span_source_init(&rd->ss, data);
	assert_ok(mint_tar_reader_new(&rd->r, src, limits, end, &rd->err), &rd->err);
	return rd->r;
}

static struct mint_tar_reader *open_buf(struct rd *rd, const struct mint_buf *a,
					enum mint_tar_end end)
{
	return open_span(rd, mint_buf_span(a), NULL, end);
}

static const struct mint_tar_entry *next_ok(struct rd *rd)
{
	const struct mint_tar_entry *e = NULL;
	int rc = mint_tar_next(rd->r, &e, &rd->err);
	if (rc != 1)
		fail_msg("expected an entry, got %d: %s", rc, rd->err.msg);
	return e;
}

static void expect_end(struct rd *rd)
{
	const struct mint_tar_entry *e = NULL;
	assert_ok(mint_tar_next(rd->r, &e, &rd->err), &rd->err);
	assert_null(e);
}

/* Reads all remaining entries and content; returns the first error or 0. */
static int drain(struct rd *rd, size_t *entries)
{
	const struct mint_tar_entry *e;
	int rc;
	*entries = 0;
	while ((rc = mint_tar_next(rd->r, &e, &rd->err)) == 1) {
		char buf[100];
		size_t got;
		(*entries)++;
		do {
			rc = mint_tar_read(rd->r, buf, sizeof(buf), &got, &rd->err);
		} while (!rc && got);
		if (rc)
			return rc;
	}
	return rc;
}

static void expect_error(struct rd *rd, int code, uint64_t offset, const char *words)
{
	size_t n;
	int rc = drain(rd, &n);
	if (rc != code)
		fail_msg("expected %s, got %d (%s)", mint_strerror(code), rc, rd->err.msg);
	assert_true(rd->err.has_offset);
	if (rd->err.offset != offset)
		fail_msg("expected offset %llu, got %llu (%s)", (unsigned long long)offset,
			 (unsigned long long)rd->err.offset, rd->err.msg);
	if (words && !strstr(rd->err.msg, words))
		fail_msg("message \"%s\" does not mention \"%s\"", rd->err.msg, words);
	mint_tar_reader_free(rd->r);
}

static void read_content(struct rd *rd, char *out, size_t cap, size_t *len)
{
	size_t got;
	*len = 0;
	do {
		assert_ok(mint_tar_read(rd->r, out + *len, cap - *len, &got, &rd->err), &rd->err);
		*len += got;
	} while (got && *len < cap);
}

/* ---- archives made by other tools ---- */

static void test_tar_read_gnu_long_name_and_long_link(void **state)
{
	(void)state;
	struct mint_buf a = MINT_BUF_INIT;
	char *path = testdata_path("tar/gnu-longname.tar");
	read_file_or_fail(path, &a);
	struct rd rd;
	open_buf(&rd, &a, MINT_TAR_END_REQUIRED);
	const struct mint_tar_entry *e = next_ok(&rd);
	assert_string_equal(e->name, LONG_DIR "/f.txt");
	assert_int_equal(e->type, MINT_TAR_REG);
	assert_int_equal(e->header_offset, 0);
	assert_int_equal(e->data_offset, 1536);
	assert_int_equal(e->size, 10);
	assert_int_equal(e->mtime, 1700000000);
	char buf[32];
	size_t len;
	read_content(&rd, buf, sizeof(buf), &len);
	assert_int_equal(len, 10);
	assert_memory_equal(buf, "long name\n", 10);
	e = next_ok(&rd);
	assert_string_equal(e->name, "link");
	assert_int_equal(e->type, MINT_TAR_SYMLINK);
	assert_string_equal(e->link_target, LONG_DIR "/f.txt");
	assert_int_equal(e->header_offset, 2048);
	expect_end(&rd);
	assert_int_equal(mint_tar_offset(rd.r), a.len);
	mint_tar_reader_free(rd.r);
	free(path);
	mint_buf_free(&a);
}

static void test_tar_read_gnu_pax_path_and_linkpath(void **state)
{
	(void)state;
	struct mint_buf a = MINT_BUF_INIT;
	char *path = testdata_path("tar/gnu-pax.tar");
	read_file_or_fail(path, &a);
	struct rd rd;
	open_buf(&rd, &a, MINT_TAR_END_REQUIRED);
	const struct mint_tar_entry *e = next_ok(&rd);
	assert_string_equal(e->name, LONG_DIR "/f.txt");
	assert_int_equal(e->header_offset, 0);
	assert_int_equal(e->data_offset, 1536);
	e = next_ok(&rd);
	assert_string_equal(e->name, "link");
	assert_string_equal(e->link_target, LONG_DIR "/f.txt");
	assert_int_equal(e->header_offset, 2048);
	assert_int_equal(e->data_offset, 3584);
	expect_end(&rd);
	mint_tar_reader_free(rd.r);
	free(path);
	mint_buf_free(&a);
}

static void test_tar_read_python_pax_xattrs_sorted_and_fraction_dropped(void **state)
{
	(void)state;
	struct mint_buf a = MINT_BUF_INIT;
	char *path = testdata_path("tar/python-pax-xattrs.tar");
	read_file_or_fail(path, &a);
	struct rd rd;
	open_buf(&rd, &a, MINT_TAR_END_REQUIRED);
	const struct mint_tar_entry *e = next_ok(&rd);
	assert_string_equal(e->name, "usr/bin/");
	assert_int_equal(e->type, MINT_TAR_DIR);
	e = next_ok(&rd);
	assert_string_equal(e->name, "usr/bin/tool");
	assert_int_equal(e->mtime, 1700000000);
	assert_int_equal(e->mode, 0755);
	assert_string_equal(e->uname, "root");
	assert_int_equal(e->n_xattrs, 2);
	assert_string_equal(e->xattrs[0].name, "security.capability");
	assert_int_equal(e->xattrs[0].value_len, 4);
	assert_memory_equal(e->xattrs[0].value, "\x01\x00\x00\x02", 4);
	assert_string_equal(e->xattrs[1].name, "user.comment");
	assert_true(e->has_apk_sha1);
	char buf[64];
	size_t len;
	read_content(&rd, buf, sizeof(buf), &len);
	unsigned char sha[MINT_HASH_MAX_BYTES];
	mint_hash_bytes(MINT_HASH_SHA1, buf, len, sha);
	assert_memory_equal(sha, e->apk_sha1, 20);
	expect_end(&rd);
	mint_tar_reader_free(rd.r);
	free(path);
	mint_buf_free(&a);
}

/* ---- headers ---- */

static void test_tar_read_ustar_prefix_joined_but_not_for_gnu_magic(void **state)
{
	(void)state;
	struct mint_buf a = MINT_BUF_INIT;
	char b[MINT_TAR_BLOCK];
	make_header(b, "name", '5', 0);
	memcpy(b + 345, "some/prefix", 11);
	set_checksum(b);
	add_block(&a, b);
	make_header(b, "gnu", '5', 0);
	memcpy(b + 257, "ustar  \0", 8);
	memcpy(b + 345, "\x01\x02 atime data", 13);
	set_checksum(b);
	add_block(&a, b);
	add_end(&a);
	struct rd rd;
	open_buf(&rd, &a, MINT_TAR_END_REQUIRED);
	assert_string_equal(next_ok(&rd)->name, "some/prefix/name");
	assert_string_equal(next_ok(&rd)->name, "gnu");
	expect_end(&rd);
	mint_tar_reader_free(rd.r);
	mint_buf_free(&a);
}

static void test_tar_read_accepts_signed_checksum_variant(void **state)
{
	(void)state;
	struct mint_buf a = MINT_BUF_INIT;
	char b[MINT_TAR_BLOCK];
	make_header(b, "caf\xc3\xa9", '0', 0);
	int sum = 0;
	memset(b + 148, ' ', 8);
	for (int i = 0; i < MINT_TAR_BLOCK; i++)
		sum += (signed char)b[i];
	snprintf(b + 148, 8, "%06o", sum);
	add_block(&a, b);
	add_end(&a);
	struct rd rd;
	open_buf(&rd, &a, MINT_TAR_END_REQUIRED);
	assert_string_equal(next_ok(&rd)->name, "caf\xc3\xa9");
	expect_end(&rd);
	mint_tar_reader_free(rd.r);
	mint_buf_free(&a);
}

static void test_tar_read_bad_checksum_is_eformat_at_the_field(void **state)
{
	(void)state;
	struct mint_buf a = MINT_BUF_INIT;
	add_entry(&a, "ok", '0', "x", 1);
	char b[MINT_TAR_BLOCK];
	make_header(b, "bad", '0', 0);
	b[0] = 'B';
	add_block(&a, b);
	add_end(&a);
	struct rd rd;
	open_buf(&rd, &a, MINT_TAR_END_REQUIRED);
	expect_error(&rd, MINT_EFORMAT, 1024 + 148, "checksum");
	mint_buf_free(&a);
}

static void test_tar_read_non_ustar_block_is_eformat(void **state)
{
	(void)state;
	struct mint_buf a = MINT_BUF_INIT;
	char b[MINT_TAR_BLOCK];
	make_header(b, "v7", '0', 0);
	memset(b + 257, 0, 8);
	set_checksum(b);
	add_block(&a, b);
	struct rd rd;
	open_buf(&rd, &a, MINT_TAR_END_OPTIONAL);
	expect_error(&rd, MINT_EFORMAT, 257, "ustar");
	mint_buf_free(&a);
}

static void test_tar_read_base256_size_uid_and_negative_mtime(void **state)
{
	(void)state;
	struct mint_buf a = MINT_BUF_INIT;
	char b[MINT_TAR_BLOCK];
	make_header(b, "bin", '0', 0);
	memcpy(b + 108, "\x80\0\0\0\0\x80\0\0", 8);                  /* uid 0x800000 */
	memcpy(b + 124, "\x80\0\0\0\0\0\0\0\0\0\0\x03", 12);          /* size 3 */
	memcpy(b + 136, "\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xfe", 12); /* mtime -2 */
	set_checksum(b);
	add_block(&a, b);
	assert_int_equal(mint_buf_append(&a, "abc", 3), 0);
	assert_non_null(mint_buf_grow(&a, 509));
	add_end(&a);
	struct rd rd;
	open_buf(&rd, &a, MINT_TAR_END_REQUIRED);
	const struct mint_tar_entry *e = next_ok(&rd);
	assert_int_equal(e->uid, 0x800000);
	assert_int_equal(e->size, 3);
	assert_int_equal(e->mtime, -2);
	expect_end(&rd);
	mint_tar_reader_free(rd.r);
	mint_buf_reset(&a);
	make_header(b, "huge", '0', 0);
	memcpy(b + 124, "\x80\x01\0\0\0\0\0\0\0\0\0\0", 12); /* 2^80: does not fit */
	set_checksum(b);
	add_block(&a, b);
	open_buf(&rd, &a, MINT_TAR_END_OPTIONAL);
	expect_error(&rd, MINT_EFORMAT, 124, "size");
	mint_buf_free(&a);
}

static void test_tar_read_unknown_type_is_eunsupported_naming_the_flag(void **state)
{
	(void)state;
	struct mint_buf a = MINT_BUF_INIT;
	add_entry(&a, "sparse", 'S', NULL, 0);
	add_end(&a);
	struct rd rd;
	open_buf(&rd, &a, MINT_TAR_END_REQUIRED);
	expect_error(&rd, MINT_EUNSUPPORTED, 156, "type 'S'");
	mint_buf_free(&a);
}

/* ---- the end of the archive ---- */

static void test_tar_read_zeros_after_end_are_fine_garbage_is_not(void **state)
{
	(void)state;
	struct mint_buf a = MINT_BUF_INIT;
	add_entry(&a, "f", '0', "data", 4);
	add_end(&a);
	assert_non_null(mint_buf_grow(&a, 700)); /* not a whole block: still only zeros */
	struct rd rd;
	open_buf(&rd, &a, MINT_TAR_END_REQUIRED);
	next_ok(&rd);
	expect_end(&rd);
	assert_int_equal(mint_tar_offset(rd.r), a.len);
	expect_end(&rd);
	mint_tar_reader_free(rd.r);
	a.data[a.len - 3] = 'G';
	open_buf(&rd, &a, MINT_TAR_END_REQUIRED);
	expect_error(&rd, MINT_EFORMAT, a.len - 3, "after the end");
	mint_buf_free(&a);
}

static void test_tar_read_lone_zero_block_then_header_is_eformat(void **state)
{
	(void)state;
	struct mint_buf a = MINT_BUF_INIT;
	add_entry(&a, "f", '0', "data", 4);
	assert_non_null(mint_buf_grow(&a, MINT_TAR_BLOCK));
	add_entry(&a, "hidden", '0', "x", 1);
	add_end(&a);
	struct rd rd;
	open_buf(&rd, &a, MINT_TAR_END_REQUIRED);
	expect_error(&rd, MINT_EFORMAT, 1536, "lone zero block");
	mint_buf_free(&a);
}

static void test_tar_read_end_required_or_optional_at_entry_boundary(void **state)
{
	(void)state;
	struct mint_buf a = MINT_BUF_INIT;
	add_entry(&a, ".PKGINFO", '0', "pkgname = x\n", 12);
	add_entry(&a, ".post-install", '0', "#!/bin/sh\n", 10);
	struct rd rd;
	open_buf(&rd, &a, MINT_TAR_END_OPTIONAL);
	size_t n;
	assert_int_equal(drain(&rd, &n), 0);
	assert_int_equal(n, 2);
	mint_tar_reader_free(rd.r);
	open_buf(&rd, &a, MINT_TAR_END_REQUIRED);
	expect_error(&rd, MINT_ETRUNCATED, a.len, "zero blocks");
	mint_buf_free(&a);
}

static void test_tar_read_extended_header_before_end_is_eformat(void **state)
{
	(void)state;
	struct mint_buf a = MINT_BUF_INIT;
	add_entry(&a, "PaxHeaders.0/f", 'x', "12 uid=1000\n", 12);
	add_end(&a);
	struct rd rd;
	open_buf(&rd, &a, MINT_TAR_END_REQUIRED);
	expect_error(&rd, MINT_EFORMAT, 1024, "not an entry");
	mint_buf_free(&a);
	add_entry(&a, "././@LongLink", 'L', "name", 4);
	open_buf(&rd, &a, MINT_TAR_END_OPTIONAL);
	expect_error(&rd, MINT_ETRUNCATED, 1024, "before its entry");
	mint_buf_free(&a);
}

/* Every prefix of an archive is an error at the cut (or, when allowed, a
 * clean end at an entry boundary), never a crash. */
static void truncate_everywhere(const struct mint_buf *a, const uint64_t *boundaries,
				size_t n_boundaries)
{
	for (size_t cut = 0; cut < a->len; cut++) {
		for (int mode = 0; mode < 2; mode++) {
			enum mint_tar_end end = mode ? MINT_TAR_END_OPTIONAL : MINT_TAR_END_REQUIRED;
			bool boundary = false;
			for (size_t i = 0; i < n_boundaries; i++)
				boundary |= boundaries[i] == cut;
			struct rd rd;
			size_t n;
			open_span(&rd, MINT_SPAN(a->data, cut), NULL, end);
			int rc = drain(&rd, &n);
			if (boundary && end == MINT_TAR_END_OPTIONAL) {
				assert_int_equal(rc, 0);
			} else {
				if (rc != MINT_ETRUNCATED)
					fail_msg("cut %zu: %d %s", cut, rc, rd.err.msg);
				assert_int_equal(rd.err.offset, cut);
			}
			mint_tar_reader_free(rd.r);
		}
	}
}

static int buf_sink(void *ctx, const void *data, size_t len, struct mint_err *err)
{
	(void)err;
	return mint_buf_append(ctx, data, len);
}

static void test_tar_read_truncation_at_every_byte_is_etruncated(void **state)
{
	(void)state;
	struct mint_buf a = MINT_BUF_INIT;
	struct mint_err err = { 0 };
	struct mint_tar_writer w = { .sink = buf_sink, .ctx = &a };
	struct mint_tar_entry e;
	memset(&e, 0, sizeof(e));
	e.name = "etc";
	e.type = MINT_TAR_DIR;
	assert_ok(mint_tar_write_entry(&w, &e, NULL, &err), &err);
	e.name = "etc/f";
	e.type = MINT_TAR_REG;
	e.size = 600;
	e.has_apk_sha1 = true;
	char content[600];
	memset(content, 'c', sizeof(content));
	assert_ok(mint_tar_write_entry(&w, &e, content, &err), &err);
	assert_ok(mint_tar_write_end(&w, &err), &err);
	const uint64_t boundaries[] = { 0, 512, 3072 };
	truncate_everywhere(&a, boundaries, 3);
	mint_buf_free(&a);
	char *path = testdata_path("tar/gnu-longname.tar");
	read_file_or_fail(path, &a);
	const uint64_t gnu_boundaries[] = { 0, 2048, 3584 };
	truncate_everywhere(&a, gnu_boundaries, 3);
	free(path);
	mint_buf_free(&a);
}

/* ---- PAX records ---- */

static void expect_bad_pax(const char *payload, size_t len, uint64_t record_at, int code)
{
	struct mint_buf a = MINT_BUF_INIT;
	add_entry(&a, "PaxHeaders.0/f", 'x', payload, len);
	add_entry(&a, "f", '0', NULL, 0);
	add_end(&a);
	struct rd rd;
	open_buf(&rd, &a, MINT_TAR_END_REQUIRED);
	expect_error(&rd, code, 512 + record_at, "PAX record");
	mint_buf_free(&a);
}

#define BAD_PAX(s, at) expect_bad_pax(s, sizeof(s) - 1, at, MINT_EFORMAT)

static void test_tar_read_bad_pax_records_are_eformat_at_the_record(void **state)
{
	(void)state;
	BAD_PAX("12 path=ab\n", 0);                     /* the record is 11 bytes */
	BAD_PAX("10 path=ab\n", 0);
	BAD_PAX("011 path=ab\n", 0);                    /* leading zero */
	BAD_PAX(" 11 path=ab\n", 0);
	BAD_PAX("11 path=abX", 0);                      /* no newline */
	BAD_PAX("7 noeq\n", 0);
	BAD_PAX("6 =ab\n", 0);
	BAD_PAX("12 uid=1000\n99 gid=1\n", 12);         /* runs past the end */
	BAD_PAX("12 uid=1000\n9 gid=1a\n", 12);
	BAD_PAX("30 APK-TOOLS.checksum.SHA1=ab\n", 0);
	BAD_PAX("68 APK-TOOLS.checksum.SHA1=zz00000000000000000000000000000000000000\n", 0);
	BAD_PAX("16 mtime=12.3x4\n", 0);
	BAD_PAX("12 path=a\0b\n", 0);
	BAD_PAX("23 SCHILY.xattr.=value\n", 0);
	expect_bad_pax("44 uname=0123456789012345678901234567890123\n", 44, 0, MINT_ELIMIT);
}

static void test_tar_read_pax_overrides_header_fields(void **state)
{
	(void)state;
	struct mint_buf a = MINT_BUF_INIT;
	const char pax[] = "15 uid=4000000\n"
			   "10 gid=42\n"
			   "19 uname=someuser1\n"
			   "15 gname=staff\n"
			   "14 mtime=-1.5\n"
			   "10 size=3\n"
			   "18 path=real/name\n"
			   "19 comment=ignored\n"
			   "25 SCHILY.xattr.user.b=1\n"
			   "25 SCHILY.xattr.user.a=2\n"
			   "25 SCHILY.xattr.user.b=3\n";
	add_entry(&a, "PaxHeaders.0/f", 'x', pax, sizeof(pax) - 1);
	char b[MINT_TAR_BLOCK];
	make_header(b, "header-name", '0', 0);
	add_block(&a, b);
	assert_int_equal(mint_buf_append(&a, "xyz", 3), 0);
	assert_non_null(mint_buf_grow(&a, 509));
	add_end(&a);
	struct rd rd;
	open_buf(&rd, &a, MINT_TAR_END_REQUIRED);
	const struct mint_tar_entry *e = next_ok(&rd);
	assert_string_equal(e->name, "real/name");
	assert_int_equal(e->uid, 4000000);
	assert_int_equal(e->gid, 42);
	assert_string_equal(e->uname, "someuser1");
	assert_string_equal(e->gname, "staff");
	assert_int_equal(e->mtime, -1);
	assert_int_equal(e->size, 3);
	assert_int_equal(e->n_xattrs, 2);
	assert_string_equal(e->xattrs[0].name, "user.a");
	assert_string_equal(e->xattrs[1].name, "user.b");
	assert_memory_equal(e->xattrs[1].value, "3", 1);
	assert_int_equal(e->header_offset, 0);
	assert_int_equal(e->data_offset, 1536);
	expect_end(&rd);
	mint_tar_reader_free(rd.r);
	mint_buf_free(&a);
}

static void test_tar_read_global_header_skipped_second_pax_rejected(void **state)
{
	(void)state;
	struct mint_buf a = MINT_BUF_INIT;
	add_entry(&a, "pax_global_header", 'g', "18 comment=global\n", 18);
	add_entry(&a, "f", '0', "1", 1);
	add_end(&a);
	struct rd rd;
	open_buf(&rd, &a, MINT_TAR_END_REQUIRED);
	const struct mint_tar_entry *e = next_ok(&rd);
	assert_string_equal(e->name, "f");
	assert_int_equal(e->header_offset, 1024);
	expect_end(&rd);
	mint_tar_reader_free(rd.r);
	mint_buf_reset(&a);
	add_entry(&a, "PaxHeaders.0/f", 'x', "10 uid=12\n", 10);
	add_entry(&a, "PaxHeaders.0/f", 'x', "10 gid=12\n", 10);
	add_entry(&a, "f", '0', NULL, 0);
	add_end(&a);
	open_buf(&rd, &a, MINT_TAR_END_REQUIRED);
	expect_error(&rd, MINT_EFORMAT, 1024, "second 'x'");
	mint_buf_free(&a);
}

/* ---- content, offsets and limits ---- */

static void test_tar_read_offsets_and_unread_content_skipped(void **state)
{
	(void)state;
	struct mint_buf a = MINT_BUF_INIT;
	char big[1500];
	memset(big, 'b', sizeof(big));
	add_entry(&a, "big", '0', big, sizeof(big));
	add_entry(&a, "small", '0', "s", 1);
	add_end(&a);
	struct rd rd;
	open_buf(&rd, &a, MINT_TAR_END_REQUIRED);
	const struct mint_tar_entry *e = next_ok(&rd);
	assert_int_equal(e->header_offset, 0);
	assert_int_equal(e->data_offset, 512);
	char buf[10];
	size_t got;
	assert_ok(mint_tar_read(rd.r, buf, sizeof(buf), &got, &rd.err), &rd.err);
	assert_int_equal(got, 10);
	assert_int_equal(mint_tar_offset(rd.r), 522);
	e = next_ok(&rd);
	assert_string_equal(e->name, "small");
	assert_int_equal(e->header_offset, 2048);
	assert_int_equal(e->data_offset, 2560);
	assert_int_equal(mint_tar_offset(rd.r), 2560);
	expect_end(&rd);
	mint_tar_reader_free(rd.r);
	mint_buf_free(&a);
}

static void test_tar_read_non_regular_content_follows_gnu_tar(void **state)
{
	(void)state;
	struct mint_buf a = MINT_BUF_INIT;
	char b[MINT_TAR_BLOCK];
	/* A directory and a hardlink with size 512 have no content: the next
	 * block is the next header. */
	make_header(b, "dir", '5', 512);
	add_block(&a, b);
	make_header(b, "hard", '1', 512);
	memcpy(b + 157, "dir/x", 5);
	set_checksum(b);
	add_block(&a, b);
	/* A symlink with size 512 has 512 bytes that are skipped. */
	make_header(b, "sym", '2', 512);
	memcpy(b + 157, "target", 6);
	set_checksum(b);
	add_block(&a, b);
	make_header(b, "skipped", '0', 0);
	add_block(&a, b);
	make_header(b, "last", '0', 0);
	add_block(&a, b);
	add_end(&a);
	struct rd rd;
	open_buf(&rd, &a, MINT_TAR_END_REQUIRED);
	const struct mint_tar_entry *e = next_ok(&rd);
	assert_int_equal(e->type, MINT_TAR_DIR);
	assert_int_equal(e->size, 0);
	e = next_ok(&rd);
	assert_int_equal(e->type, MINT_TAR_HARDLINK);
	assert_string_equal(e->link_target, "dir/x");
	e = next_ok(&rd);
	assert_int_equal(e->type, MINT_TAR_SYMLINK);
	assert_int_equal(e->size, 0);
	char buf[8];
	size_t got;
	assert_ok(mint_tar_read(rd.r, buf, sizeof(buf), &got, &rd.err), &rd.err);
	assert_int_equal(got, 0);
	e = next_ok(&rd);
	assert_string_equal(e->name, "last");
	assert_int_equal(e->header_offset, 2048);
	expect_end(&rd);
	mint_tar_reader_free(rd.r);
	mint_buf_free(&a);
}

static void test_tar_read_limits_are_elimit(void **state)
{
	(void)state;
	struct mint_buf a = MINT_BUF_INIT;
	add_entry(&a, "PaxHeaders.0/f", 'x', "19 path=0123456789\n", 19);
	add_entry(&a, "f", '0', "12345", 5);
	add_end(&a);
	struct rd rd;
	struct mint_tar_limits names = { .max_name_bytes = 9 };
	open_span(&rd, mint_buf_span(&a), &names, MINT_TAR_END_REQUIRED);
	expect_error(&rd, MINT_ELIMIT, 512, "name limit");
	struct mint_tar_limits pax = { .max_pax_bytes = 18 };
	open_span(&rd, mint_buf_span(&a), &pax, MINT_TAR_END_REQUIRED);
	expect_error(&rd, MINT_ELIMIT, 124, "exceeds the limit");
	struct mint_tar_limits content = { .max_entry_bytes = 4 };
	open_span(&rd, mint_buf_span(&a), &content, MINT_TAR_END_REQUIRED);
	expect_error(&rd, MINT_ELIMIT, 1024 + 124, "over the limit");
	content.max_entry_bytes = 5;
	open_span(&rd, mint_buf_span(&a), &content, MINT_TAR_END_REQUIRED);
	size_t n;
	assert_int_equal(drain(&rd, &n), 0);
	assert_int_equal(n, 1);
	mint_tar_reader_free(rd.r);
	mint_buf_free(&a);
}

static void test_tar_read_error_is_sticky(void **state)
{
	(void)state;
	struct mint_buf a = MINT_BUF_INIT;
	add_entry(&a, "f", 'S', NULL, 0);
	struct rd rd;
	open_buf(&rd, &a, MINT_TAR_END_OPTIONAL);
	const struct mint_tar_entry *e;
	assert_int_equal(mint_tar_next(rd.r, &e, &rd.err), MINT_EUNSUPPORTED);
	assert_int_equal(mint_tar_next(rd.r, &e, &rd.err), MINT_EUNSUPPORTED);
	assert_null(e);
	mint_tar_reader_free(rd.r);
	mint_buf_free(&a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tar_read_gnu_long_name_and_long_link),
		cmocka_unit_test(test_tar_read_gnu_pax_path_and_linkpath),
		cmocka_unit_test(test_tar_read_python_pax_xattrs_sorted_and_fraction_dropped),
		cmocka_unit_test(test_tar_read_ustar_prefix_joined_but_not_for_gnu_magic),
		cmocka_unit_test(test_tar_read_accepts_signed_checksum_variant),
		cmocka_unit_test(test_tar_read_bad_checksum_is_eformat_at_the_field),
		cmocka_unit_test(test_tar_read_non_ustar_block_is_eformat),
		cmocka_unit_test(test_tar_read_base256_size_uid_and_negative_mtime),
		cmocka_unit_test(test_tar_read_unknown_type_is_eunsupported_naming_the_flag),
		cmocka_unit_test(test_tar_read_zeros_after_end_are_fine_garbage_is_not),
		cmocka_unit_test(test_tar_read_lone_zero_block_then_header_is_eformat),
		cmocka_unit_test(test_tar_read_end_required_or_optional_at_entry_boundary),
		cmocka_unit_test(test_tar_read_extended_header_before_end_is_eformat),
		cmocka_unit_test(test_tar_read_truncation_at_every_byte_is_etruncated),
		cmocka_unit_test(test_tar_read_bad_pax_records_are_eformat_at_the_record),
		cmocka_unit_test(test_tar_read_pax_overrides_header_fields),
		cmocka_unit_test(test_tar_read_global_header_skipped_second_pax_rejected),
		cmocka_unit_test(test_tar_read_offsets_and_unread_content_skipped),
		cmocka_unit_test(test_tar_read_non_regular_content_follows_gnu_tar),
		cmocka_unit_test(test_tar_read_limits_are_elimit),
		cmocka_unit_test(test_tar_read_error_is_sticky),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
