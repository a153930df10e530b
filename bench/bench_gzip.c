/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Benchmark: the canonical gzip writer on ~200 MB of mixed input (text,
 * machine-code-like binary, incompressible and zero runs, generated from a
 * fixed seed), at 1 and 2 threads, beside baselines measured in the same run
 * on the same bytes: zlib's deflate at level 6 on one thread, pigz -6 at 1
 * and 2 threads (when installed), and libdeflate level 6 over the whole
 * input as one buffer, which shows what cutting into 1 MiB blocks costs in
 * size. The mint outputs are checked: equal for both thread counts, and
 * inflating back to the input.
 */
#include <libdeflate.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <zlib.h>

#include "synth.h"

#include "mint/deflate.h"

#define INPUT_BYTES (200u << 20)
#define LEVEL 6

static uint64_t rng = 0x9e3779b97f4a7c15ull;

static uint64_t next(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

/* An index in [0, n) that favours small values, as word and opcode
 * frequencies do. */
static size_t skewed(size_t n)
{
	uint64_t r = next();
	return (size_t)(((r & 0xffff) * ((r >> 16) & 0xffff) >> 16) * n >> 16);
}

#define WORDS 4096
static char words[WORDS][16];

static void make_words(void)
{
	static const char *syl[] = { "ka", "lo", "mi", "ne", "ro", "sta", "ti", "pre", "con",
				     "ing", "er", "al", "de", "un", "ex", "tion", "ly", "or",
				     "an", "is", "ed", "th", "qu", "ve" };
	for (size_t i = 0; i < WORDS; i++) {
		size_t n = 1 + next() % 4, len = 0;
		for (size_t k = 0; k < n; k++) {
			const char *s = syl[next() % 24];
			size_t l = strlen(s);
			memcpy(words[i] + len, s, l);
			len += l;
		}
		words[i][len] = '\0';
	}
}

static size_t put(unsigned char *p, size_t at, size_t end, const char *s)
{
	while (*s && at < end)
		p[at++] = (unsigned char)*s++;
	return at;
}

/* Prose and source-like lines. */
static void fill_text(unsigned char *p, size_t at, size_t end)
{
	static const char *sym[] = { " = ", "(", ");", " {", "}", ", ", "->", " == ", "[i]", "; " };
	bool code = next() % 2;
	size_t col = 0;
	while (at < end) {
		if (code && col == 0)
			at = put(p, at, end, next() % 3 ? "\t" : "\t\t");
		at = put(p, at, end, words[skewed(WORDS)]);
		at = put(p, at, end, code ? sym[next() % 10] : (next() % 9 ? " " : ". "));
		if (++col > 6 + next() % 8) {
			at = put(p, at, end, "\n");
			col = 0;
		}
	}
}

/* Machine-code-like: opcodes from a skewed table, small immediates and
 * addresses. */
static void fill_binary(unsigned char *p, size_t at, size_t end)
{
	static unsigned char ops[2048][8];
	static unsigned char op_len[2048];
	if (!op_len[0])
		for (size_t i = 0; i < 2048; i++) {
			op_len[i] = (unsigned char)(1 + next() % 7);
			for (size_t k = 0; k < 8; k++)
				ops[i][k] = (unsigned char)next();
		}
	while (at < end) {
		size_t op = skewed(2048);
		for (size_t k = 0; k < op_len[op] && at < end; k++)
			p[at++] = ops[op][k];
		if (next() % 4 == 0) {
			uint32_t imm = next() % 3 ? (uint32_t)(next() % 256)
				: 0x400000u + (uint32_t)(next() % (1u << 20));
			for (size_t k = 0; k < 4 && at < end; k++)
				p[at++] = (unsigned char)(imm >> (8 * k));
		}
	}
}

static unsigned char *make_input(size_t len)
{
	unsigned char *p = malloc(len);
	if (!p)
		exit(1);
	make_words();
	size_t at = 0;
	while (at < len) {
		size_t run = (64u << 10) + next() % (2u << 20);
		size_t end = at + run < len ? at + run : len;
		unsigned kind = (unsigned)(next() % 100);
		if (kind < 40) {
			fill_text(p, at, end);
		} else if (kind < 80) {
			fill_binary(p, at, end);
		} else if (kind < 92) {
			for (size_t i = at; i < end; i++)
				p[i] = (unsigned char)next();
		} else {
			memset(p + at, 0, end - at);
		}
		at = end;
	}
	return p;
}

static int buf_sink(void *ctx, const void *data, size_t len, struct mint_err *err)
{
	(void)err;
	return mint_buf_append(ctx, data, len);
}

static double run_mint(const unsigned char *in, size_t len, unsigned threads,
		       struct mint_buf *out)
{
	struct mint_err err = { 0 };
	struct mint_gzip_writer *w;
	mint_buf_reset(out);
	if (mint_buf_reserve(out, len / 2 + (1u << 20)))
		exit(1);
	double t0 = bench_now_seconds();
	if (mint_gzip_writer_new(&w, threads, LEVEL, buf_sink, out, &err) ||
	    mint_gzip_writer_write(w, in, len, &err) || mint_gzip_writer_finish(w, NULL, &err)) {
		fprintf(stderr, "bench: canonical gzip failed: %s\n", err.msg);
		exit(1);
	}
	double t = bench_now_seconds() - t0;
	mint_gzip_writer_free(w);
	return t;
}

static double run_zlib(const unsigned char *in, size_t len, size_t *out_len)
{
	static unsigned char out[1u << 18];
	z_stream z = { 0 };
	double t0 = bench_now_seconds();
	deflateInit2(&z, LEVEL, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY);
	z.next_in = (Bytef *)in;
	z.avail_in = (uInt)len;
	*out_len = 0;
	int rc;
	do {
		z.next_out = out;
		z.avail_out = sizeof(out);
		rc = deflate(&z, Z_FINISH);
		*out_len += sizeof(out) - z.avail_out;
	} while (rc == Z_OK);
	deflateEnd(&z);
	return bench_now_seconds() - t0;
}

/* pigz reads the input from a file (in the page cache by then) and its
 * output is counted through a pipe. Returns a negative time on failure. */
static double run_pigz(const char *path, unsigned threads, size_t *out_len)
{
	char cmd[512];
	snprintf(cmd, sizeof(cmd), "pigz -%d -p %u -c < '%s'", LEVEL, threads, path);
	static unsigned char buf[1u << 18];
	double t0 = bench_now_seconds();
	FILE *f = popen(cmd, "r");
	if (!f)
		return -1;
	*out_len = 0;
	size_t n;
	while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
		*out_len += n;
	int status = pclose(f);
	double t = bench_now_seconds() - t0;
	return status == 0 ? t : -1;
}

static double run_libdeflate_whole(const unsigned char *in, size_t len, size_t *out_len)
{
	struct libdeflate_compressor *c = libdeflate_alloc_compressor(LEVEL);
	size_t cap = libdeflate_gzip_compress_bound(c, len);
	unsigned char *out = malloc(cap);
	if (!c || !out)
		exit(1);
	double t0 = bench_now_seconds();
	*out_len = libdeflate_gzip_compress(c, in, len, out, cap);
	double t = bench_now_seconds() - t0;
	free(out);
	libdeflate_free_compressor(c);
	return t;
}

static void check_inflates(const struct mint_buf *gz, const unsigned char *want, size_t len)
{
	unsigned char *got = malloc(len);
	z_stream z = { 0 };
	if (!got || inflateInit2(&z, 15 + 16) != Z_OK)
		exit(1);
	z.next_in = (Bytef *)gz->data;
	z.avail_in = (uInt)gz->len;
	z.next_out = got;
	z.avail_out = (uInt)len;
	if (inflate(&z, Z_FINISH) != Z_STREAM_END || z.total_out != len || memcmp(got, want, len)) {
		fprintf(stderr, "bench: canonical gzip does not inflate back to its input\n");
		exit(1);
	}
	inflateEnd(&z);
	free(got);
}

static void report(const char *what, size_t in_len, size_t out_len, double seconds)
{
	printf("  %-44s %7.1f MB/s  ratio %.4f  (%.2f s)\n", what, (double)in_len / 1e6 / seconds,
	       (double)out_len / (double)in_len, seconds);
}

int main(void)
{
	size_t len = INPUT_BYTES;
	unsigned char *in = make_input(len);
	printf("canonical gzip, level %d: %.0f MB of mixed input (text 40%%, binary 40%%, "
	       "random 12%%, zeros 8%%), %u KiB blocks, libdeflate %s\n",
	       LEVEL, (double)len / 1e6, MINT_GZIP_BLOCK_BYTES >> 10, LIBDEFLATE_VERSION_STRING);

	struct mint_buf one = MINT_BUF_INIT, two = MINT_BUF_INIT;
	double t1 = run_mint(in, len, 1, &one);
	double t2 = run_mint(in, len, 2, &two);
	if (one.len != two.len || memcmp(one.data, two.data, one.len)) {
		fprintf(stderr, "bench: 1 and 2 threads gave different bytes\n");
		return 1;
	}
	check_inflates(&one, in, len);
	report("mint canonical gzip, 1 thread", len, one.len, t1);
	report("mint canonical gzip, 2 threads", len, two.len, t2);

	size_t zlen;
	double tz = run_zlib(in, len, &zlen);
	report("baseline: zlib deflate, 1 thread", len, zlen, tz);

	size_t wlen;
	double tw = run_libdeflate_whole(in, len, &wlen);
	report("reference: libdeflate, one 200 MB buffer", len, wlen, tw);

	char path[] = "/tmp/mint-bench-gzip-XXXXXX";
	int fd = mkstemp(path);
	double tp1 = -1, tp2 = -1;
	size_t p1len = 0, p2len = 0;
	if (fd >= 0 && write(fd, in, len) == (ssize_t)len &&
	    system("command -v pigz >/dev/null 2>&1") == 0) {
		tp1 = run_pigz(path, 1, &p1len);
		tp2 = run_pigz(path, 2, &p2len);
	}
	if (fd >= 0) {
		close(fd);
		unlink(path);
	}
	if (tp1 > 0 && tp2 > 0) {
		report("baseline: pigz -6 -p 1", len, p1len, tp1);
		report("baseline: pigz -6 -p 2", len, p2len, tp2);
	} else {
		printf("  baseline: pigz not installed (scripts/deps.sh)\n");
	}
	printf("  speed: mint 1 thread = %.2fx zlib", tz / t1);
	if (tp1 > 0)
		printf(", %.2fx pigz -p 1; mint 2 threads = %.2fx pigz -p 2", tp1 / t1, tp2 / t2);
	printf("\n  size: mint = %.3fx zlib", (double)one.len / (double)zlen);
	if (tp1 > 0)
		printf(", %.3fx pigz", (double)one.len / (double)p2len);
	printf(", %.3fx libdeflate without blocks\n", (double)one.len / (double)wlen);
	mint_buf_free(&one);
	mint_buf_free(&two);
	free(in);
	return 0;
}
