/* SPDX-License-Identifier: Apache-2.0 */
/* Deterministic synthetic repositories (see synth.h). */
#include "synth.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static unsigned next_random(unsigned *state)
{
	unsigned x = *state;
	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	*state = x;
	return x;
}

static char *printf_dup(const char *fmt, unsigned a, unsigned b, unsigned c)
{
	char tmp[256];
	snprintf(tmp, sizeof(tmp), fmt, a, b, c);
	return strdup(tmp);
}

static void add(struct mint_strlist *l, const char *fmt, unsigned a)
{
	char tmp[128];
	int n = snprintf(tmp, sizeof(tmp), fmt, a);
	mint_strlist_add(l, tmp, (size_t)n);
}

static void synth_pkg(struct mint_apk_pkg *p, unsigned i, unsigned fanout, unsigned *rng)
{
	memset(p, 0, sizeof(*p));
	p->name = printf_dup("pkg-%05u", i, 0, 0);
	p->version = printf_dup("%u.%u.%u-r0", 1 + next_random(rng) % 9, next_random(rng) % 40,
				next_random(rng) % 12);
	p->arch = strdup("x86_64");
	p->identity = strdup("Q1AAAAAAAAAAAAAAAAAAAAAAAAAAA=");
	p->description = printf_dup("synthetic package number %u for benchmarks", i, 0, 0);
	p->url = strdup("https://example.org/synthetic");
	p->license = strdup("Apache-2.0");
	p->origin = printf_dup("pkg-%05u", i - i % 3, 0, 0);
	p->maintainer = strdup("Bench <bench@example.org>");
	p->has_build_time = true;
	p->build_time = 1700000000u + i;
	p->has_file_size = p->has_installed_size = true;
	p->file_size = 1000 + next_random(rng) % 100000;
	p->installed_size = p->file_size * 3;
	if (i % 5 == 0)
		add(&p->provides, "so:libpkg%u.so.1=1", i);
	add(&p->provides, "cmd:tool%u", i);
	unsigned deps = i ? next_random(rng) % (fanout + 1) : 0;
	for (unsigned d = 0; d < deps; d++) {
		/* mostly near neighbours, sometimes far back: a realistic mix of
		 * shared bases and leaf chains */
		unsigned span = next_random(rng) % 4 ? 50 : i;
		unsigned target = i - 1 - next_random(rng) % (span < i ? span : i);
		if (target % 5 == 0 && next_random(rng) % 2)
			add(&p->depends, "so:libpkg%u.so.1", target);
		else
			add(&p->depends, "pkg-%05u", target);
	}
}

void synth_index(struct mint_apk_index *idx, size_t n, unsigned fanout, unsigned seed)
{
	memset(idx, 0, sizeof(*idx));
	idx->pkgs = calloc(n, sizeof(*idx->pkgs));
	idx->n = n;
	unsigned rng = seed ? seed : 1;
	for (size_t i = 0; i < n; i++)
		synth_pkg(&idx->pkgs[i], (unsigned)i, fanout, &rng);
}
