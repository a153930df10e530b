/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The apk dependency solver, with apk-tools' semantics: given repositories,
 * the installed packages and a world (the dependencies asked for), choose
 * one package per needed name, order them for installation and compare the
 * result with what is installed.
 *
 * Two steps, so that a large index is loaded once and solved many times:
 *
 *  1. A package database (struct mint_apk_db) collects package records
 *     (struct mint_apk_pkg, as the APKINDEX and installed-database readers
 *     fill them) from the installed set, from repositories in priority
 *     order (the first added wins ties, like the order of
 *     /etc/apk/repositories) and from local files. The database does not
 *     copy the records: they must outlive it. Records with the same C:
 *     identity (compared as apk does, on the 20 bytes it decodes to) are
 *     one package, described by the first of them; an installed package
 *     is matched with its repository copy that way. Names are interned in
 *     a hash table; provides and install_if are read when a record is
 *     added, depends only when the solver first looks at the package.
 *     Exact ties are settled by package name, version and then the order
 *     packages were added, so the order of records inside an index does
 *     not change the result.
 *
 *  2. mint_apk_solve() runs apk-tools' solver over a world and returns a
 *     struct mint_apk_solution: every package of the result in install
 *     order (dependencies before dependents; a cycle is broken where apk
 *     breaks it), each with the reason it is there, and the changes
 *     against the installed set. When the world cannot be satisfied, the
 *     solution still says what apk would have picked and carries apk's
 *     explanation text ("ERROR: unable to select packages:" ...).
 *
 * Semantics covered: version constraints and "~" fuzzy matching, "!"
 * conflicts, provides (a versioned provide owns its name; unversioned
 * names are virtual and only auto-selected through provider_priority),
 * so:/cmd:/pc: names (plain names to the solver), install_if, repository
 * tags and pinning ("name@tag", inherited by dependencies, installed
 * packages remembering their tag), preferring installed packages, the
 * upgrade/latest/available/reinstall modes, and records without A:
 * matching any architecture. As in apk, a package of installed size 0 (a
 * meta package) passes tag pinning. replaces is not the solver's
 * business; it stays on the records for the file-conflict check.
 *
 * A database is not thread-safe, and one solve at a time may run on it.
 * Solving never modifies the records. Every limit (names, dependency
 * depth, steps) is bounded, so any input terminates.
 */
#ifndef MINT_APK_SOLVER_H
#define MINT_APK_SOLVER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mint/apk_dep.h"
#include "mint/apk_pkg.h"
#include "mint/buf.h"
#include "mint/err.h"

#define MINT_APK_MAX_REPOS 32 /* repositories in one database */
#define MINT_APK_MAX_TAGS 32  /* repository tags, the default one included */

struct mint_apk_db;

/* --- building the package database ------------------------------------ */

/* archs: the architectures the target accepts (the first is the primary
 * one); "noarch" and records without A: are always accepted. A record of
 * another architecture stays known but cannot be installed. */
int mint_apk_db_new(const char *const *archs, size_t n_archs, struct mint_apk_db **out,
		    struct mint_err *err);
void mint_apk_db_free(struct mint_apk_db *db);

/* Registers a repository tag ("testing" or "@testing") and returns its
 * index (>= 1; 0 is the default, untagged set), or a negative MINT_E*
 * code. Tags are also registered as repositories, installed records (s:)
 * and world dependencies name them; calling this first only fixes their
 * order, which decides which tag a package is reported under when several
 * would do (apk reads the world file before anything else). */
int mint_apk_db_tag(struct mint_apk_db *db, const char *tag, struct mint_err *err);

/* An installed package; its s: field (repo_tag) names the tag it was
 * installed from. Add the installed set before the repositories, as apk
 * reads it first. */
int mint_apk_db_add_installed(struct mint_apk_db *db, const struct mint_apk_pkg *pkg,
			      struct mint_err *err);

enum mint_apk_repo_flag {
	/* The index is known but its packages cannot be fetched (apk
	 * --no-network with a remote repository): only installed or cached
	 * copies of them can be selected. */
	MINT_APK_REPO_NO_NETWORK = 1 << 0,
};

struct mint_apk_repo_opts {
	const char *const *tags; /* "testing" or "@testing"; none: untagged */
	size_t n_tags;           /* several when one URL is listed under several tags */
	unsigned flags;          /* MINT_APK_REPO_* */
};

/* Adds a repository (the next lower priority) holding pkgs[0..n) (pkgs
 * may be NULL when n is 0); opts may be NULL. Returns its index (>= 0) or
 * a negative MINT_E* code. */
int mint_apk_db_add_repo(struct mint_apk_db *db, const struct mint_apk_pkg *pkgs, size_t n,
			 const struct mint_apk_repo_opts *opts, struct mint_err *err);

enum mint_apk_local_kind {
	/* A package file at hand, or a virtual meta package (apk add -t):
	 * selectable and counted as available without any repository. */
	MINT_APK_LOCAL_FILE,
	/* Listed in the package cache's own index (apk's cache "installed"
	 * file on a tmpfs root): selectable, in no repository. */
	MINT_APK_LOCAL_CACHED,
};

int mint_apk_db_add_local(struct mint_apk_db *db, const struct mint_apk_pkg *pkg,
			  enum mint_apk_local_kind kind, struct mint_err *err);

/* Findings of mint_apk_db_check, as apk-tools warns about them when it
 * opens its database. */
enum mint_apk_db_warning {
	/* A record carries fields this implementation does not know. */
	MINT_APK_DB_NEWER_FIELDS = 1 << 0,
	/* A depends/provides/install_if list does not parse. */
	MINT_APK_DB_BROKEN_DEPS = 1 << 1,
	/* ... and because of that (or of an unknown field) some packages
	 * cannot be installed. */
	MINT_APK_DB_NOT_INSTALLABLE = 1 << 2,
};

/* Reads every record's lists (which solving does only for what it
 * reaches) and returns the MINT_APK_DB_* findings. */
unsigned mint_apk_db_check(struct mint_apk_db *db);

/* --- solving ------------------------------------------------------------ */

enum mint_apk_solve_flag {
	MINT_APK_SOLVE_UPGRADE = 1 << 0,   /* prefer newer over installed */
	MINT_APK_SOLVE_LATEST = 1 << 1,    /* the newest version or an error */
	MINT_APK_SOLVE_AVAILABLE = 1 << 2, /* prefer what a repository still has */
	MINT_APK_SOLVE_REINSTALL = 1 << 3, /* reinstall even when unchanged */
	MINT_APK_SOLVE_REMOVE = 1 << 4,    /* the name is being removed: do not
					    * favour its installed package */
	MINT_APK_SOLVE_KEEP = 1 << 5,      /* keep what is installed (upgrade --ignore) */
	MINT_APK_SOLVE_IGNORE_CONFLICT = 1 << 6, /* whole world only: ignore "!" */
};

/* Flags for the providers of one name, as apk's add -u/-l, fix and
 * upgrade NAME set them. Listing a name also makes the solver decide it
 * before the names nobody listed, as apk does for names on its command
 * line, so pass names the caller added to the world even with no flags. */
struct mint_apk_name_flags {
	const char *name;
	unsigned flags;     /* MINT_APK_SOLVE_* for the name's providers */
	unsigned inherited; /* ... and for everything they pull in */
};

struct mint_apk_solve_opts {
	unsigned flags; /* MINT_APK_SOLVE_*, passed on from every world dependency */
	const struct mint_apk_name_flags *names;
	size_t n_names;
	/* Drop world dependencies that cannot be met and solve again (apk
	 * --force-broken-world). */
	bool force_broken_world;
	/* Keep installed packages unless their name is flagged for upgrade
	 * (apk's pre-upgrade pass). */
	bool prefer_installed;
	/* Names the caller removed from the world (apk del; leave out names
	 * that were only "!name" there): the solution explains those that
	 * stay installed anyway (solution->kept). */
	const char *const *removing;
	size_t n_removing;
	/* Bound on solver steps; 0 picks one from the database size. */
	uint64_t max_steps;
};

enum mint_apk_change_kind {
	MINT_APK_CHANGE_KEEP,      /* installed and stays as it is */
	MINT_APK_CHANGE_INSTALL,
	MINT_APK_CHANGE_UPGRADE,
	MINT_APK_CHANGE_DOWNGRADE,
	MINT_APK_CHANGE_REPLACE,   /* another package of the same version */
	MINT_APK_CHANGE_REINSTALL,
	MINT_APK_CHANGE_REPIN,     /* same package, another repository tag */
	MINT_APK_CHANGE_REMOVE,
};

struct mint_apk_change {
	enum mint_apk_change_kind kind;
	const char *name;                   /* the package's name */
	const struct mint_apk_pkg *old_pkg; /* installed record, or NULL */
	const struct mint_apk_pkg *new_pkg; /* selected record (the repository's
					     * when there is one), or NULL */
	const char *old_tag, *new_tag;      /* "" or "@tag" */
	int repo;            /* repository to fetch new_pkg from, -1 if none */
	const char *reason;  /* why new_pkg is in: "world: a", "dependency of
			      * b-2: so:libfoo.so.1", "install_if: app foo";
			      * NULL for removals */
	bool no_repository;  /* no repository provides this name any more */
	bool available;      /* new_pkg can be fetched or is at hand */
};

struct mint_apk_solution {
	/* Every selected package in install order, with removals where apk
	 * places them (a package is removed before what replaces it). */
	struct mint_apk_change *changes;
	size_t n_changes;
	unsigned errors;     /* 0: the world is satisfied */
	char *explanation;   /* when errors: apk-tools' error text, NULL otherwise */
	char *kept;          /* for opts->removing: apk's "World updated, but the
			      * following packages are not removed due to:"
			      * text, or NULL when all of them go */
};

/* Solves world over db. Returns 0 when a solution was computed, even an
 * unsatisfiable one (check ->errors); a negative MINT_E* code (the input
 * is too large, a step bound was hit, out of memory) leaves *out NULL.
 * The solution refers to db and its records: free it first. */
int mint_apk_solve(struct mint_apk_db *db, const struct mint_apk_dep *world, size_t n_world,
		   const struct mint_apk_solve_opts *opts, struct mint_apk_solution **out,
		   struct mint_err *err);
void mint_apk_solution_free(struct mint_apk_solution *s);

/* Packages installed and the sum of their I: sizes once the changes are
 * made. */
void mint_apk_solution_totals(const struct mint_apk_solution *s, size_t *packages,
			      uint64_t *installed_bytes);

/* The changes as apk prints them: "(1/2) Installing b (2)", "Upgrading a
 * (1 -> 2)", "Purging c (3)", "Updating pinning a@t (3)" ... one line each,
 * unchanged packages left out. With verbose, first the lists apk -v shows
 * (packages no longer in any repository, removed, downgraded). */
int mint_apk_solution_format_changes(const struct mint_apk_solution *s, bool verbose,
				     struct mint_buf *out);

/* apk's human-readable size: bytes below 10000 as "N B", then KiB, then
 * MiB and up with one decimal ("2 B", "9999 B", "10 KiB", "12.3 MiB"). */
int mint_apk_format_size(uint64_t bytes, struct mint_buf *out);

/* --- several architectures --------------------------------------------- */

struct mint_apk_arch_db {
	const char *arch;
	struct mint_apk_db *db;
};

/* Solves the same world on every architecture (as apko locks an image).
 * Fails when an architecture cannot be solved (err names it and carries
 * the first lines of apk's explanation), or with MINT_ENOTFOUND when a
 * package named in the world resolves to different versions on different
 * architectures: "unable to lock packages to a consistent version: a is
 * 1.0-r0 on x86_64 but 1.1-r0 on aarch64". On success out[i] is the
 * solution for archs[i]. */
/* The check mint_apk_solve_archs makes, for callers that solved each
 * architecture themselves: every package named in the world has one
 * version across out[0..n_archs). */
int mint_apk_solutions_consistent(const struct mint_apk_arch_db *archs, size_t n_archs,
				  const struct mint_apk_dep *world, size_t n_world,
				  struct mint_apk_solution *const *out, struct mint_err *err);

int mint_apk_solve_archs(const struct mint_apk_arch_db *archs, size_t n_archs,
			 const struct mint_apk_dep *world, size_t n_world,
			 const struct mint_apk_solve_opts *opts,
			 struct mint_apk_solution **out, struct mint_err *err);

#endif
