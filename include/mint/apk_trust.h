/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Keys and signatures as apk uses them. A keyring is a set of PEM public keys
 * known by their file names; a signature entry `.SIGN.<ALG>.<keyname>` names
 * the key that made it. RSA PKCS#1 v1.5 over SHA-1 (RSA), SHA-256 (RSA256)
 * or SHA-512 (RSA512); legacy DSA is recognised and refused.
 *
 * The verdict over several signatures follows apk-tools: the first signature
 * whose key name is in the keyring decides; signatures by unknown keys are
 * passed over.
 */
#ifndef MINT_APK_TRUST_H
#define MINT_APK_TRUST_H

#include <stdbool.h>
#include <stddef.h>

#include "mint/err.h"
#include "mint/hash.h"
#include "mint/span.h"

struct mint_apk_key {
	char *name;  /* file name, e.g. "alpine-devel@lists.alpinelinux.org-616ae350.rsa.pub" */
	void *pkey;  /* EVP_PKEY */
};

struct mint_apk_keyring {
	struct mint_apk_key *keys;
	size_t n;
};

/* A PEM public key ("PUBLIC KEY" or "RSA PUBLIC KEY") under the given name. */
int mint_apk_keyring_add_pem(struct mint_apk_keyring *kr, const char *name,
			     struct mint_span pem, struct mint_err *err);
/* A key file, named by its basename. */
int mint_apk_keyring_add_file(struct mint_apk_keyring *kr, const char *path,
			      struct mint_err *err);
/* Every non-hidden regular file of dir, in name order. */
int mint_apk_keyring_add_dir(struct mint_apk_keyring *kr, const char *dir,
			     struct mint_err *err);
/* The key called name; as apko does, "x.rsa.pub" also finds a key file named "x". */
const struct mint_apk_key *mint_apk_keyring_find(const struct mint_apk_keyring *kr,
						 struct mint_span name);
void mint_apk_keyring_free(struct mint_apk_keyring *kr);

enum mint_apk_sig_status {
	MINT_APK_SIG_UNCHECKED,
	MINT_APK_SIG_UNKNOWN_KEY,  /* key name not in the keyring */
	MINT_APK_SIG_VALID,
	MINT_APK_SIG_INVALID,      /* verification failed */
	MINT_APK_SIG_UNSUPPORTED,  /* DSA */
};

struct mint_apk_signature {
	char *entry_name;          /* ".SIGN.RSA256.melange.rsa.pub" */
	char *key_name;            /* "melange.rsa.pub" */
	enum mint_hash_alg alg;
	bool dsa;
	unsigned char *sig;
	size_t sig_len;
	enum mint_apk_sig_status status;
};

/* Parses an entry name ".SIGN.<ALG>.<keyname>" and takes a copy of sig.
 * MINT_EFORMAT when the name is not a signature name. */
int mint_apk_signature_init(struct mint_apk_signature *s, struct mint_span entry_name,
			    struct mint_span sig, struct mint_err *err);
void mint_apk_signature_free(struct mint_apk_signature *s);
const char *mint_apk_sig_status_name(enum mint_apk_sig_status st);

/* RSA PKCS#1 v1.5 verification of signed_bytes with key. 0, or MINT_ESIGNATURE. */
int mint_apk_key_verify(const struct mint_apk_key *key, enum mint_hash_alg alg,
			struct mint_span signed_bytes, struct mint_span sig, struct mint_err *err);

/* Checks each signature against the keyring (setting its status) and gives
 * the verdict: 0 when the first signature by a known key is valid;
 * MINT_ESIGNATURE when it is invalid; MINT_EUNTRUSTED when no signature is
 * by a known key (or there is none). */
int mint_apk_signatures_verify(struct mint_apk_signature *sigs, size_t n,
			       const struct mint_apk_keyring *kr, struct mint_span signed_bytes,
			       struct mint_err *err);

#endif
