/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Message digests through OpenSSL's EVP interface. The context is opaque so
 * that public headers do not pull in OpenSSL.
 */
#ifndef MINT_HASH_H
#define MINT_HASH_H

#include <stddef.h>

enum mint_hash_alg {
	MINT_HASH_SHA1,
	MINT_HASH_SHA256,
	MINT_HASH_SHA512,
};

#define MINT_HASH_MAX_BYTES 64

struct mint_hash {
	void *ctx; /* EVP_MD_CTX */
	enum mint_hash_alg alg;
};

size_t mint_hash_len(enum mint_hash_alg alg);
const char *mint_hash_name(enum mint_hash_alg alg); /* "sha1", "sha256", "sha512" */

/* Return 0 or MINT_ENOMEM. final releases the context; free is for abandoning one. */
int mint_hash_init(struct mint_hash *h, enum mint_hash_alg alg);
int mint_hash_update(struct mint_hash *h, const void *data, size_t len);
int mint_hash_final(struct mint_hash *h, unsigned char out[MINT_HASH_MAX_BYTES]);
void mint_hash_free(struct mint_hash *h);

int mint_hash_bytes(enum mint_hash_alg alg, const void *data, size_t len,
		    unsigned char out[MINT_HASH_MAX_BYTES]);

#endif
