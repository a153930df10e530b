/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Fuzzes the image-config parser (include refused, so no file is read).
 * A config that parses must validate, survive the command-line overrides,
 * serialize to JSON that ends in a newline, and merge into an empty config
 * and back out to the same JSON when it has none of the fields apko's
 * MergeInto leaves behind.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "mint/image_config.h"

static void check_json(const struct mint_image_config *cfg, struct mint_buf *out)
{
	if (mint_image_config_to_json(cfg, out))
		return;
	if (!out->len || out->data[out->len - 1] != '\n' || out->data[0] != '{')
		abort();
}

static bool merge_copies_everything(const struct mint_image_config *cfg)
{
	return !cfg->vcs_url && !cfg->include && !cfg->has_layering && !cfg->format &&
	       !cfg->has_certificates && !cfg->contents.has_baseimage;
}

static void check_merge(const struct mint_image_config *cfg, const struct mint_buf *json)
{
	struct mint_image_config copy = { 0 };
	struct mint_buf again = MINT_BUF_INIT;
	if (!mint_image_config_merge_into(cfg, &copy, NULL) && merge_copies_everything(cfg)) {
		check_json(&copy, &again);
		if (again.len && (again.len != json->len || memcmp(again.data, json->data, json->len)))
			abort();
	}
	mint_buf_free(&again);
	mint_image_config_free(&copy);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct mint_image_config cfg;
	struct mint_image_config_opts opts = { .no_include = true, .max_bytes = 64 * 1024 };
	if (mint_image_config_parse(MINT_SPAN(data, size), "fuzz.yaml", &opts, &cfg, NULL))
		return 0;
	if (mint_image_config_validate(&cfg, NULL))
		abort();
	struct mint_buf json = MINT_BUF_INIT;
	check_json(&cfg, &json);
	check_merge(&cfg, &json);
	mint_buf_free(&json);

	const char *pkgs[] = { "extra" }, *archs[] = { "x86_64,armhf" }, *ann[] = { "a.b:c" };
	mint_image_config_append_packages(&cfg, pkgs, 1, NULL);
	mint_image_config_append_keyring(&cfg, pkgs, 1, NULL);
	mint_image_config_set_archs(&cfg, archs, 1, NULL);
	mint_image_config_set_annotations(&cfg, ann, 1, NULL);
	mint_image_config_default_archs(&cfg, NULL);
	mint_image_config_apply_defaults(&cfg, NULL);
	mint_image_config_validate(&cfg, NULL);
	check_json(&cfg, &json);
	mint_buf_free(&json);
	mint_image_config_free(&cfg);
	return 0;
}
