/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The ELF facts an ld.so.cache needs (type, machine, DT_SONAME), read from
 * untrusted bytes. Every table and section is checked to lie inside the
 * span before it is touched; the checks follow what Go's debug/elf refuses
 * when apko opens a library, so that a file apko skips is skipped here too.
 * The same walk of the dynamic section gives the DT_NEEDED names package
 * builds turn into so: depends (mint_elf_needed, declared in
 * mint/pkg_sca.h), and the program headers give the PT_INTERP path.
 * Not a general ELF reader: symbols, relocations and notes are not looked at.
 */
#include "mint/elf.h"

#include <stdlib.h>
#include <string.h>

#include "mint/pkg_sca.h"

#define EI_NIDENT 16
#define SHT_NULL 0
#define SHT_STRTAB 3
#define SHT_DYNAMIC 6
#define SHT_NOBITS 8
#define SHF_COMPRESSED 0x800
#define SHN_LORESERVE 0xff00
#define SHN_XINDEX 0xffff
#define DT_NEEDED 1
#define DT_SONAME 14
#define PT_INTERP 3

struct elf {
	struct mint_span f;
	bool is64, be;
};

static uint64_t get(const struct elf *e, uint64_t off, unsigned size)
{
	const unsigned char *p = (const unsigned char *)e->f.ptr + off;
	uint64_t v = 0;
	for (unsigned i = 0; i < size; i++) {
		unsigned shift = e->be ? 8 * (size - 1 - i) : 8 * i;
		v |= (uint64_t)p[i] << shift;
	}
	return v;
}

/* A word that is 4 bytes in ELF32 and 8 in ELF64. */
static uint64_t word(const struct elf *e, uint64_t off)
{
	return get(e, off, e->is64 ? 8 : 4);
}

static bool in_file(const struct elf *e, uint64_t off, uint64_t len)
{
	return off <= e->f.len && len <= e->f.len - off;
}

static int bad(struct mint_err *err, uint64_t off, const char *what)
{
	mint_err_set_offset(err, off);
	return mint_err_set(err, MINT_EFORMAT, "ELF: %s", what);
}

struct section {
	uint32_t name, type, link;
	uint64_t flags, offset, size;
};

static void section_at(const struct elf *e, uint64_t off, struct section *s)
{
	s->name = (uint32_t)get(e, off, 4);
	s->type = (uint32_t)get(e, off + 4, 4);
	if (e->is64) {
		s->flags = get(e, off + 8, 8);
		s->offset = get(e, off + 24, 8);
		s->size = get(e, off + 32, 8);
		s->link = (uint32_t)get(e, off + 40, 4);
	} else {
		s->flags = get(e, off + 8, 4);
		s->offset = get(e, off + 16, 4);
		s->size = get(e, off + 20, 4);
		s->link = (uint32_t)get(e, off + 24, 4);
	}
}

struct tables {
	uint64_t shoff, shentsize, shnum, shstrndx;
};

static int read_ident(struct elf *e, struct mint_span file, struct mint_err *err)
{
	const unsigned char *id = (const unsigned char *)file.ptr;
	e->f = file;
	if (file.len < EI_NIDENT) {
		mint_err_set_offset(err, file.len);
		return mint_err_set(err, MINT_ETRUNCATED, "ELF: shorter than its identification");
	}
	if (memcmp(id, "\x7f" "ELF", 4) != 0)
		return bad(err, 0, "no ELF magic");
	if (id[4] != 1 && id[4] != 2)
		return bad(err, 4, "unknown class");
	if (id[5] != 1 && id[5] != 2)
		return bad(err, 5, "unknown data encoding");
	if (id[6] != 1)
		return bad(err, 6, "unknown version");
	e->is64 = id[4] == 2;
	e->be = id[5] == 2;
	if (file.len < (e->is64 ? 64u : 52u)) {
		mint_err_set_offset(err, file.len);
		return mint_err_set(err, MINT_ETRUNCATED, "ELF: shorter than its header");
	}
	if (get(e, 20, 4) != 1)
		return bad(err, 20, "e_version does not match the identification");
	return 0;
}

static int check_phdrs(const struct elf *e, struct mint_err *err)
{
	uint64_t phoff = word(e, e->is64 ? 32 : 28);
	uint64_t at = e->is64 ? 54 : 42;
	uint64_t phentsize = get(e, at, 2), phnum = get(e, at + 2, 2);
	if (!phnum)
		return 0;
	if (phentsize < (e->is64 ? 56u : 32u))
		return bad(err, at, "program header entries too small");
	if (!in_file(e, phoff, phnum * phentsize))
		return bad(err, phoff, "program header table outside the file");
	return 0;
}

/* The section header table, with the extended numbering of large files. */
static int read_tables(const struct elf *e, struct tables *t, struct mint_err *err)
{
	uint64_t at = e->is64 ? 58 : 46;
	t->shoff = word(e, e->is64 ? 40 : 32);
	t->shentsize = get(e, at, 2);
	t->shnum = get(e, at + 2, 2);
	t->shstrndx = get(e, at + 4, 2);
	uint64_t want = e->is64 ? 64 : 40;
	if (t->shoff == 0 && t->shnum != 0)
		return bad(err, at + 2, "sections without a section header table");
	if (t->shoff && t->shnum == 0) {
		struct section s0;
		if (t->shentsize < want || !in_file(e, t->shoff, want))
			return bad(err, t->shoff, "first section header outside the file");
		section_at(e, t->shoff, &s0);
		if (s0.type != SHT_NULL)
			return bad(err, t->shoff, "initial section is not SHT_NULL");
		t->shnum = s0.size;
		if (t->shnum < SHN_LORESERVE)
			return bad(err, t->shoff, "bad section count in the initial section");
		if (t->shstrndx == SHN_XINDEX) {
			t->shstrndx = s0.link;
			if (t->shstrndx < SHN_LORESERVE)
				return bad(err, t->shoff, "bad shstrndx in the initial section");
		}
	}
	if (!t->shnum)
		return 0;
	if (t->shentsize < want)
		return bad(err, at, "section header entries too small");
	if (t->shstrndx >= t->shnum)
		return bad(err, at + 4, "shstrndx past the last section");
	if (t->shnum > e->f.len / t->shentsize || !in_file(e, t->shoff, t->shnum * t->shentsize))
		return bad(err, t->shoff, "section header table outside the file");
	return 0;
}

/* The bytes of s; NOBITS sections have none in the file. */
static int section_data(const struct elf *e, const struct section *s, uint64_t hdr_off,
			struct mint_span *out, struct mint_err *err)
{
	if (s->type == SHT_NOBITS) {
		*out = MINT_SPAN(e->f.ptr, 0);
		return 0;
	}
	if (!in_file(e, s->offset, s->size))
		return bad(err, hdr_off, "section data outside the file");
	*out = MINT_SPAN(e->f.ptr + s->offset, s->size);
	return 0;
}

static bool string_at(struct mint_span tab, uint64_t off, struct mint_span *out)
{
	if (off >= tab.len)
		return false;
	const char *nul = memchr(tab.ptr + off, '\0', tab.len - off);
	if (!nul)
		return false;
	*out = MINT_SPAN(tab.ptr + off, (size_t)(nul - (tab.ptr + off)));
	return true;
}

/* Section names must all resolve, as Go requires when it opens a file. */
static int check_names(const struct elf *e, const struct tables *t, struct mint_err *err)
{
	struct section s;
	struct mint_span names = { 0 }, name;
	uint64_t off = t->shoff + t->shstrndx * t->shentsize;
	if (t->shstrndx == 0)
		return 0;
	section_at(e, off, &s);
	if (s.type != SHT_STRTAB)
		return bad(err, off, "section name table is not SHT_STRTAB");
	int rc = section_data(e, &s, off, &names, err);
	for (uint64_t i = 0; !rc && i < t->shnum; i++) {
		section_at(e, t->shoff + i * t->shentsize, &s);
		if (!string_at(names, s.name, &name))
			rc = bad(err, t->shoff + i * t->shentsize, "bad section name offset");
	}
	return rc;
}

static int find_dynamic(const struct elf *e, const struct tables *t, struct mint_elf_sonames *out,
			struct mint_err *err)
{
	struct section s, str;
	for (uint64_t i = 0; i < t->shnum; i++) {
		uint64_t off = t->shoff + i * t->shentsize;
		section_at(e, off, &s);
		if (s.type != SHT_DYNAMIC)
			continue;
		if (s.flags & SHF_COMPRESSED) {
			mint_err_set_offset(err, off);
			return mint_err_set(err, MINT_EUNSUPPORTED,
					    "ELF: compressed dynamic section");
		}
		int rc = section_data(e, &s, off, &out->dynamic, err);
		if (rc)
			return rc;
		if (out->dynamic.len % (e->is64 ? 16 : 8))
			return bad(err, off, "dynamic section is not a whole number of entries");
		if (s.link == 0 || s.link >= t->shnum)
			return bad(err, off, "dynamic section has no valid string table link");
		uint64_t str_off = t->shoff + s.link * t->shentsize;
		section_at(e, str_off, &str);
		rc = section_data(e, &str, str_off, &out->strtab, err);
		if (rc)
			return rc;
		out->has_dynamic = true;
		return 0;
	}
	return 0;
}

int mint_elf_soname(struct mint_span file, struct mint_elf_sonames *out, struct mint_err *err)
{
	struct elf e;
	struct tables t;
	memset(out, 0, sizeof(*out));
	if (!file.ptr && file.len)
		return mint_err_set(err, MINT_EINVAL, "ELF: no bytes");
	int rc = read_ident(&e, file, err);
	if (!rc)
		rc = check_phdrs(&e, err);
	if (!rc)
		rc = read_tables(&e, &t, err);
	if (!rc && t.shnum)
		rc = check_names(&e, &t, err);
	if (rc)
		return rc;
	out->is64 = e.is64;
	out->big_endian = e.be;
	out->type = (uint16_t)get(&e, 16, 2);
	out->machine = (uint16_t)get(&e, 18, 2);
	rc = t.shnum ? find_dynamic(&e, &t, out, err) : 0;
	if (rc) {
		out->has_dynamic = false;
		out->dynamic = out->strtab = MINT_SPAN_NULL;
	}
	return rc;
}

/* The next string of a tag from *cursor: the walk both DT_SONAME and
 * DT_NEEDED share. Entries after a DT_NULL count, as in Go. */
static bool dyn_next(const struct mint_elf_sonames *s, uint64_t want, size_t *cursor,
		     struct mint_span *str)
{
	struct elf e = { s->dynamic, s->is64, s->big_endian };
	size_t entsize = s->is64 ? 16 : 8;
	if (!s->has_dynamic)
		return false;
	while (*cursor <= s->dynamic.len && s->dynamic.len - *cursor >= entsize) {
		uint64_t tag = word(&e, *cursor);
		uint64_t val = word(&e, *cursor + entsize / 2);
		*cursor += entsize;
		if (tag == want && string_at(s->strtab, val, str))
			return true;
	}
	return false;
}

bool mint_elf_soname_next(const struct mint_elf_sonames *s, size_t *cursor,
			  struct mint_span *soname)
{
	return dyn_next(s, DT_SONAME, cursor, soname);
}

static int push_str(struct mint_image_strs *out, struct mint_span s, struct mint_err *err)
{
	char **v = realloc(out->v, (out->n + 2) * sizeof(*v));
	if (!v)
		return mint_err_set(err, MINT_ENOMEM, "out of memory");
	out->v = v;
	v[out->n] = strndup(s.ptr, s.len);
	if (!v[out->n])
		return mint_err_set(err, MINT_ENOMEM, "out of memory");
	v[++out->n] = NULL;
	return 0;
}

int mint_elf_needed(struct mint_span file, struct mint_image_strs *out, struct mint_err *err)
{
	struct mint_elf_sonames e;
	struct mint_span name;
	size_t cursor = 0;
	int rc = mint_elf_soname(file, &e, err);
	while (!rc && dyn_next(&e, DT_NEEDED, &cursor, &name))
		rc = push_str(out, name, err);
	return rc;
}

int mint_elf_interp(struct mint_span file, struct mint_span *interp, struct mint_err *err)
{
	struct elf e;
	*interp = MINT_SPAN_NULL;
	if (!file.ptr && file.len)
		return mint_err_set(err, MINT_EINVAL, "ELF: no bytes");
	int rc = read_ident(&e, file, err);
	if (!rc)
		rc = check_phdrs(&e, err);
	if (rc)
		return rc;
	uint64_t phoff = word(&e, e.is64 ? 32 : 28);
	uint64_t at = e.is64 ? 54 : 42;
	uint64_t phentsize = get(&e, at, 2), phnum = get(&e, at + 2, 2);
	for (uint64_t i = 0; i < phnum; i++) {
		uint64_t ph = phoff + i * phentsize;
		if (get(&e, ph, 4) != PT_INTERP)
			continue;
		uint64_t off = word(&e, ph + (e.is64 ? 8 : 4));
		uint64_t size = word(&e, ph + (e.is64 ? 32 : 16));
		/* Go reads what there is of it: nothing past the end */
		if (off > file.len)
			off = file.len;
		if (size > file.len - off)
			size = file.len - off;
		struct mint_span s = MINT_SPAN(file.ptr + off, (size_t)size);
		while (s.len && s.ptr[0] == '\0') {
			s.ptr++;
			s.len--;
		}
		while (s.len && s.ptr[s.len - 1] == '\0')
			s.len--;
		*interp = s;
		return 0;
	}
	return 0;
}
