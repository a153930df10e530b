/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Internal to the SBOM writers (spdx.c, spdx_merge.c, cyclonedx.c): the
 * JSON text writer they share (json_out.c), package URLs (purl.c) and what
 * both formats derive from a package's metadata the same way (meta.c). Not
 * for the collector: it reads an image, these only write documents.
 */
#ifndef MINT_SBOM_WRITER_H
#define MINT_SBOM_WRITER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mint/buf.h"
#include "mint/err.h"
#include "mint/sbom.h"
#include "mint/span.h"

/* ---- json_out.c: JSON as Go's json.MarshalIndent(v, "", "  ") lays it
 * out, strings escaped as Go escapes them with HTML escaping on (<, >, &,
 * U+2028, U+2029 as \u escapes; invalid UTF-8 as \ufffd). Members are
 * written in the order the caller writes them; errors are sticky, so a
 * document is written without checks and sbom_json_end reports. */
struct sbom_json {
	struct mint_buf *out;
	int rc;
	int depth;
	bool empty;     /* the innermost open container has no member yet */
	bool after_key; /* a value is expected for a key just written */
};

/* Resets out and starts a document. */
void sbom_json_begin(struct sbom_json *w, struct mint_buf *out);
void sbom_json_object(struct sbom_json *w);
void sbom_json_array(struct sbom_json *w);
void sbom_json_end_object(struct sbom_json *w);
void sbom_json_end_array(struct sbom_json *w);
void sbom_json_key(struct sbom_json *w, const char *key);
void sbom_json_string(struct sbom_json *w, const char *s);
void sbom_json_string_span(struct sbom_json *w, struct mint_span s);
void sbom_json_uint(struct sbom_json *w, uint64_t v);
void sbom_json_bool(struct sbom_json *w, bool v);
/* "key": "value"; nothing when value is NULL. */
void sbom_json_field(struct sbom_json *w, const char *key, const char *value);
/* Ends the document with a newline; 0 or the first error (MINT_ENOMEM). */
int sbom_json_end(struct sbom_json *w, struct mint_err *err);

/* ---- purl.c ---- */

/* Appends s percent-encoded for a purl component: everything but ASCII
 * letters, digits, '.', '-', '_', '~' and ':' becomes %XX (uppercase hex). */
int sbom_purl_escape(struct mint_buf *out, struct mint_span s);

/* An image repository as purls use it: "registry.example/org/app:tag"
 * gives name "app" and repository_url "registry.example/org/app"; a
 * repository without a registry host ("org/app") has no repository_url. */
struct sbom_repo {
	char name[256];            /* lowercased last path element, or fallback */
	char repository_url[1024]; /* "" when there is none */
};
void sbom_repo_parse(const char *image_name, const char *fallback, struct sbom_repo *r);

/* "pkg:oci/<name>@<digest>?arch=..&mediaType=..&os=..&repository_url=..
 * &variant=..", qualifiers sorted by key, NULL ones left out. Resets out. */
struct sbom_oci_purl {
	const char *name;
	const char *digest;
	const char *arch, *media_type, *os, *repository_url, *variant;
};
int sbom_oci_purl(const struct sbom_oci_purl *p, struct mint_buf *out);

/* ---- meta.c ---- */

/* The SHA-1 that an apk identity "Q1<base64>" carries, as 40 hex digits
 * and a NUL; false when the identity is absent or not of that form. */
bool sbom_identity_sha1_hex(const char *identity, char hex[41]);

/* "Name <mail@example.org>" split into name and e-mail address (either
 * may come back empty). The address is kept only when it is plainly a
 * mailbox: dot-atom local part, '@', a domain of two or more labels. */
void sbom_split_maintainer(const char *maintainer, struct mint_span *name,
			   struct mint_span *email);
bool sbom_email_ok(struct mint_span s);

/* True for an SPDX license expression (SPDX 2.3 Annex D): license ids
 * ([A-Za-z0-9.-]+ with an optional '+'), LicenseRef-<idstring>, AND, OR,
 * WITH <exception id> and parentheses. The id is not checked against the
 * license list. DocumentRef- forms are refused (a document would need an
 * external document reference for them). NONE and NOASSERTION are not
 * expressions: callers handle them. */
bool sbom_license_expr_valid(const char *expr);

/* Calls fn for each LicenseRef-... token of a valid expression. */
int sbom_license_refs(const char *expr, int (*fn)(void *ctx, struct mint_span ref), void *ctx);

/* A URL a reader can follow: scheme "http://" or "https://", then no
 * white space, control characters or characters URIs never hold unescaped
 * (<>"{}|\^`), and every '%' followed by two hex digits. */
bool sbom_url_ok(const char *s);

/* An RFC 4122 name-based UUID (version 5, SHA-1, URL namespace) of name,
 * as 36 characters and a NUL. */
int sbom_uuid5_url(const char *name, char out[37]);

/* The 64 hex digits of a "sha256:<hex>" digest; NULL when it is not one. */
const char *sbom_digest_hex(const char *digest);

/* "https://mint.invalid/<format>/<kind>/<hex>" plus "/files" when the
 * document lists files: the name a document of one image is known by. */
int sbom_document_uri(const char *format, const char *kind, const char *digest, bool files,
		      struct mint_buf *out, struct mint_err *err);

/* The vcs_url of an image, "url@commit" or "url": split where the commit
 * starts (a '@' followed by hex digits only, at the end). */
void sbom_split_vcs(const char *vcs_url, struct mint_span *url, struct mint_span *commit);

#endif
