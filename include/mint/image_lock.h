/* SPDX-License-Identifier: Apache-2.0 */
/*
 * apko's lock file, apko.lock.json: the model, a writer whose bytes equal
 * apko's, a strict parser, the entry apko records for one package file and
 * the check that a downloaded file is the one an entry names. docs/lock.md
 * describes the format.
 *
 * It is not the resolver (mint/apk_resolve.h decides which packages go in)
 * and not the config checksum (mint/image_config.h computes that).
 *
 * Ownership: a struct mint_lock owns every string and array it points to;
 * mint_lock_free releases them with free(), so a caller building one fills
 * it with malloc'd strings (mint_lock_package_from, mint_lock_repo_for and
 * mint_lock_key_for make entries that way).
 */
#ifndef MINT_IMAGE_LOCK_H
#define MINT_IMAGE_LOCK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mint/apk_package.h"
#include "mint/buf.h"
#include "mint/err.h"
#include "mint/hash.h"
#include "mint/span.h"

/* One gzip member of a package: "bytes=first-last" (inclusive offsets in
 * the .apk) and "sha1-<base64>" or "sha256-<base64>" of those bytes. A
 * member that is absent (the signature of an unsigned package) has an empty
 * checksum, and apko writes its range and checksum as "". */
struct mint_lock_range {
	uint64_t first, last;
	char checksum[64];
};

struct mint_lock_package {
	char *name, *url, *version, *architecture;
	struct mint_lock_range signature, control, data;
	char checksum[32]; /* "Q1<base64 SHA-1 of the control member>"; "" when absent */
};

struct mint_lock_key {
	char *name;    /* the URL without http:// or https://, or the path as given */
	char *url;     /* as given in the config */
	char *content; /* the PEM text; NULL when the lock does not carry it */
};

struct mint_lock_repo {
	char *name, *url, *architecture;
};

/* Which of apko's layouts the lock has. The current one is what apko
 * writes today. The pre-0.13 one has no build_repositories or
 * runtime_repositories, no package "checksum", no key "content" and no
 * newline at the end; the parser recognises it so that such a file writes
 * back unchanged. */
enum mint_lock_form {
	MINT_LOCK_FORM_CURRENT = 0,
	MINT_LOCK_FORM_PRE_0_13,
};

struct mint_lock {
	enum mint_lock_form form;
	/* "config": written when has_config; name omitted when NULL,
	 * checksum ("sha256-<base64>") omitted when empty. */
	char *config_name;
	char config_checksum[64];
	bool has_config;
	struct mint_lock_key *keyring;
	size_t n_keyring;
	struct mint_lock_repo *build_repositories, *runtime_repositories, *repositories;
	size_t n_build_repositories, n_runtime_repositories, n_repositories;
	/* Per arch in install order; the archs in the order they were built. */
	struct mint_lock_package *packages;
	size_t n_packages;
};

/* The lock as apko writes it: Go's encoding/json MarshalIndent with two
 * spaces (<, >, & and U+2028/9 as \u escapes, invalid UTF-8 as \ufffd),
 * then a newline. out is reset first. Fails with MINT_EINVAL naming the
 * field when a required string is NULL or a checksum is malformed. */
int mint_lock_write(const struct mint_lock *l, struct mint_buf *out, struct mint_err *err);

/* Parses lock text; name is what errors call it (syntax errors carry
 * line:column, others the field, e.g. "contents.packages[2].data.range").
 * Unknown fields, duplicate keys, a version other than "v1", malformed
 * ranges and checksums are errors. Lists may be absent or null (empty), as
 * apko accepts. On failure out is left empty (safe to free). */
int mint_lock_parse(struct mint_span json, const char *name, struct mint_lock *out,
		    struct mint_err *err);

void mint_lock_free(struct mint_lock *l);
void mint_lock_package_free(struct mint_lock_package *p);
void mint_lock_key_free(struct mint_lock_key *k);
void mint_lock_repo_free(struct mint_lock_repo *r);

/* The entry apko writes for a package already read (pkg, from these file
 * bytes): name and version from .PKGINFO, url as given, architecture arch
 * (pkg's own when arch is NULL), the three member ranges with their
 * checksums, and the Q1 identity. The members must follow each other from
 * offset 0 to the end of file, as apko's ranges assume. */
int mint_lock_package_from(const struct mint_apk_package *pkg, struct mint_span file,
			   const char *url, const char *arch, struct mint_lock_package *out,
			   struct mint_err *err);

/* The packages of one arch in lock order, as pointers into l: up to cap of
 * them into out (which may be NULL when cap is 0). Returns how many there
 * are, which may be more than cap. */
size_t mint_lock_packages_for_arch(const struct mint_lock *l, const char *arch,
				   const struct mint_lock_package **out, size_t cap);

/* Checks package bytes against an entry: the ranges follow each other from
 * offset 0 to the last byte of file, each member's checksum matches, and
 * the Q1 identity (when the entry has one) is the control member's SHA-1.
 * MINT_EINTEGRITY names the package and what differs; MINT_EFORMAT when the
 * entry itself is malformed. */
int mint_lock_verify_package(const struct mint_lock_package *e, struct mint_span file,
			     struct mint_err *err);

/* The repository entry apko writes for a repository as the config gives it
 * ("https://host/path", "./dir", "@tag https://host/path") and an arch:
 * name "<repo>/<arch>" without a leading http:// or https://, url
 * "<repo>/<arch>/APKINDEX.tar.gz", both with any "@tag " prefixes removed.
 * Like apko, the scheme is stripped before the tags are, so a tagged
 * repository keeps its scheme in the name, and the repository is used as
 * given (no trailing '/' trimmed). A tag without a URL is MINT_EFORMAT. */
int mint_lock_repo_for(const char *repo, const char *arch, struct mint_lock_repo *out,
		       struct mint_err *err);

/* The keyring entry apko writes for a key as the config gives it (a path
 * or URL) with its PEM bytes: name without http:// or https://, url as
 * given, content the bytes (which must not contain NUL). */
int mint_lock_key_for(const char *key, struct mint_span pem, struct mint_lock_key *out,
		      struct mint_err *err);

/* Decodes a member checksum, "sha1-<base64 of 20 bytes>" or
 * "sha256-<base64 of 32 bytes>". Returns 0 or MINT_EFORMAT. */
int mint_lock_checksum_decode(const char *checksum, enum mint_hash_alg *alg,
			      unsigned char digest[MINT_HASH_MAX_BYTES]);
/* Decodes a package checksum, "Q1<base64 of 20 bytes>", into the SHA-1.
 * Returns 0 or MINT_EFORMAT. */
int mint_lock_identity_decode(const char *identity, unsigned char sha1[MINT_HASH_MAX_BYTES]);

/* Orders the keyring by name, byte-wise, keeping the order of equal names,
 * as apko lists configured and discovered keys. */
void mint_lock_sort_keyring(struct mint_lock *l);

#endif
