/* SPDX-License-Identifier: Apache-2.0 */
/* Test-only apk v2 builder (see apkbuild.h). */
#include "apkbuild.h"

#include <openssl/pem.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "mint/encode.h"
#include "mint/hash.h"
#include "testutil.h"

void gzip_member(const void *data, size_t len, struct mint_buf *out)
{
	z_stream z = { 0 };
	assert_int_equal(deflateInit2(&z, 9, Z_DEFLATED, 31, 8, Z_DEFAULT_STRATEGY), Z_OK);
	uLong bound = deflateBound(&z, len) + 32;
	char *at = mint_buf_grow(out, bound);
	assert_non_null(at);
	z.next_in = (Bytef *)data;
	z.avail_in = (uInt)len;
	z.next_out = (Bytef *)at;
	z.avail_out = (uInt)bound;
	assert_int_equal(deflate(&z, Z_FINISH), Z_STREAM_END);
	out->len -= z.avail_out;
	deflateEnd(&z);
}

static int sink(void *ctx, const void *data, size_t len, struct mint_err *err)
{
	(void)err;
	return mint_buf_append(ctx, data, len);
}

static void data_tar(const struct test_apk *spec, struct mint_buf *tar)
{
	struct mint_tar_writer w = { .sink = sink, .ctx = tar };
	struct mint_err err = { 0 };
	for (size_t i = 0; i < spec->n_files; i++) {
		const struct test_file *f = &spec->files[i];
		enum mint_tar_type type = f->type ? f->type : MINT_TAR_REG;
		size_t len = type == MINT_TAR_REG && f->content
				     ? (f->content_len ? f->content_len : strlen(f->content)) : 0;
		struct mint_tar_entry e = {
			.name = (char *)f->name, .link_target = (char *)f->link, .type = type,
			.mode = f->mode ? f->mode : type == MINT_TAR_DIR ? 0755 : 0644, .size = len,
			.mtime = 1700000000,
			.uname = "root", .gname = "root",
		};
		if (type == MINT_TAR_REG) {
			unsigned char d[MINT_HASH_MAX_BYTES];
			mint_hash_bytes(MINT_HASH_SHA1, f->content, len, d);
			if (f->wrong_checksum)
				d[0] ^= 1;
			e.has_apk_sha1 = true;
			memcpy(e.apk_sha1, d, 20);
		}
		assert_ok(mint_tar_write_entry(&w, &e, f->content, &err), &err);
	}
	assert_ok(mint_tar_write_end(&w, &err), &err);
}

static void add_control_entry(struct mint_tar_writer *w, const char *name, const char *content)
{
	struct mint_err err = { 0 };
	struct mint_tar_entry e = { .name = (char *)name, .type = MINT_TAR_REG, .mode = 0644,
				    .size = strlen(content), .uname = "root", .gname = "root" };
	assert_ok(mint_tar_write_entry(w, &e, content, &err), &err);
}

static void sign_bytes(const struct test_apk *spec, const struct mint_buf *signed_bytes,
		       struct mint_buf *out)
{
	const char *alg = spec->sig_alg ? spec->sig_alg : "RSA256";
	const EVP_MD *md = !strcmp(alg, "RSA") ? EVP_sha1()
			   : !strcmp(alg, "RSA512") ? EVP_sha512() : EVP_sha256();
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	size_t n = 0;
	assert_int_equal(EVP_DigestSignInit(ctx, NULL, md, NULL, spec->key), 1);
	assert_int_equal(EVP_DigestSign(ctx, NULL, &n, (unsigned char *)signed_bytes->data,
					signed_bytes->len), 1);
	unsigned char *sig = malloc(n);
	assert_int_equal(EVP_DigestSign(ctx, sig, &n, (unsigned char *)signed_bytes->data,
					signed_bytes->len), 1);
	EVP_MD_CTX_free(ctx);
	struct mint_buf name = MINT_BUF_INIT, tar = MINT_BUF_INIT;
	mint_buf_printf(&name, ".SIGN.%s.%s", alg, spec->key_name);
	struct mint_tar_writer w = { .sink = sink, .ctx = &tar };
	struct mint_err err = { 0 };
	struct mint_tar_entry e = { .name = name.data, .type = MINT_TAR_REG, .mode = 0644,
				    .size = n, .uname = "root", .gname = "root" };
	assert_ok(mint_tar_write_entry(&w, &e, sig, &err), &err);
	gzip_member(tar.data, tar.len, out);
	free(sig);
	mint_buf_free(&name);
	mint_buf_free(&tar);
}

void build_test_apk(const struct test_apk *spec, struct mint_buf *out)
{
	struct mint_buf data_tarball = MINT_BUF_INIT, data_gz = MINT_BUF_INIT;
	struct mint_buf pkginfo = MINT_BUF_INIT, control_tar = MINT_BUF_INIT;
	struct mint_buf control_gz = MINT_BUF_INIT;
	data_tar(spec, &data_tarball);
	gzip_member(data_tarball.data, data_tarball.len, &data_gz);
	mint_buf_puts(&pkginfo, spec->pkginfo ? spec->pkginfo
					      : "pkgname = test\npkgver = 1.0-r0\narch = x86_64\n");
	if (!spec->legacy) {
		unsigned char d[MINT_HASH_MAX_BYTES];
		char hex[65];
		mint_hash_bytes(MINT_HASH_SHA256, data_gz.data, data_gz.len, d);
		mint_hex_encode(d, 32, hex);
		mint_buf_printf(&pkginfo, "datahash = %s\n", hex);
	}
	struct mint_tar_writer w = { .sink = sink, .ctx = &control_tar };
	add_control_entry(&w, ".PKGINFO", pkginfo.data);
	if (spec->extra_control)
		add_control_entry(&w, spec->extra_control, "#!/bin/sh\n");
	gzip_member(control_tar.data, control_tar.len, &control_gz);

	mint_buf_reset(out);
	if (spec->key) {
		struct mint_buf signed_bytes = MINT_BUF_INIT;
		mint_buf_append(&signed_bytes, control_gz.data, control_gz.len);
		if (spec->legacy)
			mint_buf_append(&signed_bytes, data_gz.data, data_gz.len);
		sign_bytes(spec, &signed_bytes, out);
		mint_buf_free(&signed_bytes);
	}
	mint_buf_append(out, control_gz.data, control_gz.len);
	mint_buf_append(out, data_gz.data, data_gz.len);
	if (spec->trailing_member)
		gzip_member("x", 1, out);
	mint_buf_free(&data_tarball);
	mint_buf_free(&data_gz);
	mint_buf_free(&pkginfo);
	mint_buf_free(&control_tar);
	mint_buf_free(&control_gz);
}

char *public_pem_of(EVP_PKEY *key, size_t *len)
{
	BIO *bio = BIO_new(BIO_s_mem());
	PEM_write_bio_PUBKEY(bio, key);
	char *data;
	long n = BIO_get_mem_data(bio, &data);
	char *copy = malloc((size_t)n);
	memcpy(copy, data, (size_t)n);
	*len = (size_t)n;
	BIO_free(bio);
	return copy;
}
