/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A bounded reader of the few ELF facts an image build needs: the object
 * type, the machine and the DT_SONAME strings of the dynamic section. Input
 * is untrusted bytes: every offset and size is checked against the span, and
 * nothing is allocated. ELF32 and ELF64, little and big endian.
 *
 * Like Go's debug/elf (which apko uses), the dynamic section is found
 * through the section headers (the first SHT_DYNAMIC), its strings through
 * that section's sh_link, and every DT_SONAME entry is reported, also those
 * after a DT_NULL. Program headers are only checked to lie inside the file.
 */
#ifndef MINT_ELF_H
#define MINT_ELF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mint/err.h"
#include "mint/span.h"

#define MINT_ELF_ET_DYN 3
#define MINT_ELF_EM_X86_64 62
#define MINT_ELF_EM_AARCH64 183

struct mint_elf_sonames {
	bool is64;               /* ELFCLASS64 */
	bool big_endian;         /* ELFDATA2MSB */
	uint16_t type;           /* e_type: MINT_ELF_ET_DYN for shared objects */
	uint16_t machine;        /* e_machine */
	bool has_dynamic;        /* an SHT_DYNAMIC section exists */
	struct mint_span dynamic; /* its entries (a whole number of them) */
	struct mint_span strtab; /* the string table its sh_link names */
};

/* Checks the header, the program and section header tables and, when there
 * is one, the dynamic section and its string table. MINT_EFORMAT (with the
 * offset of what is wrong) or MINT_ETRUNCATED when the bytes are not such an
 * ELF file, MINT_EUNSUPPORTED for a compressed dynamic section. */
int mint_elf_soname(struct mint_span file, struct mint_elf_sonames *out, struct mint_err *err);

/* The next DT_SONAME string from *cursor (start at 0); false at the end.
 * Entries whose string offset is outside the table or has no NUL after it
 * are skipped, as Go skips them. */
bool mint_elf_soname_next(const struct mint_elf_sonames *e, size_t *cursor,
			  struct mint_span *soname);

#endif
