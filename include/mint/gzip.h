/* SPDX-License-Identifier: Apache-2.0 */
/*
 * gzip members, inflated one at a time. An apk package is several gzip
 * members back to back, and signatures and identities are computed over the
 * *compressed* bytes of each member, so the reader reports exactly where each
 * member ends instead of treating the file as one stream. Nothing is ever
 * re-compressed.
 *
 * Limits guard against decompression bombs: a cap on total output and on the
 * output/input ratio (checked once output passes MINT_GZIP_RATIO_GRACE bytes).
 */
#ifndef MINT_GZIP_H
#define MINT_GZIP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mint/buf.h"
#include "mint/err.h"
#include "mint/source.h"
#include "mint/span.h"

#define MINT_GZIP_RATIO_GRACE (1u << 20)

struct mint_gzip_limits {
	uint64_t max_output_bytes; /* 0: no cap */
	uint32_t max_ratio;        /* 0: no cap; e.g. 1000 for 1000:1 */
};

/* Inflates one gzip member that starts at the beginning of `in`. Bytes after
 * the member are left alone: member_size() says where the next one starts. */
struct mint_gunzip {
	void *z; /* z_stream */
	struct mint_span in;
	struct mint_gzip_limits limits;
	uint64_t out_total;
	bool done; /* the member's trailer was read and its CRC and size matched */
};

int mint_gunzip_init(struct mint_gunzip *g, struct mint_span in,
		     const struct mint_gzip_limits *limits, struct mint_err *err);
/* Up to cap bytes of output; *got == 0 only when the member is done. Errors:
 * MINT_EFORMAT (corrupt data, bad CRC), MINT_ETRUNCATED (input ended inside
 * the member), MINT_ELIMIT. The error's offset is relative to `in`. */
int mint_gunzip_read(struct mint_gunzip *g, void *buf, size_t cap, size_t *got,
		     struct mint_err *err);
/* Compressed bytes consumed so far; the member's full size once done. */
size_t mint_gunzip_consumed(const struct mint_gunzip *g);
void mint_gunzip_free(struct mint_gunzip *g);

/* A mint_source that reads the inflated member. */
struct mint_source mint_gunzip_source(struct mint_gunzip *g);

/* Convenience: inflates the whole member at the start of `in` into out
 * (replacing its contents) and reports its compressed size. */
int mint_gunzip_member(struct mint_span in, const struct mint_gzip_limits *limits,
		       struct mint_buf *out, size_t *member_size, struct mint_err *err);

#endif
