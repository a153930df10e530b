/* SPDX-License-Identifier: Apache-2.0 */
#include "testutil.h"

#include <libdeflate.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "mint/deflate.h"
#include "mint/encode.h"
#include "mint/fs.h"
#include "mint/gzip.h"
#include "mint/hash.h"

#define BLOCK MINT_GZIP_BLOCK_BYTES

/* Deterministic input that compresses like real files: runs of words, runs
 * of random bytes and runs of zeros. */
static unsigned char *mixed_input(size_t len, uint32_t seed)
{
	static const char *words[] = { "static ", "int ", "return ", "the ", "mint ",
				       "usr/lib/", "\n", "{\n\t", "}\n", "0x1f8b ", "apk " };
	unsigned char *p = malloc(len ? len : 1);
	assert_non_null(p);
	uint32_t x = seed | 1;
	size_t i = 0;
	while (i < len) {
		x ^= x << 13, x ^= x >> 17, x ^= x << 5;
		size_t run = 1000 + x % 40000;
		unsigned kind = (x >> 20) % 3;
		for (size_t end = i + run; i < end && i < len; i++) {
			x ^= x << 13, x ^= x >> 17, x ^= x << 5;
			if (kind == 0) {
				const char *w = words[x % 11];
				size_t n = strlen(w);
				for (size_t k = 0; k < n && i < len; k++)
					p[i++] = (unsigned char)w[k];
				i--;
			} else {
				p[i] = kind == 1 ? (unsigned char)x : 0;
			}
		}
	}
	return p;
}

static void compress_ok(const void *data, size_t len, unsigned threads, int level,
			struct mint_buf *out)
{
	struct mint_err err = { 0 };
	assert_ok(mint_gzip_compress(data, len, threads, level, out, &err), &err);
}

/* Inflates the whole gzip file with zlib and compares it with want. */
static void assert_inflates_to(const struct mint_buf *gz, const void *want, size_t want_len)
{
	z_stream z = { 0 };
	assert_int_equal(inflateInit2(&z, 15 + 16), Z_OK);
	unsigned char *got = malloc(want_len + 1);
	assert_non_null(got);
	z.next_in = (Bytef *)gz->data;
	z.avail_in = (uInt)gz->len;
	z.next_out = got;
	z.avail_out = (uInt)want_len + 1;
	assert_int_equal(inflate(&z, Z_FINISH), Z_STREAM_END);
	assert_int_equal(z.avail_in, 0);
	assert_int_equal(z.total_out, want_len);
	assert_memory_equal(got, want, want_len);
	inflateEnd(&z);
	free(got);
}

static void test_gzip_header_has_no_name_mtime_zero_and_os_unknown(void **state)
{
	(void)state;
	struct mint_buf gz = MINT_BUF_INIT;
	compress_ok("hello\n", 6, 1, 6, &gz);
	const unsigned char want[10] = { 0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff };
	assert_true(gz.len > 18);
	assert_memory_equal(gz.data, want, sizeof(want));
	assert_inflates_to(&gz, "hello\n", 6);
	mint_buf_free(&gz);
}

static void test_gzip_empty_input_is_a_valid_member(void **state)
{
	(void)state;
	struct mint_buf gz = MINT_BUF_INIT;
	compress_ok("", 0, 1, 6, &gz);
	assert_inflates_to(&gz, "", 0);
	/* CRC-32 and ISIZE of nothing are zero. */
	assert_memory_equal(gz.data + gz.len - 8, "\0\0\0\0\0\0\0\0", 8);
	struct mint_buf four = MINT_BUF_INIT;
	compress_ok("", 0, 4, 6, &four);
	assert_int_equal(four.len, gz.len);
	assert_memory_equal(four.data, gz.data, gz.len);
	mint_buf_free(&gz);
	mint_buf_free(&four);
}

static void test_gzip_output_is_the_same_for_1_2_and_4_threads(void **state)
{
	(void)state;
	size_t len = 3 * BLOCK + 12345;
	unsigned char *in = mixed_input(len, 7);
	struct mint_buf one = MINT_BUF_INIT, other = MINT_BUF_INIT;
	compress_ok(in, len, 1, 6, &one);
	assert_inflates_to(&one, in, len);
	unsigned threads[] = { 2, 4, 0 };
	for (size_t i = 0; i < 3; i++) {
		compress_ok(in, len, threads[i], 6, &other);
		assert_int_equal(other.len, one.len);
		assert_memory_equal(other.data, one.data, one.len);
	}
	mint_buf_free(&one);
	mint_buf_free(&other);
	free(in);
}

static int buf_sink(void *ctx, const void *data, size_t len, struct mint_err *err)
{
	(void)err;
	return mint_buf_append(ctx, data, len);
}

/* Streams in through writes whose sizes come from sizes[] in turn. */
static void compress_in_pieces(const unsigned char *in, size_t len, unsigned threads,
			       const size_t *sizes, size_t n_sizes, struct mint_buf *out)
{
	struct mint_err err = { 0 };
	struct mint_gzip_writer *w;
	mint_buf_reset(out);
	assert_ok(mint_gzip_writer_new(&w, threads, 6, buf_sink, out, &err), &err);
	size_t at = 0;
	for (size_t i = 0; at < len; i++) {
		size_t n = sizes[i % n_sizes];
		if (n > len - at)
			n = len - at;
		assert_ok(mint_gzip_writer_write(w, in + at, n, &err), &err);
		at += n;
	}
	assert_int_equal(mint_gzip_writer_in_bytes(w), len);
	uint64_t size = 0;
	assert_ok(mint_gzip_writer_finish(w, &size, &err), &err);
	assert_int_equal(size, out->len);
	mint_gzip_writer_free(w);
}

static void test_gzip_output_does_not_depend_on_write_sizes(void **state)
{
	(void)state;
	size_t len = 2 * BLOCK + 777;
	unsigned char *in = mixed_input(len, 11);
	struct mint_buf whole = MINT_BUF_INIT, pieces = MINT_BUF_INIT;
	compress_ok(in, len, 1, 6, &whole);
	const size_t odd[] = { 1, 7, 4096, 0, 65537, 3, BLOCK - 1 };
	const size_t block_sized[] = { BLOCK };
	const size_t bytes[] = { 1 };
	compress_in_pieces(in, len, 1, odd, 7, &pieces);
	assert_int_equal(pieces.len, whole.len);
	assert_memory_equal(pieces.data, whole.data, whole.len);
	compress_in_pieces(in, len, 2, block_sized, 1, &pieces);
	assert_int_equal(pieces.len, whole.len);
	assert_memory_equal(pieces.data, whole.data, whole.len);
	compress_in_pieces(in, BLOCK + 100, 3, bytes, 1, &pieces);
	struct mint_buf prefix = MINT_BUF_INIT;
	compress_ok(in, BLOCK + 100, 1, 6, &prefix);
	assert_int_equal(pieces.len, prefix.len);
	assert_memory_equal(pieces.data, prefix.data, prefix.len);
	mint_buf_free(&whole);
	mint_buf_free(&pieces);
	mint_buf_free(&prefix);
	free(in);
}

static void test_gzip_sizes_at_block_boundaries_inflate_back(void **state)
{
	(void)state;
	size_t sizes[] = { 1, BLOCK - 1, BLOCK, BLOCK + 1, 2 * BLOCK, 2 * BLOCK + 1 };
	unsigned char *in = mixed_input(2 * BLOCK + 1, 3);
	struct mint_buf gz = MINT_BUF_INIT, two = MINT_BUF_INIT;
	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		compress_ok(in, sizes[i], 1, 6, &gz);
		assert_inflates_to(&gz, in, sizes[i]);
		compress_ok(in, sizes[i], 2, 6, &two);
		assert_int_equal(two.len, gz.len);
		assert_memory_equal(two.data, gz.data, gz.len);
	}
	mint_buf_free(&gz);
	mint_buf_free(&two);
	free(in);
}

static void test_gzip_every_level_inflates_back(void **state)
{
	(void)state;
	size_t len = BLOCK + 5000;
	unsigned char *in = mixed_input(len, 5);
	struct mint_buf gz = MINT_BUF_INIT;
	for (int level = 0; level <= MINT_GZIP_MAX_LEVEL; level += 3) {
		compress_ok(in, len, 2, level, &gz);
		assert_inflates_to(&gz, in, len);
	}
	mint_buf_free(&gz);
	free(in);
}

/* Incompressible blocks come out as stored blocks; zeros as one long match. */
static void test_gzip_random_and_zero_blocks_inflate_back(void **state)
{
	(void)state;
	size_t len = 2 * BLOCK + 10;
	unsigned char *in = malloc(len);
	assert_non_null(in);
	uint32_t x = 99;
	for (size_t i = 0; i < BLOCK; i++) {
		x ^= x << 13, x ^= x >> 17, x ^= x << 5;
		in[i] = (unsigned char)x;
	}
	memset(in + BLOCK, 0, len - BLOCK);
	struct mint_buf gz = MINT_BUF_INIT;
	for (int level = 0; level <= 12; level += 6) {
		compress_ok(in, len, 1, level, &gz);
		assert_inflates_to(&gz, in, len);
	}
	mint_buf_free(&gz);
	free(in);
}

/* Our own gzip reader finds the member's exact end, and its CRC matches. */
static void test_gzip_output_reads_back_with_mint_gunzip(void **state)
{
	(void)state;
	size_t len = BLOCK + 3;
	unsigned char *in = mixed_input(len, 13);
	struct mint_buf gz = MINT_BUF_INIT, back = MINT_BUF_INIT;
	compress_ok(in, len, 2, 6, &gz);
	struct mint_err err = { 0 };
	size_t member = 0;
	assert_ok(mint_gunzip_member(mint_buf_span(&gz), NULL, &back, &member, &err), &err);
	assert_int_equal(member, gz.len);
	assert_int_equal(back.len, len);
	assert_memory_equal(back.data, in, len);
	mint_buf_free(&gz);
	mint_buf_free(&back);
	free(in);
}

/* gzip(1) checks the stream and trailer independently of zlib's API. */
static void test_gzip_output_passes_gzip_t(void **state)
{
	(void)state;
	if (system("command -v gzip >/dev/null 2>&1") != 0)
		skip();
	size_t len = 2 * BLOCK + 99;
	unsigned char *in = mixed_input(len, 17);
	struct mint_buf gz = MINT_BUF_INIT;
	compress_ok(in, len, 2, 6, &gz);
	char *dir = make_tmpdir();
	char path[4096], cmd[4200];
	snprintf(path, sizeof(path), "%s/x.gz", dir);
	struct mint_err err = { 0 };
	assert_ok(mint_file_write_atomic(path, gz.data, gz.len, 0644, &err), &err);
	snprintf(cmd, sizeof(cmd), "gzip -t '%s'", path);
	assert_int_equal(system(cmd), 0);
	cleanup_tmpdir(dir);
	mint_buf_free(&gz);
	free(in);
}

static void compress_sized(const void *in, size_t len, unsigned threads, int level,
			   size_t block, struct mint_buf *out)
{
	struct mint_err err = { 0 };
	struct mint_gzip_writer *w;
	mint_buf_reset(out);
	assert_ok(mint_gzip_writer_new_sized(&w, threads, level, block, buf_sink, out, &err), &err);
	assert_ok(mint_gzip_writer_write(w, in, len, &err), &err);
	assert_ok(mint_gzip_writer_finish(w, NULL, &err), &err);
	mint_gzip_writer_free(w);
}

/* Small blocks put the joins at every kind of bit position, after stored,
 * fixed and dynamic blocks alike. */
static void test_gzip_small_blocks_join_into_one_stream(void **state)
{
	(void)state;
	size_t len = 200000;
	unsigned char *in = mixed_input(len, 31);
	const size_t blocks[] = { 1, 2, 3, 5, 17, 100, 999, 4096, 65536 };
	struct mint_buf one = MINT_BUF_INIT, three = MINT_BUF_INIT;
	for (size_t b = 0; b < sizeof(blocks) / sizeof(blocks[0]); b++) {
		size_t n = blocks[b] < 100 ? 3000 : len;
		for (int level = 0; level <= 12; level += 4) {
			compress_sized(in, n, 1, level, blocks[b], &one);
			assert_inflates_to(&one, in, n);
			compress_sized(in, n, 3, level, blocks[b], &three);
			assert_int_equal(three.len, one.len);
			assert_memory_equal(three.data, one.data, one.len);
		}
	}
	mint_buf_free(&one);
	mint_buf_free(&three);
	free(in);
}

static void test_gzip_writer_rejects_bad_level_and_thread_count(void **state)
{
	(void)state;
	struct mint_err err = { 0 };
	struct mint_gzip_writer *w = (void *)1;
	struct mint_buf b = MINT_BUF_INIT;
	assert_int_equal(mint_gzip_writer_new(&w, 1, 13, buf_sink, &b, &err), MINT_EINVAL);
	assert_null(w);
	assert_non_null(strstr(err.msg, "level 13"));
	assert_int_equal(mint_gzip_writer_new(&w, 1, -1, buf_sink, &b, &err), MINT_EINVAL);
	assert_int_equal(mint_gzip_writer_new(&w, MINT_GZIP_MAX_THREADS + 1, 6, buf_sink, &b, &err),
			 MINT_EINVAL);
	assert_int_equal(mint_gzip_writer_new(&w, 1, 6, NULL, &b, &err), MINT_EINVAL);
	assert_int_equal(mint_gzip_writer_new_sized(&w, 1, 6, 0, buf_sink, &b, &err), MINT_EINVAL);
	assert_int_equal(mint_gzip_writer_new_sized(&w, 1, 6, MINT_GZIP_MAX_BLOCK_BYTES + 1,
						    buf_sink, &b, &err), MINT_EINVAL);
}

static int failing_sink(void *ctx, const void *data, size_t len, struct mint_err *err)
{
	(void)data;
	size_t *budget = ctx;
	if (len > *budget)
		return mint_err_set(err, MINT_EIO, "disk full");
	*budget -= len;
	return 0;
}

static void test_gzip_writer_repeats_a_sink_error(void **state)
{
	(void)state;
	size_t len = 3 * BLOCK;
	unsigned char *in = mixed_input(len, 21);
	size_t budget = 100;
	struct mint_err err = { 0 };
	struct mint_gzip_writer *w;
	assert_ok(mint_gzip_writer_new(&w, 2, 6, failing_sink, &budget, &err), &err);
	int rc = mint_gzip_writer_write(w, in, len, &err);
	if (rc == 0)
		rc = mint_gzip_writer_finish(w, NULL, &err);
	assert_int_equal(rc, MINT_EIO);
	assert_string_equal(err.msg, "disk full");
	mint_err_clear(&err);
	assert_int_equal(mint_gzip_writer_write(w, "x", 1, &err), MINT_EIO);
	assert_string_equal(err.msg, "disk full");
	assert_int_equal(mint_gzip_writer_finish(w, NULL, &err), MINT_EIO);
	mint_gzip_writer_free(w);
	free(in);
}

static void test_gzip_writer_write_after_finish_is_invalid(void **state)
{
	(void)state;
	struct mint_err err = { 0 };
	struct mint_buf b = MINT_BUF_INIT;
	struct mint_gzip_writer *w;
	assert_ok(mint_gzip_writer_new(&w, 1, 6, buf_sink, &b, &err), &err);
	assert_ok(mint_gzip_writer_finish(w, NULL, &err), &err);
	assert_int_equal(mint_gzip_writer_write(w, "x", 1, &err), MINT_EINVAL);
	assert_int_equal(mint_gzip_writer_finish(w, NULL, &err), MINT_EINVAL);
	mint_gzip_writer_free(w);
	mint_buf_free(&b);
}

static void test_gzip_writer_freed_unfinished_leaks_nothing(void **state)
{
	(void)state;
	size_t len = 5 * BLOCK / 2;
	unsigned char *in = mixed_input(len, 23);
	struct mint_err err = { 0 };
	struct mint_buf b = MINT_BUF_INIT;
	struct mint_gzip_writer *w;
	assert_ok(mint_gzip_writer_new(&w, 4, 6, buf_sink, &b, &err), &err);
	assert_ok(mint_gzip_writer_write(w, in, len, &err), &err);
	mint_gzip_writer_free(w);
	mint_gzip_writer_free(NULL);
	mint_buf_free(&b);
	free(in);
}

/* The bytes are pinned for the libdeflate release the format notes were
 * written with; a different release may choose other matches. */
static void test_gzip_digest_is_pinned_for_libdeflate_1_14(void **state)
{
	(void)state;
	if (strcmp(LIBDEFLATE_VERSION_STRING, "1.14") != 0)
		skip();
	size_t len = 2 * BLOCK + 4321;
	unsigned char *in = mixed_input(len, 29);
	struct mint_buf gz = MINT_BUF_INIT;
	compress_ok(in, len, 2, 6, &gz);
	unsigned char d[MINT_HASH_MAX_BYTES];
	char hex[65];
	assert_int_equal(mint_hash_bytes(MINT_HASH_SHA256, gz.data, gz.len, d), 0);
	mint_hex_encode(d, 32, hex);
	assert_string_equal(hex, "b63ce29e6c24d327619a2539fbdfdf984bc12b7f008356955f99c79e28be7e14");
	mint_buf_free(&gz);
	free(in);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_gzip_header_has_no_name_mtime_zero_and_os_unknown),
		cmocka_unit_test(test_gzip_empty_input_is_a_valid_member),
		cmocka_unit_test(test_gzip_output_is_the_same_for_1_2_and_4_threads),
		cmocka_unit_test(test_gzip_output_does_not_depend_on_write_sizes),
		cmocka_unit_test(test_gzip_sizes_at_block_boundaries_inflate_back),
		cmocka_unit_test(test_gzip_every_level_inflates_back),
		cmocka_unit_test(test_gzip_random_and_zero_blocks_inflate_back),
		cmocka_unit_test(test_gzip_output_reads_back_with_mint_gunzip),
		cmocka_unit_test(test_gzip_output_passes_gzip_t),
		cmocka_unit_test(test_gzip_small_blocks_join_into_one_stream),
		cmocka_unit_test(test_gzip_writer_rejects_bad_level_and_thread_count),
		cmocka_unit_test(test_gzip_writer_repeats_a_sink_error),
		cmocka_unit_test(test_gzip_writer_write_after_finish_is_invalid),
		cmocka_unit_test(test_gzip_writer_freed_unfinished_leaks_nothing),
		cmocka_unit_test(test_gzip_digest_is_pinned_for_libdeflate_1_14),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
