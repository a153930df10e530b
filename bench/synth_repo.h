/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Bench-only: a synthetic local apk repository big enough to time image
 * builds on. Packages hold a few hundred files each whose bytes compress
 * about as binaries and text in a distribution do; the index is signed with
 * a key made at run time. Deterministic for a seed (the key aside), so runs
 * measure the same tree. Not a test helper: nothing here breaks things on
 * purpose (tests/apkbuild.c does that).
 */
#ifndef MINT_BENCH_SYNTH_REPO_H
#define MINT_BENCH_SYNTH_REPO_H

#include <stdint.h>

#include "mint/err.h"

struct synth_repo_spec {
	uint64_t content_bytes;     /* file content over all packages */
	unsigned n_packages;
	unsigned files_per_package; /* regular files; a few dirs and a link come on top */
	unsigned seed;
};

struct synth_repo_stats {
	uint64_t content_bytes;     /* as made (rounding aside, as asked) */
	uint64_t apk_bytes;         /* the .apk files together */
	unsigned entries;           /* data tar entries over all packages */
};

/*
 * Writes into dir (which must exist):
 *   bench.rsa.pub                  the public key of the index signature
 *   repo/x86_64/<name>-<ver>.apk   the packages (synth-000, synth-001, ...)
 *   repo/x86_64/APKINDEX.tar.gz    signed .SIGN.RSA256.bench.rsa.pub
 *   image.yaml                     an apko config naming the key, the
 *                                  repository and every package, x86_64
 */
int synth_repo_write(const char *dir, const struct synth_repo_spec *spec,
		     struct synth_repo_stats *stats, struct mint_err *err);

#endif
