/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Fuzzes the `if:` evaluator, and substitution of the same text first:
 * any bytes give a value or an error, never a crash or a deep recursion.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "mint/pipeline.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct mint_err err;
	struct mint_image_kvs vars = { 0 };
	struct mint_buf out = MINT_BUF_INIT;
	bool v;
	char *text = malloc(size + 1);
	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	mint_pipeline_eval_if(text, &v, &err);
	if (mint_recipe_kvs_set(&vars, "build.arch", "x86_64"))
		abort();
	if (!mint_recipe_subst(text, &vars, size & 1, &out, &err))
		mint_pipeline_eval_if(mint_buf_cstr(&out), &v, &err);
	mint_buf_free(&out);
	mint_recipe_kvs_free(&vars);
	free(text);
	return 0;
}
