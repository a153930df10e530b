/* SPDX-License-Identifier: Apache-2.0 */
/*
 * From repositories and constraints to exact packages: load each
 * repository's index for every architecture (through the verifying cache),
 * solve the same world on each architecture with apk-tools' semantics, and
 * keep, per architecture, the packages in install order with the record,
 * the URL to fetch and the reason each one is in. This is the question the
 * image builder and the package builder both start from.
 */
#ifndef MINT_APK_RESOLVE_H
#define MINT_APK_RESOLVE_H

#include <stddef.h>

#include "mint/apk_cache.h"
#include "mint/apk_dep.h"
#include "mint/apk_repo.h"
#include "mint/apk_solver.h"
#include "mint/apk_trust.h"
#include "mint/err.h"

struct mint_apk_resolve_opts {
	const struct mint_apk_repo *repos; /* in priority order */
	size_t n_repos;
	const char *const *archs;          /* apk spellings: "x86_64", "aarch64" */
	size_t n_archs;
	struct mint_apk_cache *cache;
	const struct mint_apk_keyring *keyring;
	unsigned repo_flags;               /* MINT_APK_REPO_* (ALLOW_UNTRUSTED) */
};

struct mint_apk_resolved {
	const struct mint_apk_repo_pkg *pkg; /* record, repository and URL */
	const char *reason;                  /* "world: a", "dependency of b-2: so:libc..." */
};

struct mint_apk_arch_resolution {
	const char *arch;
	struct mint_apk_repo_set set;
	struct mint_apk_resolved *pkgs;      /* install order */
	size_t n;
	/* what the records above live in */
	struct mint_apk_pkg *records;
	struct mint_apk_db *db;
	struct mint_apk_solution *solution;
};

struct mint_apk_resolution {
	struct mint_apk_arch_resolution *archs; /* in the order asked */
	size_t n_archs;
	/* When the world cannot be satisfied: apk's full explanation (every
	 * name in trouble, which constraints break it, who asked for them);
	 * kept after the failure for the caller to show, freed with the rest. */
	char *explanation;
};

/* An unsatisfiable world is MINT_ENOTFOUND with the first problem in the
 * message and the whole explanation in out->explanation (free out with
 * mint_apk_resolution_free even then); a
 * package named in the world that resolves to different versions on
 * different architectures is refused too, as apko requires. */
int mint_apk_resolve(const struct mint_apk_resolve_opts *opts, const struct mint_apk_dep *world,
		     size_t n_world, struct mint_apk_resolution *out, struct mint_err *err);
void mint_apk_resolution_free(struct mint_apk_resolution *r);

#endif
