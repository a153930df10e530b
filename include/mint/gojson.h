/* SPDX-License-Identifier: Apache-2.0 */
/*
 * JSON strings the way Go's encoding/json writes them (with its default
 * HTML escaping), because apko's files (locks, SBOMs, /etc/apko.json) are
 * Go's bytes and ours must match them: ", \ and \b \f \n \r \t escaped
 * short, other control bytes and <, >, & as \u00XX (lowercase hex),
 * U+2028 and U+2029 as \u2028 / \u2029, each byte that is not part of
 * valid UTF-8 (overlong forms, surrogates and values above U+10FFFF
 * included) as \ufffd; everything else as it is.
 */
#ifndef MINT_GOJSON_H
#define MINT_GOJSON_H

#include <stddef.h>

#include "mint/buf.h"

/* Appends s[0..n) as a quoted JSON string. 0 or MINT_ENOMEM. */
int mint_gojson_quote(struct mint_buf *out, const void *s, size_t n);

#endif
