/* SPDX-License-Identifier: Apache-2.0 */
/*
 * libFuzzer harness for the image diff. The input is a mode byte, a 4-byte
 * little-endian length n, then n bytes of A and the rest as B:
 *   mode 0: A and B are image tars, opened from memory and diffed (every
 *           difference formatted; an image against itself differs in
 *           nothing);
 *   mode 1: A and B are layer tars, read as file trees and compared (the
 *           image path gates layers behind their digests, so the tree
 *           reader gets bytes of its own here);
 *   mode 2: A and B are JSON documents compared field by field.
 * Trees and differences are bounded small so that a run stays fast.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lib/audit/audit_internal.h"
#include "mint/audit.h"
#include "mint/oci_image.h"

static const struct mint_image_diff_limits limits = {
	.max_entries = 4096, .max_tree_bytes = 1u << 20, .max_differences = 8192,
};

static void format_all(const struct mint_image_diff *d)
{
	struct mint_buf line = MINT_BUF_INIT;
	for (size_t i = 0; i < d->n; i++) {
		if (mint_image_difference_format(&d->v[i], &line))
			break;
		if (strchr(mint_buf_cstr(&line), '\n'))
			abort();
	}
	mint_buf_free(&line);
}

static void diff_images(struct mint_span a, struct mint_span b)
{
	struct mint_oci_image *ia = NULL, *ib = NULL;
	struct mint_image_diff d = { 0 };
	struct mint_err err = { 0 };
	if (mint_oci_image_open_mem(a.ptr, a.len, &ia, &err) ||
	    mint_oci_image_open_mem(b.ptr, b.len, &ib, &err))
		goto out;
	if (!mint_image_diff(ia, ib, &limits, &d, &err))
		format_all(&d);
	mint_image_diff_free(&d);
	if (!mint_image_diff(ia, ia, &limits, &d, &err) && d.n)
		abort();
	mint_image_diff_free(&d);
out:
	mint_oci_image_free(ia);
	mint_oci_image_free(ib);
}

static int read_tree(struct audit_tree *t, struct mint_span bytes)
{
	struct mint_span_source ss;
	struct mint_err err = { 0 };
	audit_tree_init(t, &limits);
	int rc = audit_tree_add_tar(t, mint_span_source_init(&ss, bytes), "layer", &err);
	audit_tree_sort(t);
	return rc;
}

static void diff_trees(struct mint_span a, struct mint_span b)
{
	struct audit_tree ta, tb;
	int ra = read_tree(&ta, a), rb = read_tree(&tb, b);
	if (!ra && !rb) {
		for (size_t i = 1; i < ta.n; i++)
			if (strcmp(ta.v[i - 1].path, ta.v[i].path) >= 0)
				abort();
		for (size_t i = 0; i < ta.n && i < tb.n; i++)
			audit_file_changes(&ta.v[i], &tb.v[i]);
		for (size_t i = 0; i < ta.n; i++)
			if (audit_file_changes(&ta.v[i], &ta.v[i]))
				abort();
	}
	audit_tree_free(&ta);
	audit_tree_free(&tb);
}

static int count(void *ctx, const char *path, const json_t *a, const json_t *b,
		 struct mint_err *err)
{
	(void)path;
	(void)err;
	if (!a && !b)
		abort();
	char *ta = a ? audit_json_text(a) : NULL, *tb = b ? audit_json_text(b) : NULL;
	free(ta);
	free(tb);
	++*(size_t *)ctx;
	return 0;
}

static void diff_documents(struct mint_span a, struct mint_span b)
{
	json_t *ja = json_loadb(a.ptr, a.len, 0, NULL), *jb = json_loadb(b.ptr, b.len, 0, NULL);
	size_t n = 0;
	struct mint_err err = { 0 };
	if (ja && jb) {
		audit_json_diff(ja, jb, count, &n, &err);
		size_t self = 0;
		audit_json_diff(ja, ja, count, &self, &err);
		if (self)
			abort();
	}
	json_decref(ja);
	json_decref(jb);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 5)
		return 0;
	uint32_t n = (uint32_t)data[1] | (uint32_t)data[2] << 8 | (uint32_t)data[3] << 16 |
		     (uint32_t)data[4] << 24;
	size_t rest = size - 5;
	if (n > rest)
		n = (uint32_t)rest;
	struct mint_span a = MINT_SPAN(data + 5, n), b = MINT_SPAN(data + 5 + n, rest - n);
	switch (data[0] % 3) {
	case 0: diff_images(a, b); break;
	case 1: diff_trees(a, b); break;
	default: diff_documents(a, b); break;
	}
	return 0;
}
