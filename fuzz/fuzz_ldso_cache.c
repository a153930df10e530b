/* SPDX-License-Identifier: Apache-2.0 */
/*
 * libFuzzer harness for the ld.so.cache reader: any bytes; every string an
 * entry reports must lie inside the input.
 */
#include <stdint.h>
#include <stdlib.h>

#include "mint/image_rootfs.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int check(void *ctx, const struct mint_image_ldso_entry *e, struct mint_err *err)
{
	const struct mint_span *in = ctx;
	(void)err;
	if (e->key.ptr < in->ptr || e->key.ptr + e->key.len >= in->ptr + in->len ||
	    e->value.ptr < in->ptr || e->value.ptr + e->value.len >= in->ptr + in->len)
		abort();
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct mint_span in = MINT_SPAN(data, size);
	mint_image_ldso_cache_parse(in, check, &in, NULL, NULL);
	return 0;
}
