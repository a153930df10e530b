/* SPDX-License-Identifier: Apache-2.0 */
/* The installed triggers file, lib/apk/db/triggers (see mint/apk_triggers.h). */
#include "mint/apk_triggers.h"

#include <stdlib.h>
#include <string.h>

#include "textfmt.h"

static bool valid_identity(struct mint_span id)
{
	return id.len > 2 && (id.ptr[0] == 'Q' || id.ptr[0] == 'X') &&
	       (id.ptr[1] == '1' || id.ptr[1] == '2');
}

static void free_trigger(struct mint_apk_trigger *t)
{
	free(t->identity);
	mint_strlist_free(&t->globs);
}

static int parse_trigger(struct mint_span line, struct mint_apk_trigger *t)
{
	struct mint_span rest = line, id;
	memset(t, 0, sizeof(*t));
	mint_span_split(&rest, ' ', &id);
	if (!(t->identity = mint_span_dup(id)))
		return MINT_ENOMEM;
	return apk_text_add_items(&t->globs, rest);
}

struct triggers_reader {
	struct mint_apk_triggers t;
	size_t cap;
};

static int add_line(struct triggers_reader *r, struct mint_span line, unsigned lineno,
		    struct mint_err *err)
{
	struct mint_apk_triggers *t = &r->t;
	long space = mint_span_find(line, ' ');
	if (!valid_identity(MINT_SPAN(line.ptr, space < 0 ? line.len : (size_t)space)))
		return apk_text_fail_at(err, MINT_EFORMAT, lineno, 1,
					"expected a package identity (Q1...) at the start of the line");
	if (t->n == r->cap) {
		size_t ncap = r->cap ? r->cap * 2 : 16;
		struct mint_apk_trigger *items = realloc(t->items, ncap * sizeof(*items));
		if (!items)
			return mint_err_set(err, MINT_ENOMEM, "out of memory");
		t->items = items;
		r->cap = ncap;
	}
	int rc = parse_trigger(line, &t->items[t->n]);
	if (rc) {
		free_trigger(&t->items[t->n]);
		return mint_err_set(err, rc, "out of memory");
	}
	t->n++;
	return 0;
}

static int read_line(void *ctx, struct mint_span line, unsigned lineno, struct mint_err *err)
{
	int rc = apk_text_reject_nul(line, lineno, err);
	if (rc || !line.len)
		return rc;
	return add_line(ctx, line, lineno, err);
}

int mint_apk_triggers_parse(struct mint_span text, struct mint_apk_triggers *out,
			    struct mint_err *err)
{
	struct triggers_reader r = { 0 };

	memset(out, 0, sizeof(*out));
	int rc = apk_text_each_line(text, read_line, &r, err);
	if (rc)
		mint_apk_triggers_free(&r.t);
	else
		*out = r.t;
	return rc;
}

static int put_trigger(struct mint_buf *out, const struct mint_apk_trigger *t)
{
	if (!apk_text_valid_word(t->identity))
		return MINT_EINVAL;
	if (mint_buf_puts(out, t->identity))
		return MINT_ENOMEM;
	for (size_t i = 0; i < t->globs.n; i++) {
		if (!apk_text_valid_word(t->globs.items[i]))
			return MINT_EINVAL;
		if (mint_buf_putc(out, ' ') || mint_buf_puts(out, t->globs.items[i]))
			return MINT_ENOMEM;
	}
	return mint_buf_putc(out, '\n');
}

int mint_apk_triggers_write(const struct mint_apk_triggers *t, struct mint_buf *out)
{
	size_t start = out->len;
	int rc = 0;
	for (size_t i = 0; i < t->n && !rc; i++)
		rc = put_trigger(out, &t->items[i]);
	return apk_text_rollback(out, start, rc);
}

void mint_apk_triggers_free(struct mint_apk_triggers *t)
{
	for (size_t i = 0; i < t->n; i++)
		free_trigger(&t->items[i]);
	free(t->items);
	memset(t, 0, sizeof(*t));
}
