/* SPDX-License-Identifier: Apache-2.0 */
/* Line splitting, errors and field helpers of the apk text formats (see textfmt.h). */
#include "textfmt.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Takes the next line (without its '\n') off *rest; false once rest is empty. */
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

int apk_text_each_line(struct mint_span text, apk_text_line_fn fn, void *ctx,
		       struct mint_err *err)
{
	struct mint_span rest = text, line;
	unsigned lineno = 0;
	while (next_line(&rest, &line)) {
		int rc = fn(ctx, line, ++lineno, err);
		if (rc)
			return rc;
	}
	return 0;
}

int apk_text_fail_at(struct mint_err *err, int code, unsigned line, size_t column,
		     const char *fmt, ...)
{
	char msg[MINT_ERR_MSG_MAX];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	mint_err_set(err, code, "%s", msg);
	mint_err_set_pos(err, line, (unsigned)column);
	return code;
}

int apk_text_reject_nul(struct mint_span line, unsigned lineno, struct mint_err *err)
{
	const char *nul = memchr(line.ptr, '\0', line.len);
	if (!nul)
		return 0;
	return apk_text_fail_at(err, MINT_EFORMAT, lineno, (size_t)(nul - line.ptr) + 1,
				"NUL byte in text");
}

int apk_text_set_string(char **field, struct mint_span value)
{
	char *copy = mint_span_dup(value);
	if (!copy)
		return MINT_ENOMEM;
	free(*field);
	*field = copy;
	return 0;
}

int apk_text_add_items(struct mint_strlist *list, struct mint_span value)
{
	struct mint_span item;
	while (mint_span_split(&value, ' ', &item)) {
		if (item.len && mint_strlist_add(list, item.ptr, item.len))
			return MINT_ENOMEM;
	}
	return 0;
}

int apk_text_to_u64(struct mint_span value, const char *key, uint64_t *out,
		    struct mint_err *err)
{
	if (!mint_span_to_u64(value, out))
		return mint_err_set(err, MINT_EFORMAT, "%s: \"%.*s\" is not a decimal number",
				    key, value.len > 40 ? 40 : (int)value.len, value.ptr);
	return 0;
}

bool apk_text_valid_value(const char *s)
{
	return !strchr(s, '\n');
}

bool apk_text_valid_word(const char *s)
{
	return s && s[0] && !strpbrk(s, " \n");
}

int apk_text_put_field(struct mint_buf *out, char letter, const char *value)
{
	if (!apk_text_valid_value(value))
		return MINT_EINVAL;
	char head[2] = { letter, ':' };
	if (mint_buf_append(out, head, 2) || mint_buf_puts(out, value) || mint_buf_putc(out, '\n'))
		return MINT_ENOMEM;
	return 0;
}

int apk_text_put_optional(struct mint_buf *out, char letter, const char *value)
{
	return value ? apk_text_put_field(out, letter, value) : 0;
}

int apk_text_put_number(struct mint_buf *out, char letter, bool present, uint64_t v)
{
	char num[24];
	if (!present)
		return 0;
	snprintf(num, sizeof(num), "%llu", (unsigned long long)v);
	return apk_text_put_field(out, letter, num);
}

int apk_text_put_list(struct mint_buf *out, char letter, const struct mint_strlist *l)
{
	char head[2] = { letter, ':' };
	if (!l->n)
		return 0;
	if (mint_buf_append(out, head, 2))
		return MINT_ENOMEM;
	for (size_t i = 0; i < l->n; i++) {
		const char *item = l->items[i];
		if (!apk_text_valid_word(item))
			return MINT_EINVAL;
		if ((i && mint_buf_putc(out, ' ')) || mint_buf_puts(out, item))
			return MINT_ENOMEM;
	}
	return mint_buf_putc(out, '\n');
}

int apk_text_rollback(struct mint_buf *out, size_t start, int rc)
{
	if (rc && out->data) {
		out->len = start;
		out->data[start] = '\0';
	}
	return rc;
}
