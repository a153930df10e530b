/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Fuzzes the melange recipe reader: bytes are parsed as a recipe; one that
 * parses must print as JSON (an object ending in a newline) for two archs
 * and give its variables.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "mint/recipe.h"

static void check_json(const struct mint_recipe *r, const char *arch)
{
	struct mint_buf out = MINT_BUF_INIT;
	if (!mint_recipe_to_json(r, arch, &out, NULL) &&
	    (out.len < 2 || out.data[0] != '{' || out.data[out.len - 1] != '\n'))
		abort();
	mint_buf_free(&out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct mint_recipe r;
	struct mint_err err = { 0 };
	if (!mint_recipe_parse(MINT_SPAN(data, size), "fuzz.yaml", &r, &err)) {
		struct mint_image_kvs vars;
		check_json(&r, "x86_64");
		check_json(&r, "aarch64");
		if (!mint_recipe_vars(&r, "riscv64", &vars, NULL))
			mint_recipe_kvs_free(&vars);
		char *full = mint_recipe_full_version(&r);
		free(full);
	}
	mint_recipe_free(&r);
	return 0;
}
