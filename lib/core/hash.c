/* SPDX-License-Identifier: Apache-2.0 */
/* Digests over OpenSSL EVP (see mint/hash.h). */
#include "mint/hash.h"

#include <openssl/evp.h>

#include "mint/err.h"

#include "evp_md.h"

const EVP_MD *mint_evp_md(enum mint_hash_alg alg)
{
	switch (alg) {
	case MINT_HASH_SHA1: return EVP_sha1();
	case MINT_HASH_SHA256: return EVP_sha256();
	case MINT_HASH_SHA512: return EVP_sha512();
	}
	return NULL;
}

size_t mint_hash_len(enum mint_hash_alg alg)
{
	switch (alg) {
	case MINT_HASH_SHA1: return 20;
	case MINT_HASH_SHA256: return 32;
	case MINT_HASH_SHA512: return 64;
	}
	return 0;
}

const char *mint_hash_name(enum mint_hash_alg alg)
{
	switch (alg) {
	case MINT_HASH_SHA1: return "sha1";
	case MINT_HASH_SHA256: return "sha256";
	case MINT_HASH_SHA512: return "sha512";
	}
	return "unknown";
}

int mint_hash_init(struct mint_hash *h, enum mint_hash_alg alg)
{
	h->alg = alg;
	h->ctx = EVP_MD_CTX_new();
	if (!h->ctx)
		return MINT_ENOMEM;
	if (EVP_DigestInit_ex(h->ctx, mint_evp_md(alg), NULL) != 1) {
		mint_hash_free(h);
		return MINT_ENOMEM;
	}
	return 0;
}

int mint_hash_update(struct mint_hash *h, const void *data, size_t len)
{
	if (!len)
		return 0;
	return EVP_DigestUpdate(h->ctx, data, len) == 1 ? 0 : MINT_ENOMEM;
}

int mint_hash_final(struct mint_hash *h, unsigned char out[MINT_HASH_MAX_BYTES])
{
	unsigned int n = 0;
	int ok = EVP_DigestFinal_ex(h->ctx, out, &n) == 1;
	mint_hash_free(h);
	return ok ? 0 : MINT_ENOMEM;
}

void mint_hash_free(struct mint_hash *h)
{
	EVP_MD_CTX_free(h->ctx);
	h->ctx = NULL;
}

int mint_hash_bytes(enum mint_hash_alg alg, const void *data, size_t len,
		    unsigned char out[MINT_HASH_MAX_BYTES])
{
	struct mint_hash h;
	int rc = mint_hash_init(&h, alg);
	if (rc)
		return rc;
	rc = mint_hash_update(&h, data, len);
	if (rc) {
		mint_hash_free(&h);
		return rc;
	}
	return mint_hash_final(&h, out);
}
