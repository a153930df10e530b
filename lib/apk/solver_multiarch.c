/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Solving one world for several architectures, as apko locks an image: each
 * architecture has its own package database, and every package named in
 * the world must come out at the same version everywhere, or the image
 * could not be described by one locked configuration.
 */
#include "mint/apk_solver.h"

#include <stdlib.h>
#include <string.h>

/* The version the solution picked for name, or NULL. */
static const char *chosen_version(const struct mint_apk_solution *s, const char *name)
{
	for (size_t i = 0; i < s->n_changes; i++) {
		const struct mint_apk_change *c = &s->changes[i];
		if (c->new_pkg && strcmp(c->name, name) == 0)
			return c->new_pkg->version;
	}
	return NULL;
}

/* The first line of an explanation after its header, for error messages. */
static void first_problem(const char *text, char *out, size_t cap)
{
	const char *p = text ? strchr(text, '\n') : NULL;
	size_t n = 0;
	out[0] = '\0';
	if (!p)
		return;
	for (p++; *p == ' '; p++)
		;
	while (p[n] && p[n] != '\n')
		n++;
	if (n && p[n - 1] == ':')
		n--;
	if (n >= cap)
		n = cap - 1;
	memcpy(out, p, n);
	out[n] = '\0';
}

int mint_apk_solutions_consistent(const struct mint_apk_arch_db *archs, size_t n_archs,
				  const struct mint_apk_dep *world, size_t n_world,
				  struct mint_apk_solution *const *out, struct mint_err *err)
{
	for (size_t w = 0; w < n_world; w++) {
		const char *name = world[w].name, *first = NULL;
		size_t first_arch = 0;
		if (!name || (world[w].op & MINT_APK_DEP_CONFLICT))
			continue;
		for (size_t a = 0; a < n_archs; a++) {
			const char *v = chosen_version(out[a], name);
			if (!v)
				continue;
			if (!first) {
				first = v;
				first_arch = a;
			} else if (strcmp(first, v) != 0) {
				return mint_err_set(err, MINT_ENOTFOUND,
						    "unable to lock packages to a consistent version: "
						    "%s is %s on %s but %s on %s",
						    name, first, archs[first_arch].arch, v,
						    archs[a].arch);
			}
		}
	}
	return 0;
}

int mint_apk_solve_archs(const struct mint_apk_arch_db *archs, size_t n_archs,
			 const struct mint_apk_dep *world, size_t n_world,
			 const struct mint_apk_solve_opts *opts,
			 struct mint_apk_solution **out, struct mint_err *err)
{
	int rc = 0;
	size_t done = 0;
	for (; done < n_archs; done++) {
		out[done] = NULL;
		rc = mint_apk_solve(archs[done].db, world, n_world, opts, &out[done], err);
		if (rc) {
			mint_err_prefix(err, "%s", archs[done].arch);
			break;
		}
		if (out[done]->errors) {
			char what[256];
			first_problem(out[done]->explanation, what, sizeof(what));
			rc = mint_err_set(err, MINT_ENOTFOUND, "%s: unable to select packages: %s",
					  archs[done].arch, what);
			done++;
			break;
		}
	}
	if (!rc)
		rc = mint_apk_solutions_consistent(archs, n_archs, world, n_world, out, err);
	if (rc) {
		for (size_t i = 0; i < done && i < n_archs; i++) {
			mint_apk_solution_free(out[i]);
			out[i] = NULL;
		}
	}
	return rc;
}
