/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The solver on arbitrary repositories: the input is APKINDEX text; the
 * first record's depends and install_if are the world, its k: picks the
 * solver flags, records alternate between an untagged and an "@t"
 * repository, and records with a c: field are also installed. Whatever the
 * input (cycles, self-dependencies, fan-out, broken lists), solving must
 * end within its step bound and give a consistent answer.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "mint/apk_index.h"
#include "mint/apk_solver.h"

#define MAX_WORLD 32

static void check(const struct mint_apk_solution *sol)
{
	struct mint_buf text = MINT_BUF_INIT;
	size_t n;
	uint64_t bytes;
	if ((sol->errors != 0) != (sol->explanation != NULL))
		abort();
	for (size_t i = 0; i < sol->n_changes; i++) {
		const struct mint_apk_change *c = &sol->changes[i];
		if (!c->name || (!c->new_pkg && !c->old_pkg) || (c->new_pkg && !c->reason))
			abort();
	}
	if (mint_apk_solution_format_changes(sol, true, &text))
		abort();
	mint_apk_solution_totals(sol, &n, &bytes);
	mint_buf_free(&text);
}

static size_t load_world(const struct mint_apk_pkg *first, struct mint_apk_dep *world)
{
	const struct mint_strlist *lists[] = { &first->depends, &first->install_if };
	size_t n = 0;
	for (size_t l = 0; l < 2; l++) {
		for (size_t i = 0; i < lists[l]->n && n < MAX_WORLD; i++) {
			struct mint_apk_dep d;
			if (!mint_apk_dep_parse(mint_span_str(lists[l]->items[i]), &d, NULL))
				world[n++] = d;
		}
	}
	return n;
}

static struct mint_apk_db *load_db(const char *arch, const struct mint_apk_index *idx,
				   struct mint_apk_pkg **split)
{
	static const char *const tag = "t";
	struct mint_apk_repo_opts tagged = { .tags = &tag, .n_tags = 1 };
	struct mint_apk_db *db;
	size_t half = (idx->n + 1) / 2;
	if (mint_apk_db_new(&arch, 1, &db, NULL))
		return NULL;
	for (size_t i = 0; i < idx->n; i++)
		if (idx->pkgs[i].commit && mint_apk_db_add_installed(db, &idx->pkgs[i], NULL))
			goto fail;
	/* Even records in the first repository, odd ones in the tagged one. */
	for (size_t i = 0; i < idx->n; i++)
		split[i % 2 ? half + i / 2 : i / 2] = &idx->pkgs[i];
	for (int r = 0; r < 2; r++) {
		size_t from = r ? half : 0, to = r ? idx->n : half;
		struct mint_apk_pkg *copy = calloc(to - from + 1, sizeof(*copy));
		if (!copy)
			goto fail;
		for (size_t i = from; i < to; i++)
			copy[i - from] = *split[i];
		int rc = mint_apk_db_add_repo(db, copy, to - from, r ? &tagged : NULL, NULL);
		split[idx->n + r] = copy;
		if (rc < 0)
			goto fail;
	}
	return db;
fail:
	mint_apk_db_free(db);
	return NULL;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct mint_apk_index idx;
	struct mint_apk_dep world[MAX_WORLD];
	struct mint_apk_pkg **split = NULL;
	struct mint_apk_db *db = NULL;
	struct mint_apk_solution *sol = NULL;
	if (mint_apk_index_parse_text(MINT_SPAN(data, size), &idx, NULL) || !idx.n)
		return 0;
	size_t n_world = load_world(&idx.pkgs[0], world);
	uint64_t k = idx.pkgs[0].provider_priority;
	struct mint_apk_solve_opts opts = {
		.flags = (unsigned)(k & 0x7f),
		.force_broken_world = (k >> 7) & 1,
		.prefer_installed = (k >> 8) & 1,
		.max_steps = 200000,
	};
	const char *removing = idx.pkgs[0].name;
	if ((k >> 9) & 1) {
		opts.removing = &removing;
		opts.n_removing = 1;
	}
	split = calloc(idx.n + 2, sizeof(*split));
	if (split)
		db = load_db("x86_64", &idx, split);
	if (db) {
		unsigned warnings = mint_apk_db_check(db);
		(void)warnings;
		if (!mint_apk_solve(db, world, n_world, &opts, &sol, NULL)) {
			check(sol);
			mint_apk_solution_free(sol);
		}
		/* A second solve over the same database must work as well. */
		if (!mint_apk_solve(db, world, n_world, NULL, &sol, NULL)) {
			check(sol);
			mint_apk_solution_free(sol);
		}
	}
	mint_apk_db_free(db);
	if (split) {
		free(split[idx.n]);
		free(split[idx.n + 1]);
	}
	free(split);
	for (size_t i = 0; i < n_world; i++)
		mint_apk_dep_free(&world[i]);
	mint_apk_index_free(&idx);
	return 0;
}
