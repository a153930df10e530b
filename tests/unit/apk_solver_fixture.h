/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Helpers for the solver's unit tests: repositories written as APKINDEX
 * text, worlds as dependency lists, and the solution read back as short
 * strings ("b-2 a-2") that assertions can compare.
 */
#ifndef MINT_APK_SOLVER_FIXTURE_H
#define MINT_APK_SOLVER_FIXTURE_H

#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mint/apk_dep.h"
#include "mint/apk_index.h"
#include "mint/apk_solver.h"

#define FX_MAX_REPOS 4

struct fx {
	struct mint_apk_index repos[FX_MAX_REPOS];
	size_t n_repos;
	struct mint_apk_index installed;
	struct mint_apk_db *db;
	struct mint_apk_dep *world;
	size_t n_world;
	struct mint_apk_solution *sol;
	char text[4096];
};

static inline void fx_init(struct fx *f, const char *arch)
{
	struct mint_err err = { 0 };
	const char *archs[] = { arch };
	memset(f, 0, sizeof(*f));
	assert_ok(mint_apk_db_new(archs, 1, &f->db, &err), &err);
}

static inline void fx_parse(const char *text, struct mint_apk_index *idx)
{
	struct mint_err err = { 0 };
	assert_ok(mint_apk_index_parse_text(mint_span_str(text), idx, &err), &err);
}

static inline void fx_installed(struct fx *f, const char *text)
{
	struct mint_err err = { 0 };
	fx_parse(text, &f->installed);
	for (size_t i = 0; i < f->installed.n; i++)
		assert_ok(mint_apk_db_add_installed(f->db, &f->installed.pkgs[i], &err), &err);
}

/* Adds a repository; tag may be NULL. */
static inline void fx_repo(struct fx *f, const char *tag, const char *text)
{
	struct mint_err err = { 0 };
	struct mint_apk_index *idx = &f->repos[f->n_repos++];
	struct mint_apk_repo_opts o = { .tags = &tag, .n_tags = tag ? 1 : 0 };
	assert_true(f->n_repos <= FX_MAX_REPOS);
	fx_parse(text, idx);
	assert_true(mint_apk_db_add_repo(f->db, idx->pkgs, idx->n, &o, &err) >= 0);
}

/* Solves world (space-separated dependencies) into f->sol. */
static inline void fx_solve_opts(struct fx *f, const char *world,
				 const struct mint_apk_solve_opts *opts)
{
	struct mint_err err = { 0 };
	mint_apk_deps_free(f->world, f->n_world);
	mint_apk_solution_free(f->sol);
	f->sol = NULL;
	assert_ok(mint_apk_deps_parse(mint_span_str(world), &f->world, &f->n_world, &err), &err);
	assert_ok(mint_apk_solve(f->db, f->world, f->n_world, opts, &f->sol, &err), &err);
}

static inline void fx_solve(struct fx *f, const char *world)
{
	fx_solve_opts(f, world, NULL);
}

/* "name-version" of every package the solution installs or keeps, in
 * install order. */
static inline const char *fx_selected(struct fx *f)
{
	size_t used = 0;
	f->text[0] = '\0';
	for (size_t i = 0; i < f->sol->n_changes; i++) {
		const struct mint_apk_change *c = &f->sol->changes[i];
		if (!c->new_pkg)
			continue;
		used += (size_t)snprintf(f->text + used, sizeof(f->text) - used, "%s%s-%s",
					 used ? " " : "", c->name, c->new_pkg->version);
		assert_true(used < sizeof(f->text));
	}
	return f->text;
}

/* The change for name, or NULL. */
static inline const struct mint_apk_change *fx_change(struct fx *f, const char *name)
{
	for (size_t i = 0; i < f->sol->n_changes; i++)
		if (!strcmp(f->sol->changes[i].name, name))
			return &f->sol->changes[i];
	return NULL;
}

static inline void fx_free(struct fx *f)
{
	mint_apk_solution_free(f->sol);
	mint_apk_deps_free(f->world, f->n_world);
	mint_apk_db_free(f->db);
	for (size_t i = 0; i < f->n_repos; i++)
		mint_apk_index_free(&f->repos[i]);
	mint_apk_index_free(&f->installed);
}

#endif
