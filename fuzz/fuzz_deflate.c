/* SPDX-License-Identifier: Apache-2.0 */
/* libFuzzer harness for the canonical gzip writer: arbitrary bytes, level,
 * thread count, block size and write sizes. The stream must inflate back to
 * the input with zlib, and must not depend on threads or write sizes. The
 * join walk parses libdeflate's output, so this is where it meets odd
 * blocks. Input: level, threads, block size (2 bytes), write size, payload. */
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "mint/deflate.h"

static int buf_sink(void *ctx, const void *data, size_t len, struct mint_err *err)
{
	(void)err;
	return mint_buf_append(ctx, data, len);
}

static void compress_canonical(const uint8_t *in, size_t len, unsigned threads, int level, size_t block,
		     size_t step, struct mint_buf *out)
{
	struct mint_err err = { 0 };
	struct mint_gzip_writer *w;
	if (mint_gzip_writer_new_sized(&w, threads, level, block, buf_sink, out, &err))
		__builtin_trap();
	for (size_t at = 0; at < len; at += step) {
		size_t n = len - at < step ? len - at : step;
		if (mint_gzip_writer_write(w, in + at, n, &err))
			__builtin_trap();
	}
	if (mint_gzip_writer_finish(w, NULL, &err))
		__builtin_trap();
	mint_gzip_writer_free(w);
}

static void check_inflates_to(const struct mint_buf *gz, const uint8_t *want, size_t len)
{
	unsigned char *got = malloc(len + 1);
	z_stream z = { 0 };
	if (!got || inflateInit2(&z, 31) != Z_OK)
		__builtin_trap();
	z.next_in = (Bytef *)gz->data;
	z.avail_in = (uInt)gz->len;
	z.next_out = got;
	z.avail_out = (uInt)len + 1;
	if (inflate(&z, Z_FINISH) != Z_STREAM_END || z.avail_in || z.total_out != len ||
	    memcmp(got, want, len))
		__builtin_trap();
	inflateEnd(&z);
	free(got);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 5)
		return 0;
	int level = data[0] % (MINT_GZIP_MAX_LEVEL + 1);
	unsigned threads = 2 + data[1] % 2;
	size_t block = 1 + (((size_t)data[2] << 8 | data[3]) % 8192);
	size_t step = 1 + data[4] * 7;
	const uint8_t *in = data + 5;
	size_t len = size - 5;
	struct mint_buf a = MINT_BUF_INIT, b = MINT_BUF_INIT;
	compress_canonical(in, len, 1, level, block, len ? len : 1, &a);
	check_inflates_to(&a, in, len);
	compress_canonical(in, len, threads, level, block, step, &b);
	if (a.len != b.len || memcmp(a.data, b.data, a.len))
		__builtin_trap();
	mint_buf_free(&a);
	mint_buf_free(&b);
	return 0;
}
