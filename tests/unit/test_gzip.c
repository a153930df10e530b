/* SPDX-License-Identifier: Apache-2.0 */
#include "testutil.h"

#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "mint/gzip.h"

/* Appends one gzip member holding data (repeated `times`) to out. */
static void gzip_append(struct mint_buf *out, const void *data, size_t len, size_t times)
{
	z_stream zs;
	memset(&zs, 0, sizeof(zs));
	assert_int_equal(deflateInit2(&zs, 9, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY), Z_OK);
	unsigned char chunk[65536];
	for (size_t i = 0; i <= times; i++) {
		bool last = i == times;
		zs.next_in = (Bytef *)(uintptr_t)data;
		zs.avail_in = last ? 0 : (uInt)len;
		int zrc;
		do {
			zs.next_out = chunk;
			zs.avail_out = sizeof(chunk);
			zrc = deflate(&zs, last ? Z_FINISH : Z_NO_FLUSH);
			assert_true(zrc == Z_OK || zrc == Z_STREAM_END || zrc == Z_BUF_ERROR);
			assert_int_equal(mint_buf_append(out, chunk, sizeof(chunk) - zs.avail_out), 0);
		} while (zs.avail_out == 0 || (last && zrc != Z_STREAM_END));
	}
	deflateEnd(&zs);
}

static void gzip_str(struct mint_buf *out, const char *s)
{
	gzip_append(out, s, strlen(s), 1);
}

static void test_gzip_member_inflates_and_reports_its_compressed_size(void **state)
{
	(void)state;
	struct mint_buf gz = MINT_BUF_INIT, out = MINT_BUF_INIT;
	struct mint_err err = { 0 };
	gzip_str(&gz, "hello, member");
	size_t one = gz.len;
	assert_int_equal(mint_buf_append(&gz, "trailing bytes", 14), 0);
	size_t size = 0;
	assert_ok(mint_gunzip_member(mint_buf_span(&gz), NULL, &out, &size, &err), &err);
	assert_string_equal(mint_buf_cstr(&out), "hello, member");
	assert_int_equal(size, one);
	mint_buf_free(&gz);
	mint_buf_free(&out);
}

static void test_gzip_multi_member_input_splits_at_exact_boundaries(void **state)
{
	(void)state;
	const char *parts[] = { "signature", "", "control member with more text",
				"data data data data data" };
	size_t sizes[4];
	struct mint_buf gz = MINT_BUF_INIT, out = MINT_BUF_INIT;
	struct mint_err err = { 0 };
	for (int i = 0; i < 4; i++) {
		size_t before = gz.len;
		gzip_str(&gz, parts[i]);
		sizes[i] = gz.len - before;
	}
	struct mint_span rest = mint_buf_span(&gz);
	for (int i = 0; i < 4; i++) {
		size_t size = 0;
		assert_ok(mint_gunzip_member(rest, NULL, &out, &size, &err), &err);
		assert_string_equal(mint_buf_cstr(&out), parts[i]);
		assert_int_equal(size, sizes[i]);
		rest = mint_span_skip(rest, size);
	}
	assert_int_equal(rest.len, 0);
	mint_buf_free(&gz);
	mint_buf_free(&out);
}

static void test_gzip_streaming_read_consumed_and_done(void **state)
{
	(void)state;
	struct mint_buf gz = MINT_BUF_INIT;
	struct mint_err err = { 0 };
	char text[5000];
	for (size_t i = 0; i < sizeof(text); i++)
		text[i] = (char)('a' + i % 23);
	gzip_append(&gz, text, sizeof(text), 1);
	size_t one = gz.len;
	gzip_str(&gz, "next");
	struct mint_gunzip g;
	assert_ok(mint_gunzip_init(&g, mint_buf_span(&gz), NULL, &err), &err);
	char got_text[sizeof(text)];
	size_t have = 0, got = 0;
	do {
		char small[7];
		assert_ok(mint_gunzip_read(&g, small, sizeof(small), &got, &err), &err);
		assert_true(have + got <= sizeof(text));
		memcpy(got_text + have, small, got);
		have += got;
	} while (got);
	assert_true(g.done);
	assert_int_equal(have, sizeof(text));
	assert_memory_equal(got_text, text, sizeof(text));
	assert_int_equal(mint_gunzip_consumed(&g), one);
	assert_int_equal(g.out_total, sizeof(text));
	assert_ok(mint_gunzip_read(&g, got_text, 10, &got, &err), &err);
	assert_int_equal(got, 0);
	mint_gunzip_free(&g);
	mint_buf_free(&gz);
}

static void test_gzip_source_feeds_exact_reads(void **state)
{
	(void)state;
	struct mint_buf gz = MINT_BUF_INIT;
	struct mint_err err = { 0 };
	gzip_str(&gz, "0123456789");
	struct mint_gunzip g;
	assert_ok(mint_gunzip_init(&g, mint_buf_span(&gz), NULL, &err), &err);
	struct mint_source src = mint_gunzip_source(&g);
	char buf[11] = { 0 };
	assert_ok(mint_source_read_full(src, buf, 4, &err), &err);
	assert_ok(mint_source_read_full(src, buf + 4, 6, &err), &err);
	assert_string_equal(buf, "0123456789");
	assert_int_equal(mint_source_read_full(src, buf, 1, &err), MINT_ETRUNCATED);
	mint_gunzip_free(&g);
	mint_buf_free(&gz);
}

static void test_gzip_truncation_at_every_byte_is_etruncated(void **state)
{
	(void)state;
	struct mint_buf gz = MINT_BUF_INIT, out = MINT_BUF_INIT;
	gzip_str(&gz, "a small member that we cut everywhere");
	for (size_t cut = 0; cut < gz.len; cut++) {
		struct mint_err err = { 0 };
		size_t size = 12345;
		int rc = mint_gunzip_member(MINT_SPAN(gz.data, cut), NULL, &out, &size, &err);
		assert_int_equal(rc, MINT_ETRUNCATED);
		assert_true(err.has_offset);
		assert_int_equal(err.offset, cut);
		assert_int_equal(size, 12345);
	}
	mint_buf_free(&gz);
	mint_buf_free(&out);
}

static void expect_format_error(struct mint_buf *gz, uint64_t offset, const char *words)
{
	struct mint_buf out = MINT_BUF_INIT;
	struct mint_err err = { 0 };
	int rc = mint_gunzip_member(mint_buf_span(gz), NULL, &out, NULL, &err);
	assert_int_equal(rc, MINT_EFORMAT);
	assert_true(err.has_offset);
	assert_int_equal(err.offset, offset);
	if (!strstr(err.msg, words))
		fail_msg("message \"%s\" does not mention \"%s\"", err.msg, words);
	mint_buf_free(&out);
}

static void test_gzip_corrupt_crc_and_length_point_at_the_trailer(void **state)
{
	(void)state;
	struct mint_buf gz = MINT_BUF_INIT;
	gzip_str(&gz, "checked by CRC-32");
	gz.data[gz.len - 8] ^= 1;
	expect_format_error(&gz, gz.len - 8, "CRC-32");
	gz.data[gz.len - 8] ^= 1;
	gz.data[gz.len - 4] ^= 1;
	expect_format_error(&gz, gz.len - 4, "length");
	mint_buf_free(&gz);
}

static void test_gzip_bad_header_and_bad_block_are_eformat(void **state)
{
	(void)state;
	struct mint_buf gz = MINT_BUF_INIT;
	gzip_str(&gz, "x");
	gz.data[1] = 0;
	expect_format_error(&gz, 2, "bad gzip header");
	mint_buf_reset(&gz);
	/* A valid 10-byte header, then a final block of the reserved type 3. */
	static const unsigned char bad_block[] = { 0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3, 0x07, 0, 0 };
	assert_int_equal(mint_buf_append(&gz, bad_block, sizeof(bad_block)), 0);
	expect_format_error(&gz, 11, "invalid block type");
	mint_buf_free(&gz);
}

static void test_gzip_empty_input_is_etruncated(void **state)
{
	(void)state;
	struct mint_buf out = MINT_BUF_INIT;
	struct mint_err err = { 0 };
	assert_int_equal(mint_gunzip_member(MINT_SPAN_NULL, NULL, &out, NULL, &err),
			 MINT_ETRUNCATED);
	assert_int_equal(err.offset, 0);
	mint_buf_free(&out);
}

/* 100 MiB of zeros, about 100 KiB compressed. */
static void make_bomb(struct mint_buf *gz)
{
	void *mib = calloc(1, 1 << 20);
	assert_non_null(mib);
	gzip_append(gz, mib, 1 << 20, 100);
	free(mib);
	assert_true(gz->len < 200 * 1024);
}

static int inflate_all(struct mint_gunzip *g, struct mint_err *err)
{
	static char buf[1 << 16];
	size_t got;
	int rc;
	while (!(rc = mint_gunzip_read(g, buf, sizeof(buf), &got, err)) && got)
		;
	return rc;
}

static void test_gzip_bomb_stopped_by_ratio_early(void **state)
{
	(void)state;
	struct mint_buf gz = MINT_BUF_INIT;
	struct mint_err err = { 0 };
	make_bomb(&gz);
	struct mint_gzip_limits limits = { .max_ratio = 100 };
	struct mint_gunzip g;
	assert_ok(mint_gunzip_init(&g, mint_buf_span(&gz), &limits, &err), &err);
	assert_int_equal(inflate_all(&g, &err), MINT_ELIMIT);
	assert_non_null(strstr(err.msg, "100:1"));
	assert_true(g.out_total < 4u << 20);
	assert_int_equal(inflate_all(&g, &err), MINT_ELIMIT);
	mint_gunzip_free(&g);
	mint_buf_free(&gz);
}

static void test_gzip_bomb_stopped_by_max_output_one_byte_past(void **state)
{
	(void)state;
	struct mint_buf gz = MINT_BUF_INIT;
	struct mint_err err = { 0 };
	make_bomb(&gz);
	struct mint_gzip_limits limits = { .max_output_bytes = 10u << 20 };
	struct mint_gunzip g;
	assert_ok(mint_gunzip_init(&g, mint_buf_span(&gz), &limits, &err), &err);
	assert_int_equal(inflate_all(&g, &err), MINT_ELIMIT);
	assert_int_equal(g.out_total, (10u << 20) + 1);
	mint_gunzip_free(&g);
	mint_buf_free(&gz);
}

static void test_gzip_output_exactly_at_the_cap_passes(void **state)
{
	(void)state;
	struct mint_buf gz = MINT_BUF_INIT, out = MINT_BUF_INIT;
	struct mint_err err = { 0 };
	gzip_str(&gz, "twelve bytes");
	struct mint_gzip_limits limits = { .max_output_bytes = 12, .max_ratio = 1 };
	assert_ok(mint_gunzip_member(mint_buf_span(&gz), &limits, &out, NULL, &err), &err);
	limits.max_output_bytes = 11;
	assert_int_equal(mint_gunzip_member(mint_buf_span(&gz), &limits, &out, NULL, &err),
			 MINT_ELIMIT);
	mint_buf_free(&gz);
	mint_buf_free(&out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_gzip_member_inflates_and_reports_its_compressed_size),
		cmocka_unit_test(test_gzip_multi_member_input_splits_at_exact_boundaries),
		cmocka_unit_test(test_gzip_streaming_read_consumed_and_done),
		cmocka_unit_test(test_gzip_source_feeds_exact_reads),
		cmocka_unit_test(test_gzip_truncation_at_every_byte_is_etruncated),
		cmocka_unit_test(test_gzip_corrupt_crc_and_length_point_at_the_trailer),
		cmocka_unit_test(test_gzip_bad_header_and_bad_block_are_eformat),
		cmocka_unit_test(test_gzip_empty_input_is_etruncated),
		cmocka_unit_test(test_gzip_bomb_stopped_by_ratio_early),
		cmocka_unit_test(test_gzip_bomb_stopped_by_max_output_one_byte_past),
		cmocka_unit_test(test_gzip_output_exactly_at_the_cap_passes),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
