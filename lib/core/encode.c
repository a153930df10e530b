/* SPDX-License-Identifier: Apache-2.0 */
/* Hex and base64. Base64 goes through OpenSSL; padding is checked here because
 * EVP_DecodeBlock counts pad bytes as output. */
#include "mint/encode.h"

#include <openssl/evp.h>
#include <stdlib.h>

#include "mint/err.h"

void mint_hex_encode(const unsigned char *in, size_t len, char *out)
{
	static const char digits[] = "0123456789abcdef";
	for (size_t i = 0; i < len; i++) {
		out[2 * i] = digits[in[i] >> 4];
		out[2 * i + 1] = digits[in[i] & 15];
	}
	out[2 * len] = '\0';
}

int mint_hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

int mint_hex_decode(struct mint_span in, unsigned char *out, size_t cap, size_t *out_len)
{
	if (in.len % 2 || in.len / 2 > cap)
		return MINT_EFORMAT;
	for (size_t i = 0; i < in.len / 2; i++) {
		int hi = mint_hex_digit(in.ptr[2 * i]), lo = mint_hex_digit(in.ptr[2 * i + 1]);
		if (hi < 0 || lo < 0)
			return MINT_EFORMAT;
		out[i] = (unsigned char)(hi << 4 | lo);
	}
	if (out_len)
		*out_len = in.len / 2;
	return 0;
}

size_t mint_base64_size(size_t len)
{
	return (len + 2) / 3 * 4 + 1;
}

void mint_base64_encode(const unsigned char *in, size_t len, char *out)
{
	if (!len) {
		out[0] = '\0';
		return;
	}
	EVP_EncodeBlock((unsigned char *)out, in, (int)len);
}

static bool is_b64_char(char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
	       c == '+' || c == '/';
}

int mint_base64_decode(struct mint_span in, unsigned char *out, size_t cap, size_t *out_len)
{
	if (in.len % 4 || in.len > (size_t)INT32_MAX)
		return MINT_EFORMAT;
	size_t pad = 0;
	while (pad < 2 && pad < in.len && in.ptr[in.len - 1 - pad] == '=')
		pad++;
	for (size_t i = 0; i < in.len - pad; i++)
		if (!is_b64_char(in.ptr[i]))
			return MINT_EFORMAT;
	size_t n = in.len / 4 * 3 - pad;
	if (n > cap)
		return MINT_EFORMAT;
	if (!in.len) {
		if (out_len)
			*out_len = 0;
		return 0;
	}
	unsigned char *tmp = malloc(in.len / 4 * 3 + 1);
	if (!tmp)
		return MINT_ENOMEM;
	int got = EVP_DecodeBlock(tmp, (const unsigned char *)in.ptr, (int)in.len);
	int rc = got < 0 ? MINT_EFORMAT : 0;
	if (!rc) {
		for (size_t i = 0; i < n; i++)
			out[i] = tmp[i];
		if (out_len)
			*out_len = n;
	}
	free(tmp);
	return rc;
}
