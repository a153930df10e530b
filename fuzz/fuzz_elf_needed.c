/* SPDX-License-Identifier: Apache-2.0 */
/*
 * libFuzzer harness for the DT_NEEDED and PT_INTERP readers package
 * analysis uses: any bytes; every name must be a NUL-free string no longer
 * than the input, and the interpreter must lie inside the input.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "mint/pkg_sca.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct mint_image_strs out = { 0 };
	struct mint_span interp;
	const char *base = (const char *)data;
	if (!mint_elf_needed(MINT_SPAN(data, size), &out, NULL)) {
		for (size_t i = 0; i < out.n; i++)
			if (strlen(out.v[i]) >= size)
				abort();
	}
	for (size_t i = 0; i < out.n; i++)
		free(out.v[i]);
	free(out.v);
	if (!mint_elf_interp(MINT_SPAN(data, size), &interp, NULL) && interp.len &&
	    (interp.ptr < base || interp.ptr + interp.len > base + size))
		abort();
	return 0;
}
