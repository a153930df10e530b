/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Fuzzes mint_shell_split (entrypoint.command and cmd). The input up to its
 * first NUL is the command. A split that fails must say where (an offset
 * inside the command) and return no words; one that succeeds must give a
 * NULL-terminated list of words no longer than the command, and quoting
 * each word in single quotes (a ' as '\'') and splitting the result again
 * must give the same words.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "mint/image_build.h"

static void free_words(struct mint_image_strs *w)
{
	for (size_t i = 0; i < w->n; i++)
		free(w->v[i]);
	free(w->v);
}

static void quote_words(const struct mint_image_strs *w, struct mint_buf *out)
{
	for (size_t i = 0; i < w->n; i++) {
		if (i && mint_buf_putc(out, ' '))
			abort();
		if (mint_buf_putc(out, '\''))
			abort();
		for (const char *c = w->v[i]; *c; c++)
			if (*c == '\'' ? mint_buf_puts(out, "'\\''") : mint_buf_putc(out, *c))
				abort();
		if (mint_buf_putc(out, '\''))
			abort();
	}
	if (!mint_buf_cstr(out))
		abort();
}

static void check_requoted(const struct mint_image_strs *w)
{
	struct mint_buf quoted = MINT_BUF_INIT;
	struct mint_image_strs again;
	quote_words(w, &quoted);
	if (mint_shell_split(mint_buf_cstr(&quoted), &again, NULL))
		abort();
	if (again.n != w->n)
		abort();
	for (size_t i = 0; i < w->n; i++)
		if (strcmp(again.v[i], w->v[i]))
			abort();
	free_words(&again);
	mint_buf_free(&quoted);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);
	if (!s)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	size_t len = strlen(s);
	struct mint_image_strs w;
	struct mint_err err = { 0 };
	int rc = mint_shell_split(s, &w, &err);
	if (rc) {
		if (rc != MINT_EFORMAT || !err.has_offset || err.offset >= len || w.v || w.n)
			abort();
	} else {
		if (w.n && (!w.v || w.v[w.n]))
			abort();
		for (size_t i = 0; i < w.n; i++)
			if (strlen(w.v[i]) > len)
				abort();
		check_requoted(&w);
		free_words(&w);
	}
	free(s);
	return 0;
}
