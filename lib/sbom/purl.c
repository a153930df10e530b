/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Package URLs (purls) for SBOMs: pkg:apk for installed packages and
 * pkg:oci for images, layers and indexes, with the percent-encoding the
 * purl specification asks for. Qualifiers are written sorted by key, so
 * that the same inputs always give the same string. apko's purls are the
 * model: the same qualifiers (arch, mediaType, os, repository_url) and the
 * digest as the version with its ':' left as is.
 */
#include <string.h>

#include "writer.h"

static bool purl_safe(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '.' || c == '-' || c == '_' || c == '~' || c == ':';
}

int sbom_purl_escape(struct mint_buf *out, struct mint_span s)
{
	static const char hex[] = "0123456789ABCDEF";
	for (size_t i = 0; i < s.len; i++) {
		unsigned char c = (unsigned char)s.ptr[i];
		char esc[3] = { '%', hex[c >> 4], hex[c & 15] };
		int rc = purl_safe(c) ? mint_buf_putc(out, (char)c) : mint_buf_append(out, esc, 3);
		if (rc)
			return rc;
	}
	return 0;
}

/* Type, namespace and name are case-insensitive for apk: lowercase. */
static int escape_lower(struct mint_buf *out, const char *s)
{
	for (; *s; s++) {
		char c = (*s >= 'A' && *s <= 'Z') ? (char)(*s - 'A' + 'a') : *s;
		int rc = sbom_purl_escape(out, MINT_SPAN(&c, 1));
		if (rc)
			return rc;
	}
	return 0;
}

int mint_sbom_apk_purl(const struct mint_sbom_image *img, const struct mint_sbom_package *p,
		       struct mint_buf *out)
{
	const char *ns = img->os.present && img->os.id && *img->os.id ? img->os.id : "unknown";
	const char *arch = p->info.arch && *p->info.arch ? p->info.arch : img->apk_arch;
	mint_buf_reset(out);
	if (!p->info.name || !*p->info.name || !p->info.version || !*p->info.version)
		return MINT_EINVAL;
	int rc = mint_buf_puts(out, "pkg:apk/");
	if (!rc)
		rc = escape_lower(out, ns);
	if (!rc)
		rc = mint_buf_putc(out, '/');
	if (!rc)
		rc = escape_lower(out, p->info.name);
	if (!rc)
		rc = mint_buf_putc(out, '@');
	if (!rc)
		rc = sbom_purl_escape(out, mint_span_str(p->info.version));
	if (!rc && arch && *arch) {
		rc = mint_buf_puts(out, "?arch=");
		if (!rc)
			rc = sbom_purl_escape(out, mint_span_str(arch));
	}
	return rc;
}

/* Copies s (at most cap - 1 bytes) into out, lowercased. */
static void copy_lower(char *out, size_t cap, struct mint_span s)
{
	size_t n = s.len < cap - 1 ? s.len : cap - 1;
	for (size_t i = 0; i < n; i++)
		out[i] = (s.ptr[i] >= 'A' && s.ptr[i] <= 'Z') ? (char)(s.ptr[i] - 'A' + 'a') : s.ptr[i];
	out[n] = '\0';
}

/* A first path element names a registry host when it has a '.' or a ':'
 * (a port), or is localhost: the rule container references use. */
static bool is_registry(struct mint_span first)
{
	return mint_span_find(first, '.') >= 0 || mint_span_find(first, ':') >= 0 ||
	       mint_span_eq_str(first, "localhost");
}

void sbom_repo_parse(const char *image_name, const char *fallback, struct sbom_repo *r)
{
	struct mint_span repo = mint_span_str(image_name ? image_name : "");
	long at = mint_span_find(repo, '@');
	if (at >= 0)
		repo.len = (size_t)at;
	size_t slash = 0;
	for (size_t i = 0; i < repo.len; i++)
		if (repo.ptr[i] == '/')
			slash = i + 1;
	long colon = mint_span_find(mint_span_skip(repo, slash), ':');
	if (colon >= 0)
		repo.len = slash + (size_t)colon;
	struct mint_span last = mint_span_skip(repo, slash);
	struct mint_span first = repo;
	long first_slash = mint_span_find(repo, '/');
	first.len = first_slash >= 0 ? (size_t)first_slash : repo.len;

	copy_lower(r->name, sizeof(r->name), last.len ? last : mint_span_str(fallback));
	r->repository_url[0] = '\0';
	if (first_slash >= 0 && is_registry(first) && repo.len < sizeof(r->repository_url)) {
		memcpy(r->repository_url, repo.ptr, repo.len);
		r->repository_url[repo.len] = '\0';
	}
}

static int qualifier(struct mint_buf *out, bool *first, const char *key, const char *value)
{
	if (!value || !*value)
		return 0;
	int rc = mint_buf_putc(out, *first ? '?' : '&');
	*first = false;
	if (!rc)
		rc = mint_buf_puts(out, key);
	if (!rc)
		rc = mint_buf_putc(out, '=');
	if (!rc)
		rc = sbom_purl_escape(out, mint_span_str(value));
	return rc;
}

int sbom_oci_purl(const struct sbom_oci_purl *p, struct mint_buf *out)
{
	bool first = true;
	mint_buf_reset(out);
	int rc = mint_buf_puts(out, "pkg:oci/");
	if (!rc)
		rc = sbom_purl_escape(out, mint_span_str(p->name));
	if (!rc)
		rc = mint_buf_putc(out, '@');
	if (!rc)
		rc = sbom_purl_escape(out, mint_span_str(p->digest));
	/* in key order */
	if (!rc)
		rc = qualifier(out, &first, "arch", p->arch);
	if (!rc)
		rc = qualifier(out, &first, "mediaType", p->media_type);
	if (!rc)
		rc = qualifier(out, &first, "os", p->os);
	if (!rc)
		rc = qualifier(out, &first, "repository_url", p->repository_url);
	if (!rc)
		rc = qualifier(out, &first, "variant", p->variant);
	return rc;
}
