/* SPDX-License-Identifier: Apache-2.0 */
/*
 * melange keygen: a fresh RSA key pair as <prefix>.rsa (PKCS#1 "RSA PRIVATE
 * KEY" PEM, mode 0600) and <prefix>.rsa.pub (SPKI "PUBLIC KEY" PEM, 0644),
 * the forms apk-tools and melange read. Existing files are never replaced.
 */
#include <errno.h>
#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "mint/apk_write.h"
#include "mint/fs.h"

#define KEYGEN_MIN_BITS 2048
#define KEYGEN_MAX_BITS 16384

static EVP_PKEY *generate_rsa(unsigned bits)
{
	EVP_PKEY *key = NULL;
	EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_id(EVP_PKEY_RSA, NULL);
	if (ctx && EVP_PKEY_keygen_init(ctx) == 1 &&
	    EVP_PKEY_CTX_set_rsa_keygen_bits(ctx, (int)bits) == 1)
		EVP_PKEY_keygen(ctx, &key);
	EVP_PKEY_CTX_free(ctx);
	return key;
}

/* The PEM of the private (PKCS#1) or public (SPKI) half, appended to out. */
static int pem_of(EVP_PKEY *key, bool private_half, struct mint_buf *out, struct mint_err *err)
{
	BIO *bio = BIO_new(BIO_s_mem());
	int ok = 0;
	if (!bio)
		return mint_err_set(err, MINT_ENOMEM, "out of memory");
	if (private_half)
		ok = PEM_write_bio_PrivateKey_traditional(bio, key, NULL, NULL, 0, NULL, NULL);
	else
		ok = PEM_write_bio_PUBKEY(bio, key);
	char *data = NULL;
	long len = BIO_get_mem_data(bio, &data);
	int rc = 0;
	if (ok != 1 || len <= 0)
		rc = mint_err_set(err, MINT_EINVAL, "cannot encode the key as PEM");
	else if (mint_buf_append(out, data, (size_t)len))
		rc = mint_err_set(err, MINT_ENOMEM, "out of memory");
	BIO_free(bio);
	ERR_clear_error();
	return rc;
}

static int refuse_existing(const char *path, struct mint_err *err)
{
	struct stat st;
	if (lstat(path, &st) == 0) {
		mint_err_set(err, MINT_EDUPLICATE, "already exists; not replacing a key");
		mint_err_set_file(err, path);
		return MINT_EDUPLICATE;
	}
	return 0;
}

int mint_apk_keygen(const char *prefix, unsigned bits, struct mint_err *err)
{
	struct mint_buf priv_path = MINT_BUF_INIT, pub_path = MINT_BUF_INIT;
	struct mint_buf priv = MINT_BUF_INIT, pub = MINT_BUF_INIT;
	EVP_PKEY *key = NULL;
	int rc;
	if (!prefix || !*prefix)
		return mint_err_set(err, MINT_EINVAL, "no key name");
	if (bits < KEYGEN_MIN_BITS || bits > KEYGEN_MAX_BITS)
		return mint_err_set(err, MINT_EINVAL, "key size %u bits: must be %u to %u",
				    bits, KEYGEN_MIN_BITS, KEYGEN_MAX_BITS);
	if (mint_buf_printf(&priv_path, "%s.rsa", prefix) ||
	    mint_buf_printf(&pub_path, "%s.rsa.pub", prefix)) {
		rc = mint_err_set(err, MINT_ENOMEM, "out of memory");
		goto out;
	}
	rc = refuse_existing(priv_path.data, err);
	if (!rc)
		rc = refuse_existing(pub_path.data, err);
	if (rc)
		goto out;
	key = generate_rsa(bits);
	if (!key) {
		ERR_clear_error();
		rc = mint_err_set(err, MINT_ENOMEM, "RSA key generation failed");
		goto out;
	}
	rc = pem_of(key, true, &priv, err);
	if (!rc)
		rc = pem_of(key, false, &pub, err);
	if (!rc)
		rc = mint_file_write_atomic(priv_path.data, priv.data, priv.len, 0600, err);
	if (!rc) {
		rc = mint_file_write_atomic(pub_path.data, pub.data, pub.len, 0644, err);
		if (rc)
			unlink(priv_path.data);
	}
out:
	EVP_PKEY_free(key);
	if (priv.data)
		OPENSSL_cleanse(priv.data, priv.len);
	mint_buf_free(&priv);
	mint_buf_free(&pub);
	mint_buf_free(&priv_path);
	mint_buf_free(&pub_path);
	return rc;
}
