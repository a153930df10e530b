/* SPDX-License-Identifier: Apache-2.0 */
/*
 * One gzip member at a time (see mint/gzip.h). zlib is opened with
 * windowBits 15+16, which accepts only a gzip wrapper and stops with
 * Z_STREAM_END after the member's trailer; the bytes after it are never
 * touched, so mint_gunzip_consumed() is the member's exact compressed size.
 * This file does not compress.
 */
#include "mint/gzip.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

/* Output handed out per inflate() call: small enough that the limits are
 * checked often while a bomb is being inflated. */
#define GZIP_OUT_STEP (256u * 1024u)

struct gunzip_state {
	z_stream zs;
	size_t fed;  /* bytes of g->in handed to zlib so far */
	int failed;  /* first error code, repeated by later reads */
};

static size_t consumed_bytes(const struct gunzip_state *st)
{
	return st->fed - st->zs.avail_in;
}

int mint_gunzip_init(struct mint_gunzip *g, struct mint_span in,
		     const struct mint_gzip_limits *limits, struct mint_err *err)
{
	memset(g, 0, sizeof(*g));
	g->in = in;
	if (limits)
		g->limits = *limits;
	struct gunzip_state *st = calloc(1, sizeof(*st));
	if (!st)
		return mint_err_set(err, MINT_ENOMEM, "out of memory for a gzip reader");
	if (inflateInit2(&st->zs, 15 + 16) != Z_OK) {
		free(st);
		return mint_err_set(err, MINT_ENOMEM, "zlib could not start inflating");
	}
	g->z = st;
	return 0;
}

/* zlib counts input in uInt, so a span larger than that is fed in pieces. */
static void refill_input(struct gunzip_state *st, struct mint_span in)
{
	if (st->zs.avail_in || st->fed == in.len)
		return;
	size_t n = in.len - st->fed;
	if (n > UINT_MAX)
		n = UINT_MAX;
	st->zs.next_in = (Bytef *)(uintptr_t)(in.ptr + st->fed);
	st->zs.avail_in = (uInt)n;
	st->fed += n;
}

static int fail(struct mint_gunzip *g, struct mint_err *err, int code, uint64_t offset)
{
	struct gunzip_state *st = g->z;
	st->failed = code;
	mint_err_set_offset(err, offset);
	return code;
}

/* Says which part of the member zlib rejected; the offset points at the
 * trailer field for CRC and length mismatches. */
static int data_error(struct mint_gunzip *g, struct mint_err *err)
{
	struct gunzip_state *st = g->z;
	const char *zmsg = st->zs.msg ? st->zs.msg : "invalid data";
	size_t at = consumed_bytes(st);
	size_t field = at >= 4 ? at - 4 : 0;
	if (!strcmp(zmsg, "incorrect data check")) {
		mint_err_set(err, MINT_EFORMAT,
			     "gzip trailer: CRC-32 does not match the inflated data");
		return fail(g, err, MINT_EFORMAT, field);
	}
	if (!strcmp(zmsg, "incorrect length check")) {
		mint_err_set(err, MINT_EFORMAT,
			     "gzip trailer: length does not match the inflated size");
		return fail(g, err, MINT_EFORMAT, field);
	}
	if (!strcmp(zmsg, "incorrect header check") || !strcmp(zmsg, "unknown compression method") ||
	    !strcmp(zmsg, "unknown header flags set") || !strcmp(zmsg, "header crc mismatch")) {
		mint_err_set(err, MINT_EFORMAT, "bad gzip header: %s", zmsg);
		return fail(g, err, MINT_EFORMAT, at);
	}
	mint_err_set(err, MINT_EFORMAT, "corrupt gzip data: %s", zmsg);
	return fail(g, err, MINT_EFORMAT, at);
}

static int check_limits(struct mint_gunzip *g, struct mint_err *err)
{
	struct gunzip_state *st = g->z;
	uint64_t in_bytes = consumed_bytes(st);
	uint64_t cap = g->limits.max_output_bytes;
	uint64_t ratio = g->limits.max_ratio;
	if (cap && g->out_total > cap) {
		mint_err_set(err, MINT_ELIMIT,
			     "gzip member inflates to more than the limit of %llu bytes",
			     (unsigned long long)cap);
		return fail(g, err, MINT_ELIMIT, in_bytes);
	}
	if (ratio && g->out_total > MINT_GZIP_RATIO_GRACE && in_bytes <= UINT64_MAX / ratio &&
	    g->out_total > ratio * in_bytes) {
		mint_err_set(err, MINT_ELIMIT,
			     "gzip member inflates more than %llu:1 (%llu bytes from %llu)",
			     (unsigned long long)ratio, (unsigned long long)g->out_total,
			     (unsigned long long)in_bytes);
		return fail(g, err, MINT_ELIMIT, in_bytes);
	}
	return 0;
}

/* How much output to ask zlib for: at most one byte past the output cap, so
 * that exceeding it is noticed without inflating further. */
static size_t output_step(const struct mint_gunzip *g, size_t cap)
{
	size_t want = cap < GZIP_OUT_STEP ? cap : GZIP_OUT_STEP;
	uint64_t max = g->limits.max_output_bytes;
	if (max) {
		uint64_t room = g->out_total < max ? max - g->out_total : 0;
		if (room + 1 < want)
			want = (size_t)room + 1;
	}
	return want;
}

int mint_gunzip_read(struct mint_gunzip *g, void *buf, size_t cap, size_t *got,
		     struct mint_err *err)
{
	struct gunzip_state *st = g->z;
	*got = 0;
	if (!st)
		return mint_err_set(err, MINT_EINVAL, "gzip reader is not initialised");
	if (st->failed)
		return mint_err_set(err, st->failed, "gzip member already failed");
	if (g->done)
		return 0;
	if (!cap)
		return mint_err_set(err, MINT_EINVAL, "gzip read with an empty buffer");
	size_t want = output_step(g, cap);
	for (;;) {
		refill_input(st, g->in);
		st->zs.next_out = buf;
		st->zs.avail_out = (uInt)want;
		int zrc = inflate(&st->zs, Z_NO_FLUSH);
		size_t n = want - st->zs.avail_out;
		g->out_total += n;
		if (zrc == Z_DATA_ERROR || zrc == Z_NEED_DICT)
			return data_error(g, err);
		if (zrc == Z_MEM_ERROR) {
			mint_err_set(err, MINT_ENOMEM, "out of memory while inflating");
			return fail(g, err, MINT_ENOMEM, consumed_bytes(st));
		}
		if (zrc != Z_OK && zrc != Z_STREAM_END && zrc != Z_BUF_ERROR) {
			mint_err_set(err, MINT_EINVAL, "zlib stream error");
			return fail(g, err, MINT_EINVAL, consumed_bytes(st));
		}
		int rc = check_limits(g, err);
		if (rc)
			return rc;
		if (zrc == Z_STREAM_END)
			g->done = true;
		if (n || g->done) {
			*got = n;
			return 0;
		}
		if (!st->zs.avail_in && st->fed == g->in.len) {
			mint_err_set(err, MINT_ETRUNCATED,
				     "input ends inside a gzip member (%zu bytes read)", g->in.len);
			return fail(g, err, MINT_ETRUNCATED, g->in.len);
		}
	}
}

size_t mint_gunzip_consumed(const struct mint_gunzip *g)
{
	return g->z ? consumed_bytes(g->z) : 0;
}

void mint_gunzip_free(struct mint_gunzip *g)
{
	struct gunzip_state *st = g->z;
	if (!st)
		return;
	inflateEnd(&st->zs);
	free(st);
	g->z = NULL;
}

static int gunzip_source_read(void *ctx, void *buf, size_t cap, size_t *got,
			      struct mint_err *err)
{
	return mint_gunzip_read(ctx, buf, cap, got, err);
}

struct mint_source mint_gunzip_source(struct mint_gunzip *g)
{
	return (struct mint_source){ gunzip_source_read, g };
}

int mint_gunzip_member(struct mint_span in, const struct mint_gzip_limits *limits,
		       struct mint_buf *out, size_t *member_size, struct mint_err *err)
{
	struct mint_gunzip g;
	int rc = mint_gunzip_init(&g, in, limits, err);
	if (rc)
		return rc;
	mint_buf_reset(out);
	/* Start small (most members are a few KiB) and let the buffer double. */
	size_t step = 16 * 1024;
	for (;;) {
		if (out->cap - out->len < 4096 && step < GZIP_OUT_STEP)
			step *= 2;
		if (mint_buf_reserve(out, step)) {
			rc = mint_err_set(err, MINT_ENOMEM, "out of memory for inflated data");
			goto out;
		}
		size_t got = 0;
		rc = mint_gunzip_read(&g, out->data + out->len, out->cap - out->len - 1, &got, err);
		out->data[out->len + got] = '\0';
		if (rc)
			goto out;
		if (!got)
			break;
		out->len += got;
	}
	if (member_size)
		*member_size = mint_gunzip_consumed(&g);
out:
	mint_gunzip_free(&g);
	return rc;
}
