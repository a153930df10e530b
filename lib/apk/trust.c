/* SPDX-License-Identifier: Apache-2.0 */
/* apk keyrings and RSA signature checks (see mint/apk_trust.h). */
#include "mint/apk_trust.h"

#include <dirent.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "mint/buf.h"
#include "mint/fs.h"

#include "../core/evp_md.h"

#define KEY_FILE_MAX (64 * 1024)

int mint_apk_keyring_add_pem(struct mint_apk_keyring *kr, const char *name,
			     struct mint_span pem, struct mint_err *err)
{
	if (pem.len > KEY_FILE_MAX)
		return mint_err_set(err, MINT_ELIMIT, "key %s is larger than %d bytes", name,
				    KEY_FILE_MAX);
	BIO *bio = BIO_new_mem_buf(pem.ptr, (int)pem.len);
	if (!bio)
		return mint_err_set(err, MINT_ENOMEM, "out of memory");
	EVP_PKEY *pkey = PEM_read_bio_PUBKEY(bio, NULL, NULL, NULL);
	BIO_free(bio);
	if (!pkey)
		return mint_err_set(err, MINT_EFORMAT, "key %s is not a PEM public key", name);
	if (EVP_PKEY_base_id(pkey) != EVP_PKEY_RSA) {
		EVP_PKEY_free(pkey);
		return mint_err_set(err, MINT_EUNSUPPORTED, "key %s is not an RSA key", name);
	}
	struct mint_apk_key *keys = realloc(kr->keys, (kr->n + 1) * sizeof(*keys));
	char *copy = strdup(name);
	if (!keys || !copy) {
		if (keys)
			kr->keys = keys;
		free(copy);
		EVP_PKEY_free(pkey);
		return mint_err_set(err, MINT_ENOMEM, "out of memory");
	}
	kr->keys = keys;
	kr->keys[kr->n++] = (struct mint_apk_key){ copy, pkey };
	return 0;
}

int mint_apk_keyring_add_file(struct mint_apk_keyring *kr, const char *path,
			      struct mint_err *err)
{
	struct mint_buf pem = MINT_BUF_INIT;
	int rc = mint_file_read(path, KEY_FILE_MAX, &pem, err);
	if (!rc) {
		const char *base = strrchr(path, '/');
		rc = mint_apk_keyring_add_pem(kr, base ? base + 1 : path, mint_buf_span(&pem), err);
		mint_err_set_file(err, rc ? path : NULL);
	}
	mint_buf_free(&pem);
	return rc;
}

static int name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Regular, non-hidden file names of dir, sorted. */
static int list_key_files(const char *dir, char ***names, size_t *n, struct mint_err *err)
{
	DIR *d = opendir(dir);
	if (!d) {
		mint_err_set_file(err, dir);
		return mint_err_set(err, MINT_EIO, "cannot open keyring directory");
	}
	int rc = 0;
	struct dirent *e;
	while (!rc && (e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		char path[4096];
		struct stat st;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		if (stat(path, &st) || !S_ISREG(st.st_mode))
			continue;
		char **grown = realloc(*names, (*n + 1) * sizeof(**names));
		if (!grown || !(grown[*n] = strdup(e->d_name))) {
			if (grown)
				*names = grown;
			rc = mint_err_set(err, MINT_ENOMEM, "out of memory");
			break;
		}
		*names = grown;
		(*n)++;
	}
	closedir(d);
	if (*n)
		qsort(*names, *n, sizeof(**names), name_cmp);
	return rc;
}

int mint_apk_keyring_add_dir(struct mint_apk_keyring *kr, const char *dir, struct mint_err *err)
{
	char **names = NULL;
	size_t n = 0;
	int rc = list_key_files(dir, &names, &n, err);
	for (size_t i = 0; !rc && i < n; i++) {
		char path[4096];
		snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
		rc = mint_apk_keyring_add_file(kr, path, err);
	}
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
	return rc;
}

const struct mint_apk_key *mint_apk_keyring_find(const struct mint_apk_keyring *kr,
						 struct mint_span name)
{
	if (!kr)
		return NULL;
	for (size_t i = 0; i < kr->n; i++)
		if (mint_span_eq_str(name, kr->keys[i].name))
			return &kr->keys[i];
	if (mint_span_ends_with(name, ".rsa.pub")) {
		struct mint_span bare = MINT_SPAN(name.ptr, name.len - strlen(".rsa.pub"));
		for (size_t i = 0; i < kr->n; i++)
			if (mint_span_eq_str(bare, kr->keys[i].name))
				return &kr->keys[i];
	}
	return NULL;
}

void mint_apk_keyring_free(struct mint_apk_keyring *kr)
{
	for (size_t i = 0; i < kr->n; i++) {
		free(kr->keys[i].name);
		EVP_PKEY_free(kr->keys[i].pkey);
	}
	free(kr->keys);
	kr->keys = NULL;
	kr->n = 0;
}

static const struct {
	const char *prefix;
	enum mint_hash_alg alg;
	bool dsa;
} sig_kinds[] = {
	{ ".SIGN.RSA512.", MINT_HASH_SHA512, false },
	{ ".SIGN.RSA256.", MINT_HASH_SHA256, false },
	{ ".SIGN.RSA.", MINT_HASH_SHA1, false },
	{ ".SIGN.DSA.", MINT_HASH_SHA1, true },
};

int mint_apk_signature_init(struct mint_apk_signature *s, struct mint_span entry_name,
			    struct mint_span sig, struct mint_err *err)
{
	memset(s, 0, sizeof(*s));
	for (size_t i = 0; i < sizeof(sig_kinds) / sizeof(sig_kinds[0]); i++) {
		if (!mint_span_starts_with(entry_name, sig_kinds[i].prefix))
			continue;
		struct mint_span key = mint_span_skip(entry_name, strlen(sig_kinds[i].prefix));
		if (!key.len)
			break;
		s->entry_name = mint_span_dup(entry_name);
		s->key_name = mint_span_dup(key);
		s->sig = malloc(sig.len ? sig.len : 1);
		if (!s->entry_name || !s->key_name || !s->sig) {
			mint_apk_signature_free(s);
			return mint_err_set(err, MINT_ENOMEM, "out of memory");
		}
		if (sig.len)
			memcpy(s->sig, sig.ptr, sig.len);
		s->sig_len = sig.len;
		s->alg = sig_kinds[i].alg;
		s->dsa = sig_kinds[i].dsa;
		return 0;
	}
	return mint_err_set(err, MINT_EFORMAT, "'%.*s' is not a signature entry name",
			    (int)(entry_name.len > 200 ? 200 : entry_name.len), entry_name.ptr);
}

void mint_apk_signature_free(struct mint_apk_signature *s)
{
	free(s->entry_name);
	free(s->key_name);
	free(s->sig);
	memset(s, 0, sizeof(*s));
}

const char *mint_apk_sig_status_name(enum mint_apk_sig_status st)
{
	switch (st) {
	case MINT_APK_SIG_UNCHECKED: return "unchecked";
	case MINT_APK_SIG_UNKNOWN_KEY: return "unknown key";
	case MINT_APK_SIG_VALID: return "valid";
	case MINT_APK_SIG_INVALID: return "invalid";
	case MINT_APK_SIG_UNSUPPORTED: return "unsupported (DSA)";
	}
	return "?";
}

int mint_apk_key_verify(const struct mint_apk_key *key, enum mint_hash_alg alg,
			struct mint_span signed_bytes, struct mint_span sig, struct mint_err *err)
{
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	if (!ctx)
		return mint_err_set(err, MINT_ENOMEM, "out of memory");
	int ok = EVP_DigestVerifyInit(ctx, NULL, mint_evp_md(alg), NULL, key->pkey) == 1 &&
		 EVP_DigestVerify(ctx, (const unsigned char *)sig.ptr, sig.len,
				  (const unsigned char *)signed_bytes.ptr, signed_bytes.len) == 1;
	EVP_MD_CTX_free(ctx);
	if (!ok)
		return mint_err_set(err, MINT_ESIGNATURE, "%s signature by key %s does not verify",
				    mint_hash_name(alg), key->name);
	return 0;
}

int mint_apk_signatures_verify(struct mint_apk_signature *sigs, size_t n,
			       const struct mint_apk_keyring *kr, struct mint_span signed_bytes,
			       struct mint_err *err)
{
	const struct mint_apk_signature *decider = NULL;
	for (size_t i = 0; i < n; i++) {
		struct mint_apk_signature *s = &sigs[i];
		const struct mint_apk_key *key = mint_apk_keyring_find(kr, mint_span_str(s->key_name));
		if (!key) {
			s->status = MINT_APK_SIG_UNKNOWN_KEY;
			continue;
		}
		if (s->dsa) {
			s->status = MINT_APK_SIG_UNSUPPORTED;
			continue;
		}
		int rc = mint_apk_key_verify(key, s->alg, signed_bytes,
					     MINT_SPAN(s->sig, s->sig_len), NULL);
		s->status = rc ? MINT_APK_SIG_INVALID : MINT_APK_SIG_VALID;
		if (!decider)
			decider = s;
	}
	if (decider && decider->status == MINT_APK_SIG_VALID)
		return 0;
	if (decider)
		return mint_err_set(err, MINT_ESIGNATURE, "signature %s does not verify",
				    decider->entry_name);
	if (!n)
		return mint_err_set(err, MINT_EUNTRUSTED, "not signed");
	return mint_err_set(err, MINT_EUNTRUSTED, "no signature by a trusted key (signed by %s%s)",
			    sigs[0].key_name, n > 1 ? " and others" : "");
}
