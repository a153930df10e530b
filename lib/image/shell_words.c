/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Splitting `entrypoint.command` and `cmd` into words the way apko does
 * (github.com/google/shlex): blanks separate words; single quotes keep
 * everything literally; inside double quotes a backslash escapes the next
 * character; outside quotes a backslash escapes the next character; a '#'
 * at the start of a word starts a comment to the end of the line. An
 * unterminated quote or a trailing backslash is an error.
 */
#include "mint/image_build.h"

#include <stdlib.h>
#include <string.h>

static bool blank(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static int push_word(struct mint_image_strs *out, struct mint_buf *w, struct mint_err *err)
{
	char **v = realloc(out->v, (out->n + 2) * sizeof(*v));
	if (!v)
		return mint_err_set(err, MINT_ENOMEM, "out of memory");
	out->v = v;
	v[out->n] = strdup(mint_buf_cstr(w));
	if (!v[out->n])
		return mint_err_set(err, MINT_ENOMEM, "out of memory");
	v[++out->n] = NULL;
	mint_buf_reset(w);
	return 0;
}

/* Appends the quoted part starting after the opening quote at s[*i]. */
static int quoted(const char *s, size_t *i, char quote, struct mint_buf *w, struct mint_err *err)
{
	size_t start = *i;
	for ((*i)++; s[*i] && s[*i] != quote; (*i)++) {
		if (quote == '"' && s[*i] == '\\' && s[*i + 1])
			(*i)++;
		if (mint_buf_putc(w, s[*i]))
			return mint_err_set(err, MINT_ENOMEM, "out of memory");
	}
	if (!s[*i]) {
		mint_err_set_offset(err, start);
		return mint_err_set(err, MINT_EFORMAT, "unterminated %c quote", quote);
	}
	return 0;
}

int mint_shell_split(const char *s, struct mint_image_strs *out, struct mint_err *err)
{
	struct mint_buf w = MINT_BUF_INIT;
	bool in_word = false;
	int rc = 0;
	memset(out, 0, sizeof(*out));
	for (size_t i = 0; !rc && s[i]; i++) {
		char c = s[i];
		if (blank(c)) {
			if (in_word)
				rc = push_word(out, &w, err);
			in_word = false;
		} else if (c == '#' && !in_word) {
			while (s[i + 1] && s[i + 1] != '\n')
				i++;
		} else if (c == '\'' || c == '"') {
			in_word = true;
			rc = quoted(s, &i, c, &w, err);
		} else if (c == '\\') {
			if (!s[i + 1]) {
				mint_err_set_offset(err, i);
				rc = mint_err_set(err, MINT_EFORMAT, "a backslash ends the command");
			} else {
				in_word = true;
				rc = mint_buf_putc(&w, s[++i]) ? MINT_ENOMEM : 0;
			}
		} else {
			in_word = true;
			rc = mint_buf_putc(&w, c) ? mint_err_set(err, MINT_ENOMEM, "out of memory") : 0;
		}
	}
	if (!rc && in_word)
		rc = push_word(out, &w, err);
	mint_buf_free(&w);
	if (rc) {
		for (size_t i = 0; i < out->n; i++)
			free(out->v[i]);
		free(out->v);
		memset(out, 0, sizeof(*out));
	}
	return rc;
}
