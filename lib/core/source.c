/* SPDX-License-Identifier: Apache-2.0 */
/* Pull sources (see mint/source.h): the memory source and exact reads. */
#include "mint/source.h"

#include <string.h>

static int span_read(void *ctx, void *buf, size_t cap, size_t *got, struct mint_err *err)
{
	(void)err;
	struct mint_span_source *s = ctx;
	size_t left = s->data.len - s->pos;
	size_t n = cap < left ? cap : left;
	if (n)
		memcpy(buf, s->data.ptr + s->pos, n);
	s->pos += n;
	*got = n;
	return 0;
}

struct mint_source mint_span_source_init(struct mint_span_source *s, struct mint_span data)
{
	s->data = data;
	s->pos = 0;
	return (struct mint_source){ span_read, s };
}

int mint_source_read_full(struct mint_source src, void *buf, size_t len, struct mint_err *err)
{
	char *p = buf;
	while (len) {
		size_t got = 0;
		int rc = src.read(src.ctx, p, len, &got, err);
		if (rc)
			return rc;
		if (!got)
			return mint_err_set(err, MINT_ETRUNCATED, "unexpected end of input");
		p += got;
		len -= got;
	}
	return 0;
}
