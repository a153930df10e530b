/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Canonical gzip compression (see mint/deflate.h, docs/canonical-gzip.md).
 *
 * libdeflate compresses a whole buffer into a complete raw deflate stream
 * whose last block has BFINAL set; it has no flush and no preset dictionary,
 * so its streams cannot simply be concatenated. Every block except the last
 * is therefore walked once with zlib's inflate(Z_BLOCK), which stops at
 * deflate block boundaries and reports them to the bit. That tells where the
 * piece's final block starts (its BFINAL bit is cleared) and where it ends
 * (an empty stored block goes there; it pads to a byte boundary, so the next
 * piece starts on one). The walk also proves that the piece inflates back to
 * exactly its input.
 *
 * Threads: the calling thread copies input into a ring of block slots and
 * keeps the CRC-32; workers compress queued slots in sequence order; the
 * calling thread hands finished slots to the sink strictly in order. What a
 * slot holds never depends on who compressed it or when.
 */
#include "mint/deflate.h"

#include <libdeflate.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

/* ID1 ID2 CM=deflate FLG=0 MTIME=0 XFL=0 OS=255 (unknown). */
static const unsigned char gzip_header[10] = { 0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff };
/* LEN=0 and NLEN=~0 of the empty stored block that ends a joined piece. */
static const unsigned char empty_stored_len[4] = { 0, 0, 0xff, 0xff };
/* At most one byte for the stored block's 3 header bits, then LEN/NLEN. */
#define JOIN_SLACK 5
#define WALK_SCRATCH_BYTES (64u * 1024u)

/* What one thread needs to compress and walk a block. */
struct engine {
	struct libdeflate_compressor *ld;
	z_stream walk;
	bool walk_ready;
	unsigned char *scratch;
};

enum slot_state { SLOT_FILLING, SLOT_QUEUED, SLOT_DONE };

struct slot {
	unsigned char *in;
	size_t in_len;
	unsigned char *out;
	size_t out_len;
	bool final;
	enum slot_state state;
	int rc;
	struct mint_err err;
};

struct worker {
	struct mint_gzip_writer *w;
	struct engine engine;
	pthread_t tid;
};

struct mint_gzip_writer {
	mint_gzip_sink sink;
	void *sink_ctx;
	int level;
	size_t block_bytes;
	size_t out_cap;
	struct slot *slots;
	size_t n_slots;
	/* Sequence numbers; slot i holds sequence i % n_slots. Everything
	 * below next_fill was submitted. */
	uint64_t next_fill;
	uint64_t next_take;
	uint64_t next_emit;
	struct engine inline_engine; /* used when there are no workers */
	struct worker *workers;
	size_t n_engines;  /* workers[] entries with an engine set up */
	size_t n_workers;  /* threads running */
	pthread_mutex_t mu;
	pthread_cond_t work_cv, done_cv;
	bool stop;
	uint32_t crc;
	uint64_t in_total;
	uint64_t out_total;
	bool header_done;
	bool finished;
	int failed;
	struct mint_err failed_err;
};

static int engine_init(struct engine *e, int level, struct mint_err *err)
{
	memset(e, 0, sizeof(*e));
	e->ld = libdeflate_alloc_compressor(level);
	e->scratch = malloc(WALK_SCRATCH_BYTES);
	if (!e->ld || !e->scratch)
		return mint_err_set(err, MINT_ENOMEM, "out of memory for a compressor");
	if (inflateInit2(&e->walk, -15) != Z_OK)
		return mint_err_set(err, MINT_ENOMEM, "zlib could not start inflating");
	e->walk_ready = true;
	return 0;
}

static void engine_free(struct engine *e)
{
	if (e->ld)
		libdeflate_free_compressor(e->ld);
	if (e->walk_ready)
		inflateEnd(&e->walk);
	free(e->scratch);
	memset(e, 0, sizeof(*e));
}

/* Finds, by inflating it, the bit where the final block of the raw deflate
 * stream in[0..n) starts and the bit just after its end-of-block code. */
static int find_final_block(struct engine *e, const unsigned char *in, size_t n,
			    size_t want_out, uint64_t *start, uint64_t *end, struct mint_err *err)
{
	z_stream *z = &e->walk;
	if (inflateReset(z) != Z_OK)
		return mint_err_set(err, MINT_ENOMEM, "zlib could not restart inflating");
	z->next_in = (Bytef *)(uintptr_t)in;
	z->avail_in = (uInt)n;
	uint64_t block = 0;
	for (;;) {
		z->next_out = e->scratch;
		z->avail_out = WALK_SCRATCH_BYTES;
		int zrc = inflate(z, Z_BLOCK);
		if (zrc != Z_OK)
			return mint_err_set(err, MINT_EFORMAT,
					    "compressed block does not inflate (zlib %d)", zrc);
		if (!(z->data_type & 128))
			continue;
		uint64_t pos = (uint64_t)(n - z->avail_in) * 8 - (unsigned)(z->data_type & 7);
		if (z->data_type & 64) {
			*start = block;
			*end = pos;
			break;
		}
		block = pos;
	}
	if (z->total_out != want_out || *end + 8 <= (uint64_t)n * 8)
		return mint_err_set(err, MINT_EFORMAT,
				    "compressed block inflates to %lu bytes, not %zu",
				    (unsigned long)z->total_out, want_out);
	return 0;
}

/* Turns the complete stream in s->out[0..n) into a piece that ends on a byte
 * boundary without a final block: BFINAL cleared, empty stored block added. */
static int make_joinable(struct engine *e, struct slot *s, size_t n, struct mint_err *err)
{
	uint64_t start = 0, end = 0;
	int rc = find_final_block(e, s->out, n, s->in_len, &start, &end, err);
	if (rc)
		return rc;
	unsigned char *o = s->out;
	memset(o + n, 0, JOIN_SLACK);
	o[start / 8] &= (unsigned char)~(1u << (start % 8));
	/* Bits from end on become the stored block's header: BFINAL=0, BTYPE=00. */
	o[end / 8] &= (unsigned char)((1u << (end % 8)) - 1);
	size_t len = (size_t)((end + 3 + 7) / 8);
	memcpy(o + len, empty_stored_len, sizeof(empty_stored_len));
	s->out_len = len + sizeof(empty_stored_len);
	return 0;
}

static int compress_slot(struct engine *e, struct slot *s, size_t out_cap, struct mint_err *err)
{
	size_t n = libdeflate_deflate_compress(e->ld, s->in, s->in_len, s->out,
					       out_cap - JOIN_SLACK);
	if (!n)
		return mint_err_set(err, MINT_EFORMAT,
				    "libdeflate output for a %zu-byte block exceeds its bound",
				    s->in_len);
	if (s->final) {
		s->out_len = n;
		return 0;
	}
	return make_joinable(e, s, n, err);
}

static struct slot *slot_of(struct mint_gzip_writer *w, uint64_t seq)
{
	return &w->slots[seq % w->n_slots];
}

static void *worker_main(void *arg)
{
	struct worker *wk = arg;
	struct mint_gzip_writer *w = wk->w;
	pthread_mutex_lock(&w->mu);
	for (;;) {
		while (!w->stop && w->next_take == w->next_fill)
			pthread_cond_wait(&w->work_cv, &w->mu);
		if (w->stop)
			break;
		struct slot *s = slot_of(w, w->next_take++);
		pthread_mutex_unlock(&w->mu);
		mint_err_clear(&s->err);
		s->rc = compress_slot(&wk->engine, s, w->out_cap, &s->err);
		pthread_mutex_lock(&w->mu);
		s->state = SLOT_DONE;
		pthread_cond_broadcast(&w->done_cv);
	}
	pthread_mutex_unlock(&w->mu);
	return NULL;
}

static void stop_workers(struct mint_gzip_writer *w)
{
	pthread_mutex_lock(&w->mu);
	w->stop = true;
	pthread_cond_broadcast(&w->work_cv);
	pthread_mutex_unlock(&w->mu);
	for (size_t i = 0; i < w->n_workers; i++)
		pthread_join(w->workers[i].tid, NULL);
	w->n_workers = 0;
}

static int start_workers(struct mint_gzip_writer *w, unsigned threads, struct mint_err *err)
{
	w->workers = calloc(threads, sizeof(*w->workers));
	if (!w->workers)
		return mint_err_set(err, MINT_ENOMEM, "out of memory for compression threads");
	for (size_t i = 0; i < threads; i++) {
		w->workers[i].w = w;
		w->n_engines++;
		int rc = engine_init(&w->workers[i].engine, w->level, err);
		if (rc)
			return rc;
	}
	for (size_t i = 0; i < threads; i++) {
		int e = pthread_create(&w->workers[i].tid, NULL, worker_main, &w->workers[i]);
		if (e)
			return mint_err_set(err, MINT_ENOMEM, "cannot start a compression thread: %s",
					    strerror(e));
		w->n_workers++;
	}
	return 0;
}

static int alloc_slots(struct mint_gzip_writer *w, struct mint_err *err)
{
	w->slots = calloc(w->n_slots, sizeof(*w->slots));
	if (!w->slots)
		return mint_err_set(err, MINT_ENOMEM, "out of memory for compression buffers");
	w->out_cap = libdeflate_deflate_compress_bound(NULL, w->block_bytes) + JOIN_SLACK;
	for (size_t i = 0; i < w->n_slots; i++) {
		w->slots[i].in = malloc(w->block_bytes);
		w->slots[i].out = malloc(w->out_cap);
		if (!w->slots[i].in || !w->slots[i].out)
			return mint_err_set(err, MINT_ENOMEM, "out of memory for compression buffers");
	}
	return 0;
}

static unsigned resolve_threads(unsigned threads)
{
	if (threads)
		return threads;
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);
	if (cpus < 1)
		return 1;
	return cpus > MINT_GZIP_MAX_THREADS ? MINT_GZIP_MAX_THREADS : (unsigned)cpus;
}

int mint_gzip_writer_new(struct mint_gzip_writer **out, unsigned threads, int level,
			 mint_gzip_sink sink, void *sink_ctx, struct mint_err *err)
{
	return mint_gzip_writer_new_sized(out, threads, level, MINT_GZIP_BLOCK_BYTES, sink, sink_ctx,
					  err);
}

int mint_gzip_writer_new_sized(struct mint_gzip_writer **out, unsigned threads, int level,
			       size_t block_bytes, mint_gzip_sink sink, void *sink_ctx,
			       struct mint_err *err)
{
	*out = NULL;
	if (block_bytes < 1 || block_bytes > MINT_GZIP_MAX_BLOCK_BYTES)
		return mint_err_set(err, MINT_EINVAL, "block size %zu is not in 1..%u", block_bytes,
				    MINT_GZIP_MAX_BLOCK_BYTES);
	if (level < 0 || level > MINT_GZIP_MAX_LEVEL)
		return mint_err_set(err, MINT_EINVAL, "compression level %d is not in 0..%d",
				    level, MINT_GZIP_MAX_LEVEL);
	if (threads > MINT_GZIP_MAX_THREADS)
		return mint_err_set(err, MINT_EINVAL, "%u compression threads is more than %d",
				    threads, MINT_GZIP_MAX_THREADS);
	if (!sink)
		return mint_err_set(err, MINT_EINVAL, "a gzip writer needs a sink");
	threads = resolve_threads(threads);
	struct mint_gzip_writer *w = calloc(1, sizeof(*w));
	if (!w)
		return mint_err_set(err, MINT_ENOMEM, "out of memory for a gzip writer");
	w->sink = sink;
	w->sink_ctx = sink_ctx;
	w->level = level;
	w->block_bytes = block_bytes;
	w->n_slots = threads == 1 ? 1 : 2 * (size_t)threads;
	pthread_mutex_init(&w->mu, NULL);
	pthread_cond_init(&w->work_cv, NULL);
	pthread_cond_init(&w->done_cv, NULL);
	int rc = alloc_slots(w, err);
	if (!rc && threads == 1)
		rc = engine_init(&w->inline_engine, level, err);
	else if (!rc)
		rc = start_workers(w, threads, err);
	if (rc) {
		mint_gzip_writer_free(w);
		return rc;
	}
	*out = w;
	return 0;
}

/* Records the first failure; later calls report it again. */
static int fail(struct mint_gzip_writer *w, int rc, const struct mint_err *err)
{
	if (!w->failed) {
		w->failed = rc;
		if (err)
			w->failed_err = *err;
		else
			mint_err_set(&w->failed_err, rc, "%s", mint_strerror(rc));
	}
	return rc;
}

static int repeat_failure(const struct mint_gzip_writer *w, struct mint_err *err)
{
	if (err)
		*err = w->failed_err;
	return w->failed;
}

static void submit(struct mint_gzip_writer *w)
{
	struct slot *s = slot_of(w, w->next_fill);
	if (!w->n_workers) {
		mint_err_clear(&s->err);
		s->rc = compress_slot(&w->inline_engine, s, w->out_cap, &s->err);
		s->state = SLOT_DONE;
		w->next_fill++;
		return;
	}
	pthread_mutex_lock(&w->mu);
	s->state = SLOT_QUEUED;
	w->next_fill++;
	pthread_cond_signal(&w->work_cv);
	pthread_mutex_unlock(&w->mu);
}

static bool head_done(struct mint_gzip_writer *w, bool wait)
{
	struct slot *s = slot_of(w, w->next_emit);
	if (!w->n_workers)
		return s->state == SLOT_DONE;
	pthread_mutex_lock(&w->mu);
	while (wait && s->state != SLOT_DONE)
		pthread_cond_wait(&w->done_cv, &w->mu);
	bool done = s->state == SLOT_DONE;
	pthread_mutex_unlock(&w->mu);
	return done;
}

static int to_sink(struct mint_gzip_writer *w, const void *data, size_t len, struct mint_err *err)
{
	int rc = w->sink(w->sink_ctx, data, len, err);
	if (rc)
		return rc;
	w->out_total += len;
	return 0;
}

/* Hands the oldest submitted slot (compressed by now) to the sink. */
static int emit_head(struct mint_gzip_writer *w, struct mint_err *err)
{
	struct slot *s = slot_of(w, w->next_emit);
	if (s->rc) {
		if (err)
			*err = s->err;
		return s->rc;
	}
	int rc = 0;
	if (!w->header_done) {
		rc = to_sink(w, gzip_header, sizeof(gzip_header), err);
		w->header_done = true;
	}
	if (!rc)
		rc = to_sink(w, s->out, s->out_len, err);
	s->state = SLOT_FILLING;
	w->next_emit++;
	return rc;
}

/* Emits what is ready, and waits until the slot for next_fill is free. */
static int make_room(struct mint_gzip_writer *w, struct mint_err *err)
{
	while (w->next_emit < w->next_fill) {
		bool ring_full = w->next_fill - w->next_emit >= w->n_slots;
		if (!head_done(w, ring_full))
			break;
		int rc = emit_head(w, err);
		if (rc)
			return rc;
	}
	struct slot *s = slot_of(w, w->next_fill);
	s->in_len = 0;
	s->final = false;
	s->state = SLOT_FILLING;
	return 0;
}

int mint_gzip_writer_write(struct mint_gzip_writer *w, const void *data, size_t len,
			   struct mint_err *err)
{
	if (w->failed)
		return repeat_failure(w, err);
	if (w->finished)
		return mint_err_set(err, MINT_EINVAL, "write after the gzip stream was finished");
	const unsigned char *p = data;
	w->crc = libdeflate_crc32(w->crc, p, len);
	w->in_total += len;
	while (len) {
		struct slot *s = slot_of(w, w->next_fill);
		size_t take = w->block_bytes - s->in_len;
		if (take > len)
			take = len;
		memcpy(s->in + s->in_len, p, take);
		s->in_len += take;
		p += take;
		len -= take;
		if (s->in_len < w->block_bytes)
			break;
		submit(w);
		int rc = make_room(w, err);
		if (rc)
			return fail(w, rc, err);
	}
	return 0;
}

static void put_le32(unsigned char *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (unsigned char)(v >> (8 * i));
}

int mint_gzip_writer_finish(struct mint_gzip_writer *w, uint64_t *compressed_bytes,
			    struct mint_err *err)
{
	if (w->failed)
		return repeat_failure(w, err);
	if (w->finished)
		return mint_err_set(err, MINT_EINVAL, "the gzip stream was already finished");
	slot_of(w, w->next_fill)->final = true;
	submit(w);
	while (w->next_emit < w->next_fill) {
		head_done(w, true);
		int rc = emit_head(w, err);
		if (rc)
			return fail(w, rc, err);
	}
	unsigned char trailer[8];
	put_le32(trailer, w->crc);
	put_le32(trailer + 4, (uint32_t)w->in_total);
	int rc = to_sink(w, trailer, sizeof(trailer), err);
	if (rc)
		return fail(w, rc, err);
	w->finished = true;
	if (compressed_bytes)
		*compressed_bytes = w->out_total;
	return 0;
}

uint64_t mint_gzip_writer_in_bytes(const struct mint_gzip_writer *w)
{
	return w->in_total;
}

void mint_gzip_writer_free(struct mint_gzip_writer *w)
{
	if (!w)
		return;
	stop_workers(w);
	for (size_t i = 0; i < w->n_engines; i++)
		engine_free(&w->workers[i].engine);
	free(w->workers);
	engine_free(&w->inline_engine);
	for (size_t i = 0; w->slots && i < w->n_slots; i++) {
		free(w->slots[i].in);
		free(w->slots[i].out);
	}
	free(w->slots);
	pthread_cond_destroy(&w->work_cv);
	pthread_cond_destroy(&w->done_cv);
	pthread_mutex_destroy(&w->mu);
	free(w);
}

static int buf_sink(void *ctx, const void *data, size_t len, struct mint_err *err)
{
	if (mint_buf_append(ctx, data, len))
		return mint_err_set(err, MINT_ENOMEM, "out of memory for compressed output");
	return 0;
}

int mint_gzip_compress(const void *data, size_t len, unsigned threads, int level,
		       struct mint_buf *out, struct mint_err *err)
{
	mint_buf_reset(out);
	struct mint_gzip_writer *w;
	int rc = mint_gzip_writer_new(&w, threads, level, buf_sink, out, err);
	if (rc)
		return rc;
	rc = mint_gzip_writer_write(w, data, len, err);
	if (!rc)
		rc = mint_gzip_writer_finish(w, NULL, err);
	mint_gzip_writer_free(w);
	return rc;
}
