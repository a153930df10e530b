/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The canonical gzip compressor: image layers are named by the digest of
 * their compressed bytes, so those bytes must depend only on the input bytes
 * and the level -- never on the thread count or on how the input was cut
 * into write calls. The format is pinned in docs/canonical-gzip.md:
 *
 *   - a fixed 10-byte header 1f 8b 08 00 00000000 00 ff (no name, mtime 0,
 *     XFL 0, OS 255 "unknown"), one deflate stream, the usual CRC-32/ISIZE
 *     trailer;
 *   - the input is cut into MINT_GZIP_BLOCK_BYTES blocks, each compressed on
 *     its own by libdeflate (no history shared between blocks, so any thread
 *     may take any block); every block but the last ends with an empty
 *     stored block, so the pieces join on byte boundaries into one stream;
 *   - the last block is the input left after the last full one (possibly
 *     empty) and carries the final-block bit.
 *
 * The bytes also depend on the libdeflate version, as pigz's depend on
 * zlib's; the docs say which one the figures were taken with.
 *
 * This file does not decompress; mint/gzip.h does.
 */
#ifndef MINT_DEFLATE_H
#define MINT_DEFLATE_H

#include <stddef.h>
#include <stdint.h>

#include "mint/buf.h"
#include "mint/err.h"

#define MINT_GZIP_BLOCK_BYTES (1u << 20)
#define MINT_GZIP_DEFAULT_LEVEL 6
#define MINT_GZIP_MAX_LEVEL 12 /* libdeflate's scale: 0 stores, 1 fastest, 12 smallest */
#define MINT_GZIP_MAX_THREADS 64
#define MINT_GZIP_MAX_BLOCK_BYTES (64u << 20)

/* Where the compressed bytes go; called only from the thread that calls
 * write and finish, in stream order. Returns 0 or MINT_E*. */
typedef int (*mint_gzip_sink)(void *ctx, const void *data, size_t len, struct mint_err *err);

struct mint_gzip_writer;

/* threads: 1 compresses in the calling thread; n > 1 starts n worker
 * threads; 0 means one per online CPU (at most MINT_GZIP_MAX_THREADS).
 * level: 0..MINT_GZIP_MAX_LEVEL. MINT_EINVAL for other values. */
int mint_gzip_writer_new(struct mint_gzip_writer **out, unsigned threads, int level,
			 mint_gzip_sink sink, void *sink_ctx, struct mint_err *err);
/* The same with another block size: the stream is still valid gzip but not
 * the canonical one. For tests and fuzzing, which need many block joins from
 * small inputs. block_bytes: 1..MINT_GZIP_MAX_BLOCK_BYTES. */
int mint_gzip_writer_new_sized(struct mint_gzip_writer **out, unsigned threads, int level,
			       size_t block_bytes, mint_gzip_sink sink, void *sink_ctx,
			       struct mint_err *err);
/* Takes len bytes of input; compressed bytes reach the sink as blocks
 * complete. After any error every later call returns it again. */
int mint_gzip_writer_write(struct mint_gzip_writer *w, const void *data, size_t len,
			   struct mint_err *err);
/* Compresses what is left, writes the trailer and reports the size of the
 * whole gzip stream (header and trailer included). */
int mint_gzip_writer_finish(struct mint_gzip_writer *w, uint64_t *compressed_bytes,
			    struct mint_err *err);
/* Input bytes taken so far. */
uint64_t mint_gzip_writer_in_bytes(const struct mint_gzip_writer *w);
/* Stops the workers and frees everything; finished or not. NULL is fine. */
void mint_gzip_writer_free(struct mint_gzip_writer *w);

/* One shot: the canonical gzip of data into out (replacing its contents). */
int mint_gzip_compress(const void *data, size_t len, unsigned threads, int level,
		       struct mint_buf *out, struct mint_err *err);

#endif
