/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Test-only builder of tiny ELF shared objects: a header, a dynamic section
 * with DT_NEEDED and DT_SONAME entries, its string table, a section name
 * table and, on request, a PT_INTERP program header. Enough
 * for the ELF reader and the ld.so.cache generator, nothing that runs.
 */
#ifndef MINT_TEST_ELFBUILD_H
#define MINT_TEST_ELFBUILD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mint/buf.h"

struct test_elf {
	bool is32;               /* ELFCLASS32 instead of 64 */
	bool big_endian;
	uint16_t type;           /* 0: ET_DYN */
	uint16_t machine;        /* 0: EM_X86_64 */
	const char *const *sonames; /* DT_SONAME strings, in order */
	size_t n_sonames;
	bool no_dynamic;         /* leave the dynamic section out */
	const char *const *needed; /* DT_NEEDED strings, before the SONAMEs */
	size_t n_needed;
	const char *interp;      /* a PT_INTERP path, or NULL for none */
};

/* Builds the object into out (replacing its contents). */
void build_test_elf(const struct test_elf *spec, struct mint_buf *out);

#endif
