/* SPDX-License-Identifier: Apache-2.0 */
/* Helpers shared by the image-config unit tests: parse a YAML text as
 * "image.yaml", and get its JSON or its one-line error. */
#ifndef MINT_TEST_IMAGE_CONFIG_FIXTURE_H
#define MINT_TEST_IMAGE_CONFIG_FIXTURE_H

#include "testutil.h"

#include <stdlib.h>
#include <string.h>

#include "mint/image_config.h"

/* Parses yaml; on failure *msg holds "image.yaml:L:C: ..." (1024 bytes). */
static inline int cfg_try(const char *yaml, struct mint_image_config *cfg, char *msg)
{
	struct mint_err err = { 0 };
	struct mint_image_config_opts opts = { .no_include = true };
	int rc = mint_image_config_parse(mint_span_str(yaml), "image.yaml", &opts, cfg, &err);
	msg[0] = '\0';
	if (rc)
		mint_err_format(&err, msg, 1024);
	return rc;
}

static inline void cfg_ok(const char *yaml, struct mint_image_config *cfg)
{
	char msg[1024];
	if (cfg_try(yaml, cfg, msg))
		fail_msg("%s", msg);
}

/* The error text for yaml, which must fail. */
static inline const char *cfg_error(const char *yaml)
{
	static char msg[1024];
	struct mint_image_config cfg;
	if (!cfg_try(yaml, &cfg, msg))
		fail_msg("parsed, but should not have: %s", yaml);
	return msg;
}

/* The JSON of cfg without the final newline, malloc'd. */
static inline char *cfg_json(const struct mint_image_config *cfg)
{
	struct mint_buf b = MINT_BUF_INIT;
	assert_int_equal(mint_image_config_to_json(cfg, &b), 0);
	assert_true(b.len > 0 && b.data[b.len - 1] == '\n');
	b.data[--b.len] = '\0';
	return mint_buf_detach(&b, NULL);
}

static inline bool starts_with(const char *s, const char *prefix)
{
	return !strncmp(s, prefix, strlen(prefix));
}

/* yaml's JSON must be want. */
static inline void assert_cfg_json(const char *yaml, const char *want)
{
	struct mint_image_config cfg;
	cfg_ok(yaml, &cfg);
	char *got = cfg_json(&cfg);
	assert_string_equal(got, want);
	free(got);
	mint_image_config_free(&cfg);
}

#endif
