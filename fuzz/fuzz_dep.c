/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Fuzzes apk dependency parsing. Whatever parses must format to text that
 * parses back to the same dependency; lists must round-trip the same way.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "mint/apk_dep.h"

static bool same_str(const char *a, const char *b)
{
	if (!a || !b)
		return a == b;
	return strcmp(a, b) == 0;
}

static bool same_dep(const struct mint_apk_dep *a, const struct mint_apk_dep *b)
{
	return a->op == b->op && same_str(a->name, b->name) && same_str(a->tag, b->tag) &&
	       same_str(a->version, b->version);
}

static void round_trip_one(struct mint_span s)
{
	struct mint_apk_dep d, again;
	struct mint_buf text = MINT_BUF_INIT;
	if (mint_apk_dep_parse(s, &d, NULL))
		return;
	if (mint_apk_dep_format(&d, &text))
		abort();
	if (mint_apk_dep_parse(mint_buf_span(&text), &again, NULL))
		abort();
	if (!same_dep(&d, &again))
		abort();
	(void)mint_apk_dep_satisfied_by(&d, mint_span_str(d.name), mint_span_str(d.version));
	mint_apk_dep_free(&again);
	mint_apk_dep_free(&d);
	mint_buf_free(&text);
}

static void round_trip_list(struct mint_span s)
{
	struct mint_apk_dep *deps, *again;
	size_t n, n_again;
	struct mint_buf text = MINT_BUF_INIT;
	if (mint_apk_deps_parse(s, &deps, &n, NULL))
		return;
	for (size_t i = 0; i < n; i++) {
		if ((i && mint_buf_putc(&text, ' ')) || mint_apk_dep_format(&deps[i], &text))
			abort();
	}
	if (mint_apk_deps_parse(mint_buf_span(&text), &again, &n_again, NULL) || n_again != n)
		abort();
	for (size_t i = 0; i < n; i++)
		if (!same_dep(&deps[i], &again[i]))
			abort();
	mint_apk_deps_free(again, n_again);
	mint_apk_deps_free(deps, n);
	mint_buf_free(&text);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct mint_span s = MINT_SPAN(data, size);
	round_trip_one(s);
	round_trip_list(s);
	return 0;
}
