/* SPDX-License-Identifier: Apache-2.0 */
/*
 * apk repositories: the strings apko configs and /etc/apk/repositories hold
 * (`https://…`, `http://…`, `file://…`, a local directory, each optionally
 * tagged as `@tag url`), where their files live (`<repo>/<arch>/APKINDEX.tar.gz`
 * and `<repo>/<arch>/<name>-<version>.apk`), and loading the indexes of a
 * list of repositories for one architecture into one list of the packages
 * they offer, each knowing its repository and tag.
 *
 * Not here: choosing packages (the solver), downloading packages
 * (mint/apk_cache.h), the keyring (mint/apk_trust.h).
 */
#ifndef MINT_APK_REPO_H
#define MINT_APK_REPO_H

#include <stdbool.h>
#include <stddef.h>

#include "mint/apk_pkg.h"
#include "mint/apk_package.h"
#include "mint/apk_trust.h"
#include "mint/arena.h"
#include "mint/buf.h"
#include "mint/err.h"
#include "mint/span.h"

struct mint_apk_cache;

struct mint_apk_repo {
	char *tag;   /* "local" for "@local ./packages"; NULL when untagged */
	char *spec;  /* the location as written, without the tag and trailing '/' */
	char *url;   /* base URL: spec for http(s):// and file://, file://<absolute,
		      * percent-encoded path> for a directory */
	bool local;  /* file:// or a directory: read, never cached, works offline */
};

/* Parses one repository string. Leading and trailing blanks are dropped, as
 * are trailing '/'. A relative directory is made absolute against the current
 * directory. MINT_EINVAL for an empty string, a tag without a location or a
 * location with blanks in it; MINT_EUNSUPPORTED for another scheme
 * ("ftp://"). */
int mint_apk_repo_parse(struct mint_span text, struct mint_apk_repo *out, struct mint_err *err);
void mint_apk_repo_free(struct mint_apk_repo *r);
/* A deep copy. 0 or MINT_ENOMEM. */
int mint_apk_repo_copy(const struct mint_apk_repo *r, struct mint_apk_repo *out);

/* "<url>/<arch>/APKINDEX.tar.gz" into out (replacing its contents). arch must
 * be a non-empty name without '/' ("." and ".." are refused); characters
 * that may not stand in a URL path segment are percent-encoded. */
int mint_apk_repo_index_url(const struct mint_apk_repo *r, const char *arch,
			    struct mint_buf *out, struct mint_err *err);
/* "<url>/<arch>/<name>-<version>.apk", with the same rules for arch, name
 * and version. */
int mint_apk_repo_package_url(const struct mint_apk_repo *r, const char *arch, const char *name,
			      const char *version, struct mint_buf *out, struct mint_err *err);

/* Whether a package of arch pkg_arch (the index's A:, NULL when absent)
 * installs on arch: an absent A:, "noarch" and an equal name do. */
bool mint_apk_repo_arch_matches(const char *pkg_arch, const char *arch);

/* One package a repository offers: its index record and where it is. */
struct mint_apk_repo_pkg {
	struct mint_apk_pkg pkg;          /* the index record */
	const struct mint_apk_repo *repo; /* the repository; repo->tag is the tag */
	char *url;                        /* the .apk */
};

/* A repository whose index was loaded. */
struct mint_apk_loaded_repo {
	struct mint_apk_repo repo;
	char *index_url;
	enum mint_apk_trust trust;  /* VERIFIED, or what allow-untrusted let pass */
	char *description;          /* the index's DESCRIPTION, or NULL */
	struct mint_arena arena;    /* backs this repository's records (arena_owned) */
};

/* What a list of repositories offers for one architecture. */
struct mint_apk_repo_set {
	char *arch;
	struct mint_apk_loaded_repo *repos; /* in the order given */
	size_t n_repos;
	struct mint_apk_repo_pkg *pkgs;     /* by repository, then in index order */
	size_t n;
};

enum {
	/* Accept unsigned indexes and indexes signed by keys not in the
	 * keyring. An index whose deciding signature is invalid is still
	 * refused. */
	MINT_APK_REPO_ALLOW_UNTRUSTED = 1 << 0,
};

/*
 * Loads the index of each repository for arch (remote ones through the
 * cache, which honours its offline mode; all downloads run in parallel),
 * verifies each against kr unless flags allow untrusted indexes, and keeps
 * the records whose A: matches arch. set is filled (zeroed first; empty on
 * failure). The first failing repository decides the error.
 */
int mint_apk_repo_set_load(struct mint_apk_repo_set *set, const struct mint_apk_repo *repos,
			   size_t n, const char *arch, struct mint_apk_cache *cache,
			   const struct mint_apk_keyring *kr, unsigned flags, struct mint_err *err);
void mint_apk_repo_set_free(struct mint_apk_repo_set *set);

#endif
