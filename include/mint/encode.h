/* SPDX-License-Identifier: Apache-2.0 */
/* Hex and standard base64 (with padding), both strict on decode. */
#ifndef MINT_ENCODE_H
#define MINT_ENCODE_H

#include <stddef.h>

#include "mint/span.h"

/* The value of one hex digit (either case), or -1. */
int mint_hex_digit(char c);

/* Writes 2*len lowercase hex digits and a NUL into out. */
void mint_hex_encode(const unsigned char *in, size_t len, char *out);
/* Accepts upper- or lowercase; even length only. Returns 0 or MINT_EFORMAT
 * (also when the result does not fit cap). */
int mint_hex_decode(struct mint_span in, unsigned char *out, size_t cap, size_t *out_len);

/* Bytes needed for the text of len input bytes, including the NUL. */
size_t mint_base64_size(size_t len);
void mint_base64_encode(const unsigned char *in, size_t len, char *out);
/* Strict: length a multiple of 4, padding only at the end, no white space. */
int mint_base64_decode(struct mint_span in, unsigned char *out, size_t cap, size_t *out_len);

#endif
