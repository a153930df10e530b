/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Benchmark: a 100,000-package repository index. Measures parsing the
 * APKINDEX text, and reading a signed APKINDEX.tar.gz (inflate, verify,
 * parse), each beside a baseline measured in the same run on the same bytes:
 * a bare newline scan for the text, zlib's inflate alone for the archive.
 */
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <zlib.h>

#include "mint/apk_index.h"
#include "mint/apk_index_file.h"
#include "mint/tar.h"
#include "synth.h"

#define PACKAGES 100000
#define ROUNDS 5

static size_t newline_scan(struct mint_span text)
{
	size_t lines = 0;
	const char *p = text.ptr, *end = text.ptr + text.len;
	while (p < end && (p = memchr(p, '\n', (size_t)(end - p)))) {
		lines++;
		p++;
	}
	return lines;
}

static int buf_sink(void *ctx, const void *data, size_t len, struct mint_err *err)
{
	(void)err;
	return mint_buf_append(ctx, data, len);
}

static void gzip_into(const void *data, size_t len, struct mint_buf *out)
{
	uLong bound = compressBound(len) + 64;
	z_stream z = { 0 };
	deflateInit2(&z, 6, Z_DEFLATED, 31, 8, Z_DEFAULT_STRATEGY);
	char *at = mint_buf_grow(out, bound);
	z.next_in = (Bytef *)data;
	z.avail_in = (uInt)len;
	z.next_out = (Bytef *)at;
	z.avail_out = (uInt)bound;
	deflate(&z, Z_FINISH);
	out->len -= z.avail_out;
	deflateEnd(&z);
}

static void tar_one(const char *name, struct mint_span content, bool end, struct mint_buf *out)
{
	struct mint_tar_writer w = { .sink = buf_sink, .ctx = out };
	struct mint_tar_entry e = { .name = (char *)name, .type = MINT_TAR_REG, .mode = 0644,
				    .size = content.len, .uname = "root", .gname = "root" };
	struct mint_err err = { 0 };
	mint_tar_write_entry(&w, &e, content.ptr, &err);
	if (end)
		mint_tar_write_end(&w, &err);
}

/* Signed APKINDEX.tar.gz around text; the key goes into kr. */
static void signed_index(struct mint_span text, struct mint_apk_keyring *kr, struct mint_buf *file,
			 size_t *content_offset)
{
	EVP_PKEY *key = EVP_RSA_gen(4096);
	struct mint_buf tar = MINT_BUF_INIT, content = MINT_BUF_INIT, sigtar = MINT_BUF_INIT;
	tar_one("APKINDEX", text, true, &tar);
	gzip_into(tar.data, tar.len, &content);
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	size_t n = 0;
	EVP_DigestSignInit(ctx, NULL, EVP_sha256(), NULL, key);
	EVP_DigestSign(ctx, NULL, &n, (unsigned char *)content.data, content.len);
	unsigned char *sig = malloc(n);
	EVP_DigestSign(ctx, sig, &n, (unsigned char *)content.data, content.len);
	EVP_MD_CTX_free(ctx);
	tar_one(".SIGN.RSA256.bench.rsa.pub", MINT_SPAN(sig, n), false, &sigtar);
	mint_buf_reset(file);
	gzip_into(sigtar.data, sigtar.len, file);
	*content_offset = file->len;
	mint_buf_append(file, content.data, content.len);
	BIO *bio = BIO_new(BIO_s_mem());
	PEM_write_bio_PUBKEY(bio, key);
	char *pem;
	long pem_len = BIO_get_mem_data(bio, &pem);
	struct mint_err err = { 0 };
	mint_apk_keyring_add_pem(kr, "bench.rsa.pub", MINT_SPAN(pem, (size_t)pem_len), &err);
	BIO_free(bio);
	EVP_PKEY_free(key);
	free(sig);
	mint_buf_free(&tar);
	mint_buf_free(&content);
	mint_buf_free(&sigtar);
}

static double best_of(double (*run)(void *), void *ctx)
{
	double best = 1e9;
	for (int i = 0; i < ROUNDS; i++) {
		double t = run(ctx);
		if (t < best)
			best = t;
	}
	return best;
}

struct text_ctx {
	struct mint_span text;
};

static double run_parse(void *ctx)
{
	struct text_ctx *c = ctx;
	struct mint_apk_index idx;
	struct mint_err err = { 0 };
	double t0 = bench_now_seconds();
	if (mint_apk_index_parse_text(c->text, &idx, &err)) {
		fprintf(stderr, "bench: parse failed: %s\n", err.msg);
		exit(1);
	}
	double t = bench_now_seconds() - t0;
	mint_apk_index_free(&idx);
	return t;
}

static double run_scan(void *ctx)
{
	struct text_ctx *c = ctx;
	double t0 = bench_now_seconds();
	volatile size_t lines = newline_scan(c->text);
	(void)lines;
	return bench_now_seconds() - t0;
}

struct file_ctx {
	struct mint_span file;
	size_t content_offset;
	size_t text_len;
	const struct mint_apk_keyring *kr;
};

static double run_read_signed(void *ctx)
{
	struct file_ctx *c = ctx;
	struct mint_apk_index_file f;
	struct mint_err err = { 0 };
	double t0 = bench_now_seconds();
	if (mint_apk_index_file_read_mem(c->file, c->kr, NULL, MINT_APK_REQUIRE_TRUST, &f, &err)) {
		fprintf(stderr, "bench: signed read failed: %s\n", err.msg);
		exit(1);
	}
	double t = bench_now_seconds() - t0;
	mint_apk_index_file_free(&f);
	return t;
}

static double run_inflate(void *ctx)
{
	struct file_ctx *c = ctx;
	unsigned char *out = malloc(c->text_len + 4096);
	double t0 = bench_now_seconds();
	z_stream z = { 0 };
	inflateInit2(&z, 31);
	z.next_in = (Bytef *)c->file.ptr + c->content_offset;
	z.avail_in = (uInt)(c->file.len - c->content_offset);
	z.next_out = out;
	z.avail_out = (uInt)(c->text_len + 4096);
	inflate(&z, Z_FINISH);
	inflateEnd(&z);
	double t = bench_now_seconds() - t0;
	free(out);
	return t;
}

int main(void)
{
	struct mint_apk_index idx;
	synth_index(&idx, PACKAGES, 6, 42);
	struct mint_buf text = MINT_BUF_INIT;
	if (mint_apk_index_write_text(&idx, &text)) {
		fprintf(stderr, "bench: cannot write the synthetic index\n");
		return 1;
	}
	mint_apk_index_free(&idx);
	double mb = (double)text.len / 1e6;

	struct text_ctx tc = { mint_buf_span(&text) };
	double parse = best_of(run_parse, &tc), scan = best_of(run_scan, &tc);
	printf("index text parse: %zu packages, %.1f MB: %.0f MB/s (%.1f ms); "
	       "baseline newline scan %.0f MB/s; mint/baseline time ratio %.1f\n",
	       (size_t)PACKAGES, mb, mb / parse, parse * 1e3, mb / scan, parse / scan);

	struct mint_apk_keyring kr = { 0 };
	struct mint_buf file = MINT_BUF_INIT;
	struct file_ctx fc = { .text_len = text.len, .kr = &kr };
	signed_index(mint_buf_span(&text), &kr, &file, &fc.content_offset);
	fc.file = mint_buf_span(&file);
	double signed_read = best_of(run_read_signed, &fc), inflate_only = best_of(run_inflate, &fc);
	printf("signed APKINDEX.tar.gz read (inflate + RSA-4096 verify + parse): %.1f ms for %.1f MB "
	       "compressed; baseline zlib inflate alone %.1f ms; ratio %.2f\n",
	       signed_read * 1e3, (double)file.len / 1e6, inflate_only * 1e3,
	       signed_read / inflate_only);
	mint_apk_keyring_free(&kr);
	mint_buf_free(&file);
	mint_buf_free(&text);
	return 0;
}
