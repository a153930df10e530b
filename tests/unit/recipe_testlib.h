/* SPDX-License-Identifier: Apache-2.0 */
/* Helpers the recipe unit tests share: parse text, expect success or an
 * error code with a message holding some words. */
#ifndef RECIPE_TESTLIB_H
#define RECIPE_TESTLIB_H

#include "testutil.h"

#include <stdio.h>
#include <string.h>

#include "mint/recipe.h"

static inline void recipe_ok(const char *text, struct mint_recipe *r)
{
	struct mint_err err = { 0 };
	assert_ok(mint_recipe_parse(mint_span_str(text), "r.yaml", r, &err), &err);
}

/* Parses text, expects code, and returns the formatted message. */
static inline const char *recipe_fails(const char *text, int code)
{
	static char msg[1024];
	struct mint_recipe r;
	struct mint_err err = { 0 };
	int rc = mint_recipe_parse(mint_span_str(text), "r.yaml", &r, &err);
	mint_recipe_free(&r);
	mint_err_format(&err, msg, sizeof(msg));
	if (rc != code)
		fail_msg("want %d, got %d: %s", code, rc, msg);
	return msg;
}

static inline void assert_contains(const char *hay, const char *needle)
{
	if (!strstr(hay, needle))
		fail_msg("\"%s\" does not contain \"%s\"", hay, needle);
}

#define PKG "package:\n  name: hello\n  version: 1.2.3\n  epoch: 2\n"

#endif
