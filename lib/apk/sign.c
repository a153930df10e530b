/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Signing as melange does it: loading a PEM private key, and the signature
 * member (a tar holding `.SIGN.RSA256.<key name>`, no end-of-archive,
 * gzip-compressed) that goes in front of a package's control member or an
 * index. RSA PKCS#1 v1.5 over SHA-256 is deterministic, so the same key and
 * bytes always give the same member.
 */
#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mint/apk_write.h"
#include "mint/deflate.h"
#include "mint/fs.h"
#include "mint/tar.h"
#include "write_internal.h"

/* A PEM key file is small; anything bigger is not one. */
#define KEY_FILE_MAX (1u << 20)

int apk_buf_sink(void *ctx, const void *data, size_t len, struct mint_err *err)
{
	if (mint_buf_append(ctx, data, len))
		return mint_err_set(err, MINT_ENOMEM, "out of memory");
	return 0;
}

int apk_tar_add_file(struct mint_tar_writer *w, const char *name, uint32_t mode,
		     const char *owner, int64_t mtime, struct mint_span content,
		     struct mint_err *err)
{
	struct mint_tar_entry e = {
		.name = (char *)name,
		.type = MINT_TAR_REG,
		.mode = mode,
		.size = content.len,
		.mtime = mtime,
	};
	snprintf(e.uname, sizeof(e.uname), "%s", owner);
	snprintf(e.gname, sizeof(e.gname), "%s", owner);
	return mint_tar_write_entry(w, &e, content.ptr, err);
}

static const char *base_name(const char *path)
{
	const char *slash = strrchr(path, '/');
	return slash ? slash + 1 : path;
}

static EVP_PKEY *read_private_key(const struct mint_buf *pem)
{
	BIO *bio = BIO_new_mem_buf(pem->data, (int)pem->len);
	if (!bio)
		return NULL;
	EVP_PKEY *key = PEM_read_bio_PrivateKey(bio, NULL, NULL, NULL);
	BIO_free(bio);
	ERR_clear_error();
	return key;
}

int mint_apk_signer_load(const char *path, struct mint_apk_signer *out, struct mint_err *err)
{
	struct mint_buf pem = MINT_BUF_INIT;
	int rc;
	memset(out, 0, sizeof(*out));
	rc = mint_file_read(path, KEY_FILE_MAX, &pem, err);
	if (rc)
		goto out;
	out->key = read_private_key(&pem);
	if (!out->key) {
		rc = mint_err_set(err, MINT_EFORMAT, "not a PEM private key (PKCS#1 or PKCS#8)");
		mint_err_set_file(err, path);
		goto out;
	}
	if (EVP_PKEY_base_id(out->key) != EVP_PKEY_RSA) {
		rc = mint_err_set(err, MINT_EUNSUPPORTED, "not an RSA key: apk signs with RSA only");
		mint_err_set_file(err, path);
		goto out;
	}
	if (asprintf(&out->key_name, "%s.pub", base_name(path)) < 0) {
		out->key_name = NULL;
		rc = mint_err_set(err, MINT_ENOMEM, "out of memory");
	}
out:
	if (rc)
		mint_apk_signer_free(out);
	mint_buf_free(&pem);
	return rc;
}

void mint_apk_signer_free(struct mint_apk_signer *s)
{
	if (!s)
		return;
	EVP_PKEY_free(s->key);
	free(s->key_name);
	memset(s, 0, sizeof(*s));
}

/* RSA PKCS#1 v1.5 over SHA-256 of data; *sig malloc'd. */
static int rsa256_sign(EVP_PKEY *key, struct mint_span data, unsigned char **sig,
		       size_t *sig_len, struct mint_err *err)
{
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	int rc = 0;
	*sig = NULL;
	if (!ctx)
		return mint_err_set(err, MINT_ENOMEM, "out of memory");
	if (EVP_DigestSignInit(ctx, NULL, EVP_sha256(), NULL, key) != 1 ||
	    EVP_DigestSign(ctx, NULL, sig_len, (const unsigned char *)data.ptr, data.len) != 1) {
		rc = mint_err_set(err, MINT_EINVAL, "the key cannot make RSA-SHA256 signatures");
		goto out;
	}
	*sig = malloc(*sig_len);
	if (!*sig) {
		rc = mint_err_set(err, MINT_ENOMEM, "out of memory");
		goto out;
	}
	if (EVP_DigestSign(ctx, *sig, sig_len, (const unsigned char *)data.ptr, data.len) != 1) {
		rc = mint_err_set(err, MINT_EINVAL, "RSA-SHA256 signing failed");
		free(*sig);
		*sig = NULL;
	}
out:
	EVP_MD_CTX_free(ctx);
	ERR_clear_error();
	return rc;
}

int mint_apk_signature_member(const struct mint_apk_signer *s, struct mint_span signed_bytes,
			      int64_t mtime, struct mint_buf *out, struct mint_err *err)
{
	struct mint_buf name = MINT_BUF_INIT, tar = MINT_BUF_INIT, gz = MINT_BUF_INIT;
	unsigned char *sig = NULL;
	size_t sig_len = 0;
	int rc;
	if (!s || !s->key || !s->key_name || !*s->key_name)
		return mint_err_set(err, MINT_EINVAL, "no signing key");
	rc = rsa256_sign(s->key, signed_bytes, &sig, &sig_len, err);
	if (rc)
		goto out;
	if (mint_buf_printf(&name, ".SIGN.RSA256.%s", s->key_name)) {
		rc = mint_err_set(err, MINT_ENOMEM, "out of memory");
		goto out;
	}
	struct mint_tar_writer w = { .sink = apk_buf_sink, .ctx = &tar };
	rc = apk_tar_add_file(&w, mint_buf_cstr(&name), 0644, "root", mtime,
			      MINT_SPAN(sig, sig_len), err);
	if (rc)
		goto out;
	rc = mint_gzip_compress(tar.data, tar.len, 1, MINT_GZIP_DEFAULT_LEVEL, &gz, err);
	if (rc)
		goto out;
	if (mint_buf_append(out, gz.data, gz.len))
		rc = mint_err_set(err, MINT_ENOMEM, "out of memory");
out:
	free(sig);
	mint_buf_free(&name);
	mint_buf_free(&tar);
	mint_buf_free(&gz);
	return rc;
}
