/* SPDX-License-Identifier: Apache-2.0 */
/* Repositories + solver for one or more architectures (see mint/apk_resolve.h). */
#include "mint/apk_resolve.h"

#include <stdlib.h>
#include <string.h>

/* The solver's database takes each repository as one array of records; the
 * repository set keeps records grouped by repository, so a shallow copy in
 * the same order maps a selected record straight back to its URL. */
static int build_db(struct mint_apk_arch_resolution *a, struct mint_err *err)
{
	const struct mint_apk_repo_set *set = &a->set;
	a->records = calloc(set->n ? set->n : 1, sizeof(*a->records));
	if (!a->records)
		return mint_err_set(err, MINT_ENOMEM, "out of memory");
	for (size_t i = 0; i < set->n; i++)
		a->records[i] = set->pkgs[i].pkg;
	const char *archs[] = { a->arch };
	int rc = mint_apk_db_new(archs, 1, &a->db, err);
	size_t start = 0;
	for (size_t r = 0; !rc && r < set->n_repos; r++) {
		const struct mint_apk_repo *repo = &set->repos[r].repo;
		size_t end = start;
		while (end < set->n && set->pkgs[end].repo == repo)
			end++;
		const char *tags[] = { repo->tag };
		struct mint_apk_repo_opts ro = { repo->tag ? tags : NULL, repo->tag ? 1 : 0, 0 };
		int added = mint_apk_db_add_repo(a->db, a->records + start, end - start, &ro, err);
		rc = added < 0 ? added : 0;
		start = end;
	}
	return rc;
}

static int take_solution(struct mint_apk_arch_resolution *a, struct mint_err *err)
{
	const struct mint_apk_solution *sol = a->solution;
	a->pkgs = calloc(sol->n_changes ? sol->n_changes : 1, sizeof(*a->pkgs));
	if (!a->pkgs)
		return mint_err_set(err, MINT_ENOMEM, "out of memory");
	for (size_t i = 0; i < sol->n_changes; i++) {
		const struct mint_apk_change *c = &sol->changes[i];
		if (c->kind == MINT_APK_CHANGE_REMOVE || !c->new_pkg)
			continue;
		size_t at = (size_t)(c->new_pkg - a->records);
		if (c->new_pkg < a->records || at >= a->set.n)
			return mint_err_set(err, MINT_EINVAL,
					    "%s: selected package %s is in no repository", a->arch,
					    c->name);
		a->pkgs[a->n++] = (struct mint_apk_resolved){ &a->set.pkgs[at], c->reason };
	}
	return 0;
}

/* The first problem goes into the one-line error, all of apk's text into
 * out->explanation. */
static int unsatisfiable(struct mint_apk_resolution *out, const char *arch,
			 const struct mint_apk_solution *sol, struct mint_err *err)
{
	const char *text = sol->explanation ? sol->explanation : "";
	out->explanation = strdup(text);
	/* apk's text: a heading line, then "  name-version:" per name in trouble */
	const char *first = strchr(text, '\n');
	first = first ? first + 1 : text;
	while (*first == ' ')
		first++;
	size_t len = strcspn(first, "\n");
	if (len && first[len - 1] == ':')
		len--;
	return mint_err_set(err, MINT_ENOTFOUND,
			    "%s: unable to select packages: %.*s (apk's explanation follows)", arch,
			    (int)(len > 300 ? 300 : len), first);
}

int mint_apk_resolve(const struct mint_apk_resolve_opts *opts, const struct mint_apk_dep *world,
		     size_t n_world, struct mint_apk_resolution *out, struct mint_err *err)
{
	memset(out, 0, sizeof(*out));
	if (!opts->n_archs)
		return mint_err_set(err, MINT_EINVAL, "no architecture to resolve for");
	out->archs = calloc(opts->n_archs, sizeof(*out->archs));
	struct mint_apk_arch_db *dbs = calloc(opts->n_archs, sizeof(*dbs));
	struct mint_apk_solution **sols = calloc(opts->n_archs, sizeof(*sols));
	int rc = out->archs && dbs && sols ? 0 : mint_err_set(err, MINT_ENOMEM, "out of memory");
	for (size_t i = 0; !rc && i < opts->n_archs; i++) {
		struct mint_apk_arch_resolution *a = &out->archs[i];
		out->n_archs++;
		a->arch = opts->archs[i];
		rc = mint_apk_repo_set_load(&a->set, opts->repos, opts->n_repos, a->arch,
					    opts->cache, opts->keyring, opts->repo_flags, err);
		if (!rc)
			rc = build_db(a, err);
		dbs[i] = (struct mint_apk_arch_db){ a->arch, a->db };
	}
	for (size_t i = 0; !rc && i < opts->n_archs; i++) {
		rc = mint_apk_solve(dbs[i].db, world, n_world, NULL, &sols[i], err);
		if (rc)
			mint_err_prefix(err, "%s", dbs[i].arch);
		else if (sols[i]->errors)
			rc = unsatisfiable(out, dbs[i].arch, sols[i], err);
	}
	if (!rc)
		rc = mint_apk_solutions_consistent(dbs, opts->n_archs, world, n_world, sols, err);
	for (size_t i = 0; !rc && i < opts->n_archs; i++) {
		out->archs[i].solution = sols[i];
		sols[i] = NULL;
		rc = take_solution(&out->archs[i], err);
	}
	for (size_t i = 0; sols && i < opts->n_archs; i++)
		mint_apk_solution_free(sols[i]);
	free(sols);
	free(dbs);
	if (rc) {
		char *explanation = out->explanation;
		out->explanation = NULL;
		mint_apk_resolution_free(out);
		out->explanation = explanation;
	}
	return rc;
}

void mint_apk_resolution_free(struct mint_apk_resolution *r)
{
	for (size_t i = 0; i < r->n_archs; i++) {
		struct mint_apk_arch_resolution *a = &r->archs[i];
		mint_apk_solution_free(a->solution);
		mint_apk_db_free(a->db);
		free(a->records);
		free(a->pkgs);
		mint_apk_repo_set_free(&a->set);
	}
	free(r->archs);
	free(r->explanation);
	memset(r, 0, sizeof(*r));
}
