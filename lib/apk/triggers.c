/* SPDX-License-Identifier: Apache-2.0 */
/* The installed triggers file, lib/apk/db/triggers (see mint/apk_triggers.h). */
#include "mint/apk_triggers.h"

#include <stdlib.h>
#include <string.h>

static bool next_line(struct mint_span *rest, struct mint_span *line)
{
	if (!rest->len)
		return false;
	long at = mint_span_find(*rest, '\n');
	size_t len = at < 0 ? rest->len : (size_t)at;
	*line = MINT_SPAN(rest->ptr, len);
	*rest = mint_span_skip(*rest, at < 0 ? len : len + 1);
	return true;
}

static int fail_at(struct mint_err *err, int code, unsigned line, size_t column, const char *what)
{
	mint_err_set(err, code, "%s", what);
	mint_err_set_pos(err, line, (unsigned)column);
	return code;
}

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
	struct mint_span rest = line, id, glob;
	memset(t, 0, sizeof(*t));
	mint_span_split(&rest, ' ', &id);
	if (!(t->identity = mint_span_dup(id)))
		return MINT_ENOMEM;
	while (mint_span_split(&rest, ' ', &glob)) {
		if (glob.len && mint_strlist_add(&t->globs, glob.ptr, glob.len))
			return MINT_ENOMEM;
	}
	return 0;
}

static int add_line(struct mint_apk_triggers *t, size_t *cap, struct mint_span line,
		    unsigned lineno, struct mint_err *err)
{
	long space = mint_span_find(line, ' ');
	if (!valid_identity(MINT_SPAN(line.ptr, space < 0 ? line.len : (size_t)space)))
		return fail_at(err, MINT_EFORMAT, lineno, 1,
			       "expected a package identity (Q1...) at the start of the line");
	if (t->n == *cap) {
		size_t ncap = *cap ? *cap * 2 : 16;
		struct mint_apk_trigger *items = realloc(t->items, ncap * sizeof(*items));
		if (!items)
			return mint_err_set(err, MINT_ENOMEM, "out of memory");
		t->items = items;
		*cap = ncap;
	}
	int rc = parse_trigger(line, &t->items[t->n]);
	if (rc) {
		free_trigger(&t->items[t->n]);
		return mint_err_set(err, rc, "out of memory");
	}
	t->n++;
	return 0;
}

int mint_apk_triggers_parse(struct mint_span text, struct mint_apk_triggers *out,
			    struct mint_err *err)
{
	struct mint_apk_triggers t = { 0 };
	struct mint_span rest = text, line;
	size_t cap = 0;
	unsigned lineno = 0;
	int rc = 0;

	memset(out, 0, sizeof(*out));
	while (next_line(&rest, &line)) {
		lineno++;
		const char *nul = memchr(line.ptr, '\0', line.len);
		if (nul) {
			rc = fail_at(err, MINT_EFORMAT, lineno, (size_t)(nul - line.ptr) + 1,
				     "NUL byte in text");
			goto out;
		}
		if (!line.len)
			continue;
		rc = add_line(&t, &cap, line, lineno, err);
		if (rc)
			goto out;
	}
out:
	if (rc)
		mint_apk_triggers_free(&t);
	else
		*out = t;
	return rc;
}

static bool valid_word(const char *s)
{
	return s && s[0] && !strpbrk(s, " \n");
}

static int put_trigger(struct mint_buf *out, const struct mint_apk_trigger *t)
{
	if (!valid_word(t->identity))
		return MINT_EINVAL;
	if (mint_buf_puts(out, t->identity))
		return MINT_ENOMEM;
	for (size_t i = 0; i < t->globs.n; i++) {
		if (!valid_word(t->globs.items[i]))
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
	if (rc && out->data) {
		out->len = start;
		out->data[start] = '\0';
	}
	return rc;
}

void mint_apk_triggers_free(struct mint_apk_triggers *t)
{
	for (size_t i = 0; i < t->n; i++)
		free_trigger(&t->items[i]);
	free(t->items);
	memset(t, 0, sizeof(*t));
}
