/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Private structures shared by the solver's files: the package database
 * (pkgdb.c), the solver proper (solver.c), the changeset (changeset.c) and
 * the explanation of failures (solver_explain.c). Not a public interface.
 *
 * The database owns interned names and packages; solving state lives in
 * per-solve records that a name or package points at through a generation
 * number, so a solve touches (and allocates for) only what it reaches and
 * leaves the database clean for the next one.
 */
#ifndef MINT_APK_SOLVER_INTERNAL_H
#define MINT_APK_SOLVER_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mint/apk_solver.h"
#include "mint/hashmap.h"

/* --- bump allocation --------------------------------------------------- */

struct sv_arena_chunk;

struct sv_arena {
	struct sv_arena_chunk *head;
};

void *sv_arena_alloc(struct sv_arena *a, size_t size);
char *sv_arena_strndup(struct sv_arena *a, const char *s, size_t len);
void sv_arena_free(struct sv_arena *a);

/* Grows a malloc'd array of elem-sized items to hold n + 1; 0 or MINT_ENOMEM. */
int sv_grow(void **items, uint32_t n, uint32_t *cap, size_t elem);

/* --- the database ------------------------------------------------------ */

struct sv_name;
struct sv_pkg;
struct sv_nstate;
struct sv_pstate;

struct sv_dep {
	struct sv_name *name;
	const char *version;   /* NULL when the operator is "any" */
	unsigned op;           /* MINT_APK_DEP_* bits */
	uint8_t tag;           /* repository tag index (world dependencies) */
	bool broken;           /* the version does not parse */
};

struct sv_provider {
	struct sv_pkg *pkg;
	const char *version;   /* NULL: an unversioned (virtual) provide */
};

struct sv_name {
	const char *str;
	uint32_t len;
	uint32_t id;
	struct sv_provider *prov;   /* packages of this name and those providing it */
	uint32_t n_prov, cap_prov;  /* cap 0: prov is &one (most names have one) */
	struct sv_provider one;
	struct sv_name **riif;      /* names whose packages have install_if on this one */
	uint32_t n_riif, cap_riif;
	bool in_repo;               /* some repository package provides it */
	bool prov_unsorted;         /* on db->unsorted, providers not in order */
	uint32_t gen;               /* solve generation of ss */
	struct sv_nstate *ss;
};

struct sv_pkg {
	uint32_t id;
	struct sv_name *name;
	const char *version;
	const struct mint_apk_pkg *rec;           /* first record: decides the metadata */
	const struct mint_apk_pkg *rec_repo;      /* first repository record */
	const struct mint_apk_pkg *rec_installed; /* installed record */
	struct sv_dep *deps, *provides, *iif;
	uint32_t n_deps, n_provides, n_iif;
	uint64_t installed_size;
	uint64_t provider_priority;
	uint32_t repos;          /* bit per repository holding it */
	uint8_t installed_tag;   /* tag it was installed from */
	bool installed, local_file, cached, uninstallable, deps_read;
	uint32_t gen;
	struct sv_pstate *ss;
};

struct sv_tag {
	char *text;              /* "" for the default tag, else "@name" */
	uint32_t allowed_repos;
};

struct mint_apk_db {
	struct sv_arena arena;
	struct mint_hashmap names;     /* text -> struct sv_name */
	struct mint_hashmap ids;       /* C: identity -> struct sv_pkg */
	struct sv_name **name_list;
	uint32_t n_names, cap_names;
	struct sv_pkg **pkg_list;
	uint32_t n_pkgs, cap_pkgs;
	struct sv_name **unsorted;     /* names whose providers need sorting */
	uint32_t n_unsorted, cap_unsorted;
	struct sv_pkg **installed;     /* in the order they were added */
	uint32_t n_installed, cap_installed;
	struct sv_tag tags[MINT_APK_MAX_TAGS];
	uint32_t n_tags;
	uint32_t repo_tags[MINT_APK_MAX_REPOS];
	uint32_t n_repos;
	uint32_t available_repos;
	char **archs;
	size_t n_archs;
	uint32_t gen;
	unsigned warnings;             /* MINT_APK_DB_* seen while reading lists */
};

/* Interns a name (creating it); NULL when out of memory or too many. */
struct sv_name *sv_db_name(struct mint_apk_db *db, struct mint_span text);
/* An existing name or NULL. */
struct sv_name *sv_db_find_name(const struct mint_apk_db *db, struct mint_span text);
/* The index of tag ("x", "@x" or "" for the default), registering it;
 * negative MINT_E* when there are too many. */
int sv_db_tag(struct mint_apk_db *db, struct mint_span tag);
/* Puts every name's providers in their canonical order (see pkgdb.c);
 * 0 or MINT_ENOMEM. */
int sv_db_sort_providers(struct mint_apk_db *db);
/* Reads pkg's depends if not done yet (marks it uninstallable when they
 * do not parse). */
void sv_pkg_read_deps(struct mint_apk_db *db, struct sv_pkg *pkg);
/* The repositories pkg can come from, its installed tag's included. */
uint32_t sv_pkg_repos(const struct mint_apk_db *db, const struct sv_pkg *pkg);
/* Repositories allowed by a mask of tags. */
uint32_t sv_tag_mask_repos(const struct mint_apk_db *db, uint32_t mask);

/* --- per-solve state --------------------------------------------------- */

enum sv_queue { SV_Q_NONE, SV_Q_RESOLVENOW, SV_Q_SELECTABLE, SV_Q_UNRESOLVED };

struct sv_nstate {
	struct sv_provider chosen;    /* pkg NULL: nothing chosen */
	struct sv_name **rdeps;       /* names whose packages depend on this one */
	uint32_t n_rdeps, cap_rdeps;
	uint32_t rdep_mark;           /* dedup marker while building rdeps */
	int32_t requirers;
	uint32_t merge_depends, merge_provides;
	uint32_t order_id;
	uint32_t queue_stamp;
	uint8_t queue;                /* enum sv_queue */
	bool seen, locked, no_iif, has_iif, iif_needed, has_options, has_auto_selectable;
	bool reverse_deps_done, resolvenow, reevaluate_deps, reevaluate_iif;
	bool has_virtual_provides, in_dirty, flags_set;
	/* changeset */
	struct sv_pkg *installed_pkg;
	struct sv_name *installed_name;
	bool cs_processed, cs_removed;
	/* explanation */
	uint32_t explain;
	uint8_t explain_walked;       /* states whose walk from this name is done */
	struct sv_nstate *next_alloc;
};

struct sv_pstate {
	int32_t conflicts;
	uint32_t pinning_allowed, pinning_preferred;
	unsigned flags, flags_inherited;
	uint32_t explain;
	uint32_t genid;
	bool seen, available, selectable, iif_triggered, iif_failed, tag_ok, tag_preferred;
	bool deps_merged, deps_used, in_changeset, error, marked;
};

enum sv_why_kind { SV_WHY_WORLD, SV_WHY_DEP, SV_WHY_IIF, SV_WHY_INSTALLED };

struct sv_why {
	enum sv_why_kind kind;
	const struct sv_pkg *pkg;   /* SV_WHY_DEP: the dependent */
	const struct sv_dep *dep;   /* SV_WHY_WORLD, SV_WHY_DEP */
};

struct sv_change {
	struct sv_pkg *old_pkg, *new_pkg;
	uint8_t old_tag, new_tag;
	bool reinstall;
	struct sv_why why;
};

struct sv_state_chunk;

struct sv_fifo {
	struct sv_name **items;
	uint32_t head, n, cap;
};

struct sv_heap_entry {
	uint32_t order_id;
	uint32_t stamp;
	struct sv_name *name;
};

struct sv_heap {
	struct sv_heap_entry *items;
	uint32_t n, cap;
};

struct sv_solver {
	struct mint_apk_db *db;
	const struct mint_apk_solve_opts *opts;
	uint32_t gen;
	struct sv_state_chunk *chunks;
	struct sv_nstate *nstates;         /* every name state, for resets */
	struct sv_name **seen;             /* names in discovery order */
	uint32_t n_seen, cap_seen;
	struct sv_fifo dirty, resolvenow;
	struct sv_heap selectable, unresolved;
	struct sv_dep *world;
	bool *world_broken;
	uint32_t n_world;
	unsigned errors;
	unsigned flags_inherit;
	uint32_t pinning_inherit;
	uint32_t default_repos;
	uint32_t order_counter;
	uint32_t genid;
	bool ignore_conflict;
	bool prefer_installed;
	uint64_t steps, max_steps;
	unsigned depth;
	int fail;                          /* first MINT_E* hit while solving */
	struct sv_change *changes;
	uint32_t n_changes, cap_changes;
	struct sv_nstate dummy_n;          /* handed out when allocation fails */
	struct sv_pstate dummy_p;
};

/* Recursion bound for the changeset and explanation walks. */
#define SV_MAX_DEPTH 4000

struct sv_nstate *sv_ns(struct sv_solver *s, struct sv_name *n);
struct sv_pstate *sv_ps(struct sv_solver *s, struct sv_pkg *p);
/* Sets s->fail to rc (keeping an earlier failure) and returns it. */
int sv_fail(struct sv_solver *s, int rc);

bool sv_dep_is_provided(const struct sv_pkg *deppkg, const struct sv_dep *dep,
			const struct sv_provider *p);
/* apk's dependency analysis of dep against pkg. */
enum { SV_DEP_IRRELEVANT = 1, SV_DEP_SATISFIES = 2, SV_DEP_CONFLICTS = 4 };
int sv_dep_analyze(const struct sv_pkg *deppkg, const struct sv_dep *dep,
		   const struct sv_pkg *pkg);
bool sv_dep_conflict(const struct sv_dep *d);
int sv_version_cmp(const char *a, const char *b);
void sv_mark_error(struct sv_solver *s, struct sv_pkg *pkg);
/* The tag a package is installed under: the first allowed tag holding it. */
uint8_t sv_pkg_tag(struct sv_solver *s, struct sv_pkg *pkg);

/* changeset.c */
void sv_generate_changeset(struct sv_solver *s);
int sv_solution_fill(struct sv_solver *s, struct mint_apk_solution *sol);
int sv_format_dep(const struct sv_dep *d, const struct mint_apk_db *db, bool with_tag,
		  struct mint_buf *out);

/* solver_explain.c */
int sv_explain(struct sv_solver *s, struct mint_buf *out);
int sv_explain_kept(struct sv_solver *s, struct mint_buf *out);

/* Whether a record of arch can be installed: no A:, "noarch", or one of
 * the database's architectures. */
bool apk_db_arch_ok(const struct mint_apk_db *db, const char *arch);

#endif
