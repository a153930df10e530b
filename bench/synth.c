/* SPDX-License-Identifier: Apache-2.0 */
/* Deterministic synthetic repositories (see synth.h). */
#include "synth.h"

#include "mint/encode.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static unsigned synth_base_count;

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

/* The shape of a distribution: the first 1% are base libraries that lean
 * on a few lower ones; every other package needs one to fanout/2 base
 * libraries (by name or through their so: provides) and, one time in
 * two, another application package below it. A closure from the top is
 * then a few hundred packages, as real images are. */
static void add_depends(struct mint_apk_pkg *p, unsigned i, unsigned fanout, unsigned *rng)
{
	unsigned base = synth_base_count;
	if (i == 0)
		return;
	if (i < base) {
		unsigned deps = 1 + next_random(rng) % 3;
		for (unsigned d = 0; d < deps; d++)
			add(&p->depends, "pkg-%05u", i - 1 - next_random(rng) % (i < 40 ? i : 40));
		return;
	}
	unsigned deps = 1 + next_random(rng) % (fanout / 2 ? fanout / 2 : 1);
	for (unsigned d = 0; d < deps; d++) {
		unsigned target = next_random(rng) % base;
		if (target % 5 == 0 && next_random(rng) % 2)
			add(&p->depends, "so:libpkg%u.so.1", target);
		else
			add(&p->depends, "pkg-%05u", target);
	}
	if (i > base && next_random(rng) % 2 == 0) {
		unsigned window = i - base < 5000 ? i - base : 5000;
		add(&p->depends, "pkg-%05u", i - 1 - next_random(rng) % window);
	}
}

/* A distinct Q1 identity per package: the solver treats equal identities
 * as one package, as apk does. */
static char *fake_identity(unsigned i)
{
	unsigned char bytes[20] = { 0 };
	memcpy(bytes, &i, sizeof(i));
	char text[40] = "Q1";
	mint_base64_encode(bytes, sizeof(bytes), text + 2);
	return strdup(text);
}

static void synth_pkg(struct mint_apk_pkg *p, unsigned i, unsigned fanout, unsigned *rng)
{
	memset(p, 0, sizeof(*p));
	p->name = printf_dup("pkg-%05u", i, 0, 0);
	p->version = printf_dup("%u.%u.%u-r0", 1 + next_random(rng) % 9, next_random(rng) % 40,
				next_random(rng) % 12);
	p->arch = strdup("x86_64");
	p->identity = fake_identity(i);
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
	add_depends(p, i, fanout, rng);
}

void synth_index(struct mint_apk_index *idx, size_t n, unsigned fanout, unsigned seed)
{
	memset(idx, 0, sizeof(*idx));
	idx->pkgs = calloc(n, sizeof(*idx->pkgs));
	idx->n = n;
	unsigned rng = seed ? seed : 1;
	synth_base_count = n / 100 ? (unsigned)(n / 100) : 1;
	for (size_t i = 0; i < n; i++)
		synth_pkg(&idx->pkgs[i], (unsigned)i, fanout, &rng);
}

double bench_now_seconds(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}
