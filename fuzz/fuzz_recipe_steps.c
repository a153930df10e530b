/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Fuzzes the step reader and the expander: YAML with a `pipeline:` is read
 * as steps, expanded with fixed variables against the built-in pipelines,
 * and the needs are collected. The same bytes are also read as a pipeline
 * file. Nothing may crash, leak or read out of bounds.
 */
#include <stdint.h>
#include <stdlib.h>

#include "lib/recipe/pipeline_internal.h"
#include "mint/pipeline.h"
#include "mint/yaml.h"

static const struct mint_yaml_limits limits = { 64 * 1024, 32, 4096 };

static void expand(const struct mint_recipe_step *steps, size_t n)
{
	static const char *const kv[][2] = {
		{ "build.arch", "x86_64" },
		{ "host.triplet.gnu", "x86_64-pc-linux-gnu" },
		{ "package.name", "p" },
		{ "package.version", "1.0" },
		{ "targets.contextdir", "/home/build/melange-out/p-dev" },
		{ "targets.destdir", "/home/build/melange-out/p" },
	};
	struct mint_image_kvs vars = { 0 };
	struct mint_build_steps out;
	struct mint_image_strs needs = { 0 };
	struct mint_err err;
	for (size_t i = 0; i < sizeof(kv) / sizeof(kv[0]); i++)
		if (mint_recipe_kvs_set(&vars, kv[i][0], kv[i][1]))
			abort();
	if (!mint_pipeline_expand(NULL, steps, n, &vars, &out, &err))
		mint_build_steps_free(&out);
	mint_pipeline_needs(NULL, steps, n, &needs, &err);
	for (size_t i = 0; i < needs.n; i++)
		free(needs.v[i]);
	free(needs.v);
	mint_recipe_kvs_free(&vars);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct mint_yaml_doc doc;
	struct mint_err err;
	struct mint_recipe_step *steps;
	size_t n;
	struct mint_pipeline_def def;
	if (!mint_pipeline_def_parse(MINT_SPAN(data, size), "p.yaml", "p", &def, &err))
		mint_pipeline_def_free(&def);
	if (mint_yaml_parse(MINT_SPAN(data, size), "fuzz.yaml", &limits, &doc, &err))
		return 0;
	if (doc.root && !mint_recipe_parse_steps(&doc, mint_yaml_map_get(doc.root, "pipeline"),
						 "pipeline", &steps, &n, &err)) {
		expand(steps, n);
		mint_recipe_steps_free(steps, n);
	}
	mint_yaml_doc_free(&doc);
	return 0;
}
