/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The download cache for repository indexes and packages.
 *
 * Layout under the cache root (default $XDG_CACHE_HOME/mint, else
 * ~/.cache/mint):
 *   apk/indexes/<sha256 hex of the index URL>.tar.gz   the index as served
 *   apk/indexes/<sha256 hex of the index URL>.etag     its ETag, when it had one
 *   apk/packages/<sha1 hex of the identity>.apk        a package, by its Q1 identity
 *
 * Nothing in the cache is trusted: an index is verified again (signature,
 * format) every time it is read, a package is checked against the record of
 * the signed index it was chosen from (identity = SHA-1 of the control
 * member, datahash, size). An entry that fails is deleted and fetched again;
 * it never reaches the caller. Every write is a temporary file renamed into
 * place, so concurrent runs and interruptions leave whole files.
 *
 * A cached index is revalidated with If-None-Match; a 304 reuses it.
 * Offline, only the cache is used and a missing entry is an error naming
 * what is missing. Local repositories (file://, directories) are read
 * directly every time and never cached, so they also work offline; their
 * packages are cached like any other.
 */
#ifndef MINT_APK_CACHE_H
#define MINT_APK_CACHE_H

#include <stdbool.h>
#include <stddef.h>

#include "mint/apk_index_file.h"
#include "mint/apk_package.h"
#include "mint/apk_repo.h"
#include "mint/apk_trust.h"
#include "mint/buf.h"
#include "mint/err.h"
#include "mint/http.h"

/* What the cache did, for progress output and tests. */
struct mint_apk_cache_stats {
	unsigned indexes_downloaded;   /* 200 answers that were verified and stored */
	unsigned indexes_not_modified; /* 304 answers: the cached copy was reused */
	unsigned indexes_offline;      /* cached copies used without asking */
	unsigned indexes_local;        /* read from file:// or a directory */
	unsigned packages_cached;      /* verified cache hits */
	unsigned packages_downloaded;  /* verified and stored */
	unsigned entries_discarded;    /* cache entries that failed verification */
};

struct mint_apk_cache {
	char *root;
	bool offline;
	struct mint_http_options http;  /* mint_http_options_default at open */
	struct mint_apk_limits limits;  /* mint_apk_limits_default at open */
	struct mint_apk_cache_stats stats;
};

/* $XDG_CACHE_HOME/mint when that is an absolute path, else $HOME/.cache/mint.
 * MINT_EINVAL when neither is set. */
int mint_cache_default_dir(struct mint_buf *out, struct mint_err *err);

/* Opens (creating the directories of) the cache at root, or at the default
 * place when root is NULL. */
int mint_apk_cache_open(struct mint_apk_cache *c, const char *root, struct mint_err *err);
void mint_apk_cache_close(struct mint_apk_cache *c);

/* Where the index of url is kept (the ETag is beside it, ".etag" for
 * ".tar.gz"). 0 or MINT_ENOMEM. */
int mint_apk_cache_index_path(const struct mint_apk_cache *c, const char *url,
			      struct mint_buf *out, struct mint_err *err);
/* Where the package with identity "Q1<base64 SHA-1>" is kept. MINT_EFORMAT
 * when identity is not a Q1 identity. */
int mint_apk_cache_package_path(const struct mint_apk_cache *c, const char *identity,
				struct mint_buf *out, struct mint_err *err);

/*
 * Gets and verifies the index at each of urls[0..n) into out[i] (free each
 * with mint_apk_index_file_free; all are zeroed on failure). Remote indexes
 * come from the cache (revalidated unless offline) or a download, which is
 * stored. flags: MINT_APK_REPO_ALLOW_UNTRUSTED. Downloads run in parallel.
 */
int mint_apk_cache_get_indexes(struct mint_apk_cache *c, const char *const *urls, size_t n,
			       const struct mint_apk_keyring *kr, unsigned flags,
			       struct mint_apk_index_file *out, struct mint_err *err);

/*
 * Makes sure each package is in the cache: a cache hit is verified, the
 * others are downloaded (in parallel, at most c->http.max_parallel at once,
 * no larger than their S:) from pkgs[i]->url, verified against their index
 * record (S: size unless 0, C: identity, datahash; a legacy package without datahash
 * must carry a signature kr trusts) and stored. With out_dir, each package
 * is also written there as "<name>-<version>.apk" (atomically). Offline, a
 * package missing from the cache is MINT_ENOTFOUND naming it and its URL.
 * Packages that verified are kept even when another one fails.
 */
int mint_apk_cache_fetch(struct mint_apk_cache *c, const struct mint_apk_repo_pkg *const *pkgs,
			 size_t n, const struct mint_apk_keyring *kr, const char *out_dir,
			 struct mint_err *err);

/* Checks package bytes against an index record: S:, C: and the reader's own
 * checks (datahash, format); kr as for mint_apk_cache_fetch. */
int mint_apk_cache_verify_package(struct mint_span file, const struct mint_apk_pkg *record,
				  const struct mint_apk_keyring *kr,
				  const struct mint_apk_limits *limits, struct mint_err *err);

/*
 * Reads the cached file of rp once, parses it into out (free with
 * mint_apk_package_free) and checks it against rp's record as
 * mint_apk_cache_verify_package does. path_out (may be NULL) gets the
 * file's path, to free(). MINT_ENOTFOUND when the cache has no such file;
 * an entry that fails the checks is deleted (the caller fetches it again
 * with mint_apk_cache_fetch). Only reads c: safe to call from several
 * threads at once, and c->stats is left to the caller.
 */
int mint_apk_cache_read_package(struct mint_apk_cache *c, const struct mint_apk_repo_pkg *rp,
				const struct mint_apk_keyring *kr, struct mint_apk_package *out,
				char **path_out, struct mint_err *err);
/* The same, also copying the data member's uncompressed tar stream to sink
 * while it is read (see mint_apk_data_sink): one inflate serves both the
 * checks and the caller. What the sink got is verified only when this
 * returns 0. A failing sink fails the read but leaves the entry in place. */
int mint_apk_cache_read_package_ex(struct mint_apk_cache *c, const struct mint_apk_repo_pkg *rp,
				   const struct mint_apk_keyring *kr,
				   const struct mint_apk_data_sink *sink,
				   struct mint_apk_package *out, char **path_out,
				   struct mint_err *err);

#endif
