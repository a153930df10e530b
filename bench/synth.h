/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Synthetic repositories for benchmarks: many packages with a realistic
 * shape (versions, shared-library provides, dependency fan-out), generated
 * deterministically from a seed so every run measures the same input.
 */
#ifndef MINT_BENCH_SYNTH_H
#define MINT_BENCH_SYNTH_H

#include <stddef.h>

#include "mint/apk_index.h"

/* Fills idx with n packages named pkg-00000...: 1% base libraries, the
 * rest applications needing up to fanout/2 base libraries (by name or by a
 * so: provide) and sometimes another application below them, so a closure
 * from a high-numbered package is a few hundred packages. */
/* Monotonic seconds, for timing a step. */
double bench_now_seconds(void);

void synth_index(struct mint_apk_index *idx, size_t n, unsigned fanout, unsigned seed);

#endif
