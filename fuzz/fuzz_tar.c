/* SPDX-License-Identifier: Apache-2.0 */
/*
 * libFuzzer harness for the tar reader, in both end modes with small limits.
 * Every entry read is also written back with the tar writer and read again:
 * what the writer accepts must come back unchanged.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "mint/buf.h"
#include "mint/tar.h"

static int buf_sink(void *ctx, const void *data, size_t len, struct mint_err *err)
{
	(void)err;
	return mint_buf_append(ctx, data, len);
}

static bool same_str(const char *a, const char *b)
{
	return (!a && !b) || (a && b && !strcmp(a, b));
}

static bool same_entry(const struct mint_tar_entry *a, const struct mint_tar_entry *b)
{
	if (!same_str(a->name, b->name) || !same_str(a->link_target, b->link_target) ||
	    a->type != b->type || a->mode != b->mode || a->uid != b->uid || a->gid != b->gid ||
	    strcmp(a->uname, b->uname) || strcmp(a->gname, b->gname) || a->size != b->size ||
	    a->mtime != b->mtime || a->devmajor != b->devmajor || a->devminor != b->devminor ||
	    a->has_apk_sha1 != b->has_apk_sha1 || a->n_xattrs != b->n_xattrs)
		return false;
	if (a->has_apk_sha1 && memcmp(a->apk_sha1, b->apk_sha1, 20))
		return false;
	for (size_t i = 0; i < a->n_xattrs; i++) {
		const struct mint_xattr *x = &a->xattrs[i], *y = &b->xattrs[i];
		if (strcmp(x->name, y->name) || x->value_len != y->value_len ||
		    (x->value_len && memcmp(x->value, y->value, x->value_len)))
			return false;
	}
	return true;
}

/* Writes e with its content and checks that reading it back gives e again. */
static void round_trip(const struct mint_tar_entry *e, const struct mint_buf *content)
{
	struct mint_buf out = MINT_BUF_INIT;
	struct mint_err err = { 0 };
	struct mint_tar_writer w = { .sink = buf_sink, .ctx = &out };
	if (mint_tar_write_entry(&w, e, content->data, &err))
		goto out;
	struct mint_span_source ss;
	struct mint_tar_reader *r = NULL;
	const struct mint_tar_entry *back = NULL;
	if (mint_tar_reader_new(&r, mint_span_source_init(&ss, mint_buf_span(&out)), NULL,
				MINT_TAR_END_OPTIONAL, &err) ||
	    mint_tar_next(r, &back, &err) != 1 || !same_entry(e, back))
		__builtin_trap();
	mint_tar_reader_free(r);
out:
	mint_buf_free(&out);
}

static void read_all(const uint8_t *data, size_t size, enum mint_tar_end end)
{
	struct mint_tar_limits limits = { .max_name_bytes = 300, .max_pax_bytes = 4096,
					  .max_entry_bytes = 1 << 16 };
	struct mint_span_source ss;
	struct mint_tar_reader *r = NULL;
	struct mint_err err = { 0 };
	struct mint_buf content = MINT_BUF_INIT;
	const struct mint_tar_entry *e;
	if (mint_tar_reader_new(&r, mint_span_source_init(&ss, MINT_SPAN(data, size)), &limits,
				end, &err))
		return;
	while (mint_tar_next(r, &e, &err) == 1) {
		char buf[333];
		size_t got;
		int rc;
		mint_buf_reset(&content);
		while (!(rc = mint_tar_read(r, buf, sizeof(buf), &got, &err)) && got)
			mint_buf_append(&content, buf, got);
		if (rc)
			break;
		if (content.len != e->size)
			__builtin_trap();
		round_trip(e, &content);
	}
	if (mint_tar_offset(r) > size)
		__builtin_trap();
	mint_tar_reader_free(r);
	mint_buf_free(&content);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	read_all(data, size, MINT_TAR_END_REQUIRED);
	read_all(data, size, MINT_TAR_END_OPTIONAL);
	return 0;
}
