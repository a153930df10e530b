/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Benchmark: resolving a ~300-package closure out of a 100,000-package
 * repository with the apk solver, beside a baseline measured in the same
 * run: a bare breadth-first walk over the same dependency names through a
 * hash map (no versions, no providers' choice, no ordering) — the least
 * work any resolver must do. Building the solver's package database (once
 * per repository load) is timed separately.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "mint/apk_dep.h"
#include "mint/apk_solver.h"
#include "mint/hashmap.h"
#include "synth.h"

#define PACKAGES 100000
#define ROUNDS 5

/* Names and provided names -> record index. */
static void index_names(const struct mint_apk_index *idx, struct mint_hashmap *m)
{
	mint_hashmap_reserve(m, idx->n * 3);
	for (size_t i = 0; i < idx->n; i++) {
		mint_hashmap_put(m, mint_span_str(idx->pkgs[i].name), (void *)(i + 1));
		for (size_t k = 0; k < idx->pkgs[i].provides.n; k++) {
			struct mint_span p = mint_span_str(idx->pkgs[i].provides.items[k]);
			long eq = mint_span_find(p, '=');
			mint_hashmap_put(m, eq < 0 ? p : MINT_SPAN(p.ptr, (size_t)eq), (void *)(i + 1));
		}
	}
}

/* The baseline: how many records a walk from root reaches. */
static size_t bfs_closure(const struct mint_apk_index *idx, const struct mint_hashmap *names,
			  size_t root, unsigned char *seen, size_t *queue)
{
	memset(seen, 0, idx->n);
	size_t head = 0, tail = 0;
	queue[tail++] = root;
	seen[root] = 1;
	while (head < tail) {
		const struct mint_apk_pkg *p = &idx->pkgs[queue[head++]];
		for (size_t d = 0; d < p->depends.n; d++) {
			struct mint_span dep = mint_span_str(p->depends.items[d]);
			void *v;
			if (!mint_hashmap_get(names, dep, &v))
				continue;
			size_t at = (size_t)v - 1;
			if (!seen[at]) {
				seen[at] = 1;
				queue[tail++] = at;
			}
		}
	}
	return tail;
}

static int solve_once(struct mint_apk_db *db, const char *name, size_t *n, double *seconds)
{
	struct mint_apk_dep world = { .name = (char *)name, .op = MINT_APK_DEP_ANY };
	struct mint_apk_solution *sol = NULL;
	struct mint_err err = { 0 };
	double t0 = bench_now_seconds();
	int rc = mint_apk_solve(db, &world, 1, NULL, &sol, &err);
	*seconds = bench_now_seconds() - t0;
	if (rc || sol->errors) {
		fprintf(stderr, "bench: solve failed: %s\n", rc ? err.msg : sol->explanation);
		mint_apk_solution_free(sol);
		return 1;
	}
	*n = sol->n_changes;
	mint_apk_solution_free(sol);
	return 0;
}

int main(void)
{
	struct mint_apk_index idx;
	synth_index(&idx, PACKAGES, 6, 42);
	struct mint_hashmap names = { 0 };
	index_names(&idx, &names);
	unsigned char *seen = malloc(idx.n);
	size_t *queue = malloc(idx.n * sizeof(*queue));

	/* the package whose closure is nearest 300 among the last thousand */
	size_t root = idx.n - 1, best = 0;
	for (size_t i = idx.n - 1000; i < idx.n; i++) {
		size_t c = bfs_closure(&idx, &names, i, seen, queue);
		if (!best || labs((long)c - 300) < labs((long)best - 300)) {
			best = c;
			root = i;
		}
	}

	const char *archs[] = { "x86_64" };
	struct mint_apk_db *db = NULL;
	struct mint_err err = { 0 };
	double t0 = bench_now_seconds();
	if (mint_apk_db_new(archs, 1, &db, &err) ||
	    mint_apk_db_add_repo(db, idx.pkgs, idx.n, NULL, &err) < 0) {
		fprintf(stderr, "bench: database: %s\n", err.msg);
		return 1;
	}
	double build = bench_now_seconds() - t0;

	double solve = 1e9, walk = 1e9;
	size_t n = 0;
	for (int r = 0; r < ROUNDS; r++) {
		double t;
		if (solve_once(db, idx.pkgs[root].name, &n, &t))
			return 1;
		if (t < solve)
			solve = t;
		t0 = bench_now_seconds();
		bfs_closure(&idx, &names, root, seen, queue);
		t = bench_now_seconds() - t0;
		if (t < walk)
			walk = t;
	}
	printf("resolve %s: %zu packages out of %zu: %.2f ms (target <= 50 ms); "
	       "baseline name walk %.3f ms; ratio %.1f\n",
	       idx.pkgs[root].name, n, idx.n, solve * 1e3, walk * 1e3, solve / walk);
	printf("solver database for %zu packages built once per load: %.0f ms\n", idx.n,
	       build * 1e3);
	mint_apk_db_free(db);
	mint_hashmap_free(&names);
	mint_apk_index_free(&idx);
	free(seen);
	free(queue);
	return 0;
}
