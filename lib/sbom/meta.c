/* SPDX-License-Identifier: Apache-2.0 */
/*
 * What the SPDX and CycloneDX writers derive from package metadata in the
 * same way (lib/sbom/writer.h): the SHA-1 inside an apk identity, the name
 * and address in a maintainer field, whether a license field is an SPDX
 * license expression, whether a URL can be written as one, and the names
 * (URIs, UUIDs) documents get from digests instead of from a clock or a
 * random number generator.
 */
#include <stdio.h>
#include <string.h>

#include "mint/encode.h"
#include "mint/hash.h"
#include "mint/oci.h"
#include "writer.h"

bool sbom_identity_sha1_hex(const char *identity, char hex[41])
{
	unsigned char sha1[32];
	size_t n = 0;
	if (!identity || strncmp(identity, "Q1", 2) != 0)
		return false;
	if (mint_base64_decode(mint_span_str(identity + 2), sha1, sizeof(sha1), &n) || n != 20)
		return false;
	mint_hex_encode(sha1, 20, hex);
	return true;
}

static bool is_alnum(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

static bool atext(char c)
{
	return is_alnum(c) || (c && strchr("!#$%&'*+/=?^_`{|}~-", c));
}

/* dot-atom: atoms of atext joined by single dots. */
static bool dot_atom(struct mint_span s)
{
	bool need_atom = true;
	for (size_t i = 0; i < s.len; i++) {
		if (s.ptr[i] == '.' && !need_atom)
			need_atom = true;
		else if (atext(s.ptr[i]))
			need_atom = false;
		else
			return false;
	}
	return !need_atom;
}

static bool domain_label(struct mint_span l)
{
	if (l.len == 0 || l.len > 63 || l.ptr[0] == '-' || l.ptr[l.len - 1] == '-')
		return false;
	for (size_t i = 0; i < l.len; i++)
		if (!is_alnum(l.ptr[i]) && l.ptr[i] != '-')
			return false;
	return true;
}

bool sbom_email_ok(struct mint_span s)
{
	long at = -1;
	for (size_t i = 0; i < s.len; i++)
		if (s.ptr[i] == '@')
			at = (long)i;
	if (at <= 0 || s.len > 254 || (size_t)at > 64 || !dot_atom(MINT_SPAN(s.ptr, (size_t)at)))
		return false;
	struct mint_span rest = mint_span_skip(s, (size_t)at + 1), label;
	size_t labels = 0;
	if (rest.len == 0 || rest.ptr[rest.len - 1] == '.')
		return false;
	while (mint_span_split(&rest, '.', &label)) {
		if (!domain_label(label))
			return false;
		labels++;
	}
	return labels >= 2;
}

void sbom_split_maintainer(const char *maintainer, struct mint_span *name,
			   struct mint_span *email)
{
	struct mint_span m = mint_span_trim(mint_span_str(maintainer ? maintainer : ""));
	*email = MINT_SPAN_NULL;
	*name = m;
	if (m.len < 2 || m.ptr[m.len - 1] != '>')
		return;
	size_t lt = m.len;
	while (lt > 0 && m.ptr[lt - 1] != '<')
		lt--;
	if (lt == 0)
		return;
	struct mint_span addr = MINT_SPAN(m.ptr + lt, m.len - lt - 1);
	*name = mint_span_trim(MINT_SPAN(m.ptr, lt - 1));
	if (sbom_email_ok(addr))
		*email = addr;
}

/* ---- SPDX license expressions ---- */

struct lexer {
	const char *p;
	struct mint_span tok; /* current token; len 0 at the end */
	int depth;
};

static void next_token(struct lexer *lx)
{
	while (*lx->p == ' ' || *lx->p == '\t' || *lx->p == '\n' || *lx->p == '\r')
		lx->p++;
	const char *start = lx->p;
	if (*lx->p == '(' || *lx->p == ')')
		lx->p++;
	else
		while (*lx->p && !strchr(" \t\n\r()", *lx->p))
			lx->p++;
	lx->tok = MINT_SPAN(start, (size_t)(lx->p - start));
}

static bool idstring(struct mint_span s)
{
	if (s.len == 0)
		return false;
	for (size_t i = 0; i < s.len; i++)
		if (!is_alnum(s.ptr[i]) && s.ptr[i] != '.' && s.ptr[i] != '-')
			return false;
	return true;
}

static bool is_operator(struct mint_span t)
{
	return mint_span_eq_str(t, "AND") || mint_span_eq_str(t, "OR") ||
	       mint_span_eq_str(t, "WITH");
}

/* A license id, "id+", or "LicenseRef-idstring". */
static bool license_term(struct mint_span t)
{
	if (is_operator(t) || mint_span_eq_str(t, "NONE") || mint_span_eq_str(t, "NOASSERTION"))
		return false;
	if (mint_span_starts_with(t, "LicenseRef-"))
		return idstring(mint_span_skip(t, 11));
	if (t.len > 1 && t.ptr[t.len - 1] == '+')
		t.len--;
	return idstring(t);
}

static bool parse_or(struct lexer *lx);

static bool parse_primary(struct lexer *lx)
{
	if (mint_span_eq_str(lx->tok, "(")) {
		if (++lx->depth > 64)
			return false;
		next_token(lx);
		if (!parse_or(lx) || !mint_span_eq_str(lx->tok, ")"))
			return false;
		lx->depth--;
		next_token(lx);
		return true;
	}
	if (!license_term(lx->tok))
		return false;
	next_token(lx);
	if (!mint_span_eq_str(lx->tok, "WITH"))
		return true;
	next_token(lx);
	if (is_operator(lx->tok) || !idstring(lx->tok))
		return false;
	next_token(lx);
	return true;
}

static bool parse_and(struct lexer *lx)
{
	if (!parse_primary(lx))
		return false;
	while (mint_span_eq_str(lx->tok, "AND")) {
		next_token(lx);
		if (!parse_primary(lx))
			return false;
	}
	return true;
}

static bool parse_or(struct lexer *lx)
{
	if (!parse_and(lx))
		return false;
	while (mint_span_eq_str(lx->tok, "OR")) {
		next_token(lx);
		if (!parse_and(lx))
			return false;
	}
	return true;
}

bool sbom_license_expr_valid(const char *expr)
{
	struct lexer lx = { .p = expr ? expr : "" };
	next_token(&lx);
	return parse_or(&lx) && lx.tok.len == 0;
}

int sbom_license_refs(const char *expr, int (*fn)(void *ctx, struct mint_span ref), void *ctx)
{
	struct lexer lx = { .p = expr };
	for (next_token(&lx); lx.tok.len; next_token(&lx)) {
		if (!mint_span_starts_with(lx.tok, "LicenseRef-"))
			continue;
		int rc = fn(ctx, lx.tok);
		if (rc)
			return rc;
	}
	return 0;
}

/* ---- URLs, UUIDs and document names ---- */

bool sbom_url_ok(const char *s)
{
	if (!s || (strncmp(s, "https://", 8) != 0 && strncmp(s, "http://", 7) != 0))
		return false;
	const char *host = strstr(s, "://") + 3;
	if (!*host || *host == '/')
		return false;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p <= 0x20 || *p == 0x7f || strchr("<>\"{}|\\^`", *p))
			return false;
		if (*p == '%' && (mint_hex_digit((char)p[1]) < 0 || mint_hex_digit((char)p[2]) < 0))
			return false;
	}
	return true;
}

int sbom_uuid5_url(const char *name, char out[37])
{
	/* RFC 4122 appendix C: the name space for URLs */
	static const unsigned char ns_url[16] = {
		0x6b, 0xa7, 0xb8, 0x11, 0x9d, 0xad, 0x11, 0xd1,
		0x80, 0xb4, 0x00, 0xc0, 0x4f, 0xd4, 0x30, 0xc8,
	};
	struct mint_hash h;
	unsigned char d[MINT_HASH_MAX_BYTES];
	if (mint_hash_init(&h, MINT_HASH_SHA1) || mint_hash_update(&h, ns_url, sizeof(ns_url)) ||
	    mint_hash_update(&h, name, strlen(name)) || mint_hash_final(&h, d)) {
		mint_hash_free(&h);
		return MINT_ENOMEM;
	}
	d[6] = (unsigned char)((d[6] & 0x0f) | 0x50); /* version 5 */
	d[8] = (unsigned char)((d[8] & 0x3f) | 0x80); /* RFC 4122 variant */
	char hex[33];
	mint_hex_encode(d, 16, hex);
	snprintf(out, 37, "%.8s-%.4s-%.4s-%.4s-%.12s", hex, hex + 8, hex + 12, hex + 16, hex + 20);
	return 0;
}

const char *sbom_digest_hex(const char *digest)
{
	return digest && mint_oci_digest_valid(digest) ? digest + 7 : NULL;
}

int sbom_document_uri(const char *format, const char *kind, const char *digest, bool files,
		      struct mint_buf *out, struct mint_err *err)
{
	const char *hex = sbom_digest_hex(digest);
	if (!hex)
		return mint_err_set(err, MINT_EINVAL, "%s digest \"%.80s\" is not sha256:<64 hex>",
				    kind, digest ? digest : "");
	mint_buf_reset(out);
	if (mint_buf_printf(out, "https://mint.invalid/%s/%s/%s%s", format, kind, hex,
			    files ? "/files" : ""))
		return mint_err_set(err, MINT_ENOMEM, "out of memory");
	return 0;
}

void sbom_split_vcs(const char *vcs_url, struct mint_span *url, struct mint_span *commit)
{
	struct mint_span s = mint_span_str(vcs_url ? vcs_url : "");
	*url = s;
	*commit = MINT_SPAN_NULL;
	size_t at = s.len;
	while (at > 0 && s.ptr[at - 1] != '@')
		at--;
	if (at == 0 || at == s.len)
		return;
	for (size_t i = at; i < s.len; i++)
		if (mint_hex_digit(s.ptr[i]) < 0)
			return;
	*url = MINT_SPAN(s.ptr, at - 1);
	*commit = mint_span_skip(s, at);
}
