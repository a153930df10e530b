/* SPDX-License-Identifier: Apache-2.0 */
/* libFuzzer harness for the gzip member reader: inflates member after member
 * with small limits, the way apk files are split. */
#include <stddef.h>
#include <stdint.h>

#include "mint/gzip.h"

static void inflate_member(struct mint_gunzip *g)
{
	char buf[777];
	size_t got;
	struct mint_err err = { 0 };
	while (!mint_gunzip_read(g, buf, sizeof(buf), &got, &err) && got)
		;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct mint_gzip_limits limits = { .max_output_bytes = (1 << 20) + (1 << 18), .max_ratio = 50 };
	struct mint_span rest = MINT_SPAN(data, size);
	while (rest.len) {
		struct mint_gunzip g;
		struct mint_err err = { 0 };
		if (mint_gunzip_init(&g, rest, &limits, &err))
			break;
		inflate_member(&g);
		bool done = g.done;
		size_t used = mint_gunzip_consumed(&g);
		mint_gunzip_free(&g);
		if (!done || used == 0 || used > rest.len)
			break;
		rest = mint_span_skip(rest, used);
	}
	struct mint_buf out = MINT_BUF_INIT;
	struct mint_err err = { 0 };
	size_t member = 0;
	if (!mint_gunzip_member(MINT_SPAN(data, size), &limits, &out, &member, &err) &&
	    (member == 0 || member > size))
		__builtin_trap();
	mint_buf_free(&out);
	return 0;
}
