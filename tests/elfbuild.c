/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Tiny ELF objects for tests. Layout: header, .dynstr, .dynamic (DT_NEEDED
 * entries, DT_SONAME entries, DT_NULL), .shstrtab, then the section headers
 * (null, .dynstr, .dynamic, .shstrtab) and, with an interpreter, its path
 * and a one-entry program header table.
 */
#include "elfbuild.h"

#include <string.h>

static void put(struct mint_buf *b, size_t at, uint64_t v, unsigned size, bool be)
{
	for (unsigned i = 0; i < size; i++) {
		unsigned shift = be ? 8 * (size - 1 - i) : 8 * i;
		b->data[at + i] = (char)((v >> shift) & 0xff);
	}
}

static size_t grow(struct mint_buf *b, size_t len)
{
	size_t at = b->len;
	mint_buf_grow(b, len);
	return at;
}

static void section(struct mint_buf *b, const struct test_elf *s, uint32_t name, uint32_t type,
		    uint64_t off, uint64_t size, uint32_t link)
{
	bool be = s->big_endian;
	size_t at = grow(b, s->is32 ? 40 : 64);
	put(b, at, name, 4, be);
	put(b, at + 4, type, 4, be);
	if (s->is32) {
		put(b, at + 16, off, 4, be);
		put(b, at + 20, size, 4, be);
		put(b, at + 24, link, 4, be);
	} else {
		put(b, at + 24, off, 8, be);
		put(b, at + 32, size, 8, be);
		put(b, at + 40, link, 4, be);
	}
}

static void interp(struct mint_buf *out, const struct test_elf *s)
{
	bool be = s->big_endian;
	size_t path = out->len, len = strlen(s->interp) + 1;
	mint_buf_append(out, s->interp, len);
	size_t ph = grow(out, s->is32 ? 32 : 56);
	put(out, ph, 3, 4, be);
	if (s->is32) {
		put(out, ph + 4, path, 4, be);
		put(out, ph + 16, len, 4, be);
		put(out, 28, ph, 4, be);
		put(out, 42, 32, 2, be);
		put(out, 44, 1, 2, be);
	} else {
		put(out, ph + 8, path, 8, be);
		put(out, ph + 32, len, 8, be);
		put(out, 32, ph, 8, be);
		put(out, 54, 56, 2, be);
		put(out, 56, 1, 2, be);
	}
}

void build_test_elf(const struct test_elf *s, struct mint_buf *out)
{
	static const char shstr[] = "\0.dynstr\0.dynamic\0.shstrtab";
	bool be = s->big_endian;
	unsigned w = s->is32 ? 4 : 8;
	mint_buf_reset(out);
	size_t hdr = grow(out, s->is32 ? 52 : 64);
	memcpy(out->data, "\x7f" "ELF", 4);
	out->data[4] = s->is32 ? 1 : 2;
	out->data[5] = be ? 2 : 1;
	out->data[6] = 1;
	put(out, hdr + 16, s->type ? s->type : 3, 2, be);
	put(out, hdr + 18, s->machine ? s->machine : 62, 2, be);
	put(out, hdr + 20, 1, 4, be);

	size_t dynstr = out->len;
	mint_buf_putc(out, '\0');
	uint64_t offs[16];
	uint64_t tags[16];
	size_t n = 0;
	for (size_t i = 0; i < s->n_needed && i < 8; i++, n++) {
		offs[n] = out->len - dynstr;
		tags[n] = 1;
		mint_buf_append(out, s->needed[i], strlen(s->needed[i]) + 1);
	}
	for (size_t i = 0; i < s->n_sonames && i < 8; i++, n++) {
		offs[n] = out->len - dynstr;
		tags[n] = 14;
		mint_buf_append(out, s->sonames[i], strlen(s->sonames[i]) + 1);
	}
	size_t dynstr_len = out->len - dynstr;
	size_t dynamic = out->len;
	for (size_t i = 0; i <= n; i++) {
		size_t at = grow(out, 2 * w);
		put(out, at, i < n ? tags[i] : 0, w, be);
		put(out, at + w, i < n ? offs[i] : 0, w, be);
	}
	size_t dynamic_len = out->len - dynamic;
	size_t shstrtab = out->len;
	mint_buf_append(out, shstr, sizeof(shstr));

	size_t shoff = out->len;
	section(out, s, 0, 0, 0, 0, 0);
	section(out, s, 1, 3, dynstr, dynstr_len, 0);
	section(out, s, 9, s->no_dynamic ? 1 : 6, dynamic, dynamic_len, 1);
	section(out, s, 18, 3, shstrtab, sizeof(shstr), 0);
	if (s->is32) {
		put(out, hdr + 32, shoff, 4, be);
		put(out, hdr + 46, 40, 2, be);
		put(out, hdr + 48, 4, 2, be);
		put(out, hdr + 50, 3, 2, be);
	} else {
		put(out, hdr + 40, shoff, 8, be);
		put(out, hdr + 58, 64, 2, be);
		put(out, hdr + 60, 4, 2, be);
		put(out, hdr + 62, 3, 2, be);
	}
	if (s->interp)
		interp(out, s);
}
