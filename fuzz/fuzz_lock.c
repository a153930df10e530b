/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Fuzzes the lock parser. A lock that parses must write, parse back in the
 * same form and write the same bytes again. Its entries are then checked
 * against the input itself as if it were the package file (any ranges,
 * any bytes), its repositories are re-derived from their names, and the
 * per-arch view and keyring sort run over it.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "mint/image_lock.h"

static void check_round_trip(const struct mint_lock *l)
{
	struct mint_buf a = MINT_BUF_INIT, b = MINT_BUF_INIT;
	struct mint_lock back;
	if (mint_lock_write(l, &a, NULL))
		abort();
	if (mint_lock_parse(mint_buf_span(&a), "written", &back, NULL))
		abort();
	if (back.form != l->form || back.n_packages != l->n_packages ||
	    back.n_keyring != l->n_keyring)
		abort();
	if (mint_lock_write(&back, &b, NULL) || a.len != b.len || memcmp(a.data, b.data, a.len))
		abort();
	mint_lock_free(&back);
	mint_buf_free(&a);
	mint_buf_free(&b);
}

static void check_entries(struct mint_lock *l, struct mint_span file)
{
	const struct mint_lock_package *some[4];
	for (size_t i = 0; i < l->n_packages; i++) {
		const struct mint_lock_package *p = &l->packages[i];
		mint_lock_verify_package(p, file, NULL);
		size_t n = mint_lock_packages_for_arch(l, p->architecture, some, 4);
		if (n == 0 || n > l->n_packages)
			abort();
	}
	for (size_t i = 0; i < l->n_repositories; i++) {
		struct mint_lock_repo r;
		if (!mint_lock_repo_for(l->repositories[i].name, l->repositories[i].architecture, &r,
					NULL))
			mint_lock_repo_free(&r);
	}
	mint_lock_sort_keyring(l);
	for (size_t i = 1; i < l->n_keyring; i++)
		if (strcmp(l->keyring[i - 1].name, l->keyring[i].name) > 0)
			abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct mint_span in = MINT_SPAN(data, size);
	struct mint_lock l;
	if (mint_lock_parse(in, "fuzz", &l, NULL))
		return 0;
	check_round_trip(&l);
	check_entries(&l, in);
	mint_lock_free(&l);
	return 0;
}
