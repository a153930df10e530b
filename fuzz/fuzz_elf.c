/* SPDX-License-Identifier: Apache-2.0 */
/*
 * libFuzzer harness for the ELF reader: any bytes, read as a shared object;
 * on success every DT_SONAME reported must lie inside the input.
 */
#include <stdint.h>
#include <stdlib.h>

#include "mint/elf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct mint_elf_sonames e;
	struct mint_span s;
	size_t cursor = 0;
	const char *base = (const char *)data;
	if (mint_elf_soname(MINT_SPAN(data, size), &e, NULL))
		return 0;
	while (mint_elf_soname_next(&e, &cursor, &s)) {
		if (s.ptr < base || s.ptr + s.len >= base + size)
			abort();
	}
	return 0;
}
