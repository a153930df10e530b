/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The SPDX 2.3 document a built package carries (mint/pkg_sbom.h), laid
 * out as melange lays out its own (pkg/build/sbom/spdx): the document
 * describes SPDXRef-Package-apk-<name>-<version>, beside it the OS
 * (SPDXRef-OperatingSystem), the recipe as an INSTALL package the apk is
 * DESCRIBED_BY and one SOURCE package per fetched source it is
 * GENERATED_FROM. IDs take melange's escaping: '/' becomes '-', any other
 * character SPDX IDs do not allow becomes C<decimal byte>.
 *
 * Differences, because the inputs are not melange's: the recipe package
 * is named <origin>.yaml with the recipe's SHA-256 as a checksum and a
 * pkg:generic purl (melange names a git checkout's path and its GitHub
 * purl), and the document namespace is https://mint.invalid/spdx/package/
 * <UUIDv5 of every input> instead of a random one. The creation time is
 * SOURCE_DATE_EPOCH: the same inputs give the same bytes.
 *
 * The JSON text comes from the SBOM writers' Go-compatible writer.
 */
#include "mint/pkg_sbom.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "mint/oci.h"
#include "../sbom/writer.h"

#define NOASSERTION "NOASSERTION"

/* Everything a document is written from, gathered once. */
struct doc {
	const struct mint_pkg_sbom_in *in;
	const char *ns;           /* namespace_ or "unknown" */
	struct mint_buf org;      /* "Organization: Wolfi" */
	struct mint_buf apk_id;   /* SPDXRef-Package-apk-... */
	struct mint_buf recipe_id;
	struct mint_buf upstream; /* full_version without its -r<epoch> */
	struct mint_buf license;  /* what licenseDeclared says */
	struct mint_buf lic_ref;  /* a LicenseRef- of ours for a non-expression */
	struct mint_buf tmp;
	struct sbom_json w;
};

static bool id_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '.' || c == '-';
}

/* Appends s as melange escapes SPDX ID parts. */
static int id_escape(struct mint_buf *b, const char *s)
{
	int rc = 0;
	for (; !rc && *s; s++) {
		if (*s == '/')
			rc = mint_buf_putc(b, '-');
		else if (id_char(*s))
			rc = mint_buf_putc(b, *s);
		else
			rc = mint_buf_printf(b, "C%u", (unsigned)(unsigned char)*s);
	}
	return rc;
}

static bool set(const char *s)
{
	return s && *s;
}

static int upstream_version(const char *full, struct mint_buf *out)
{
	const char *r = strrchr(full, '-');
	size_t n = strlen(full);
	if (r && r[1] == 'r' && r[2] && strspn(r + 2, "0123456789") == strlen(r + 2))
		n = (size_t)(r - full);
	return mint_buf_append(out, full, n);
}

static int license(struct doc *d)
{
	const char *l = d->in->license;
	if (!set(l) || !strcmp(l, NOASSERTION))
		return mint_buf_puts(&d->license, NOASSERTION);
	if (!strcmp(l, "NONE") || sbom_license_expr_valid(l))
		return mint_buf_puts(&d->license, l);
	int rc = mint_buf_puts(&d->lic_ref, "LicenseRef-mint-");
	for (size_t i = 0; !rc && l[i] && i < 96; i++)
		rc = mint_buf_putc(&d->lic_ref, id_char(l[i]) ? l[i] : '-');
	return rc ? rc : mint_buf_append_span(&d->license, mint_buf_span(&d->lic_ref));
}

static int gather(struct doc *d)
{
	const struct mint_pkg_sbom_in *in = d->in;
	const char *ver = set(in->commit) ? in->commit : in->recipe_sha256;
	int rc = mint_buf_printf(&d->org, "Organization: %c%s",
				 d->ns[0] >= 'a' && d->ns[0] <= 'z' ? d->ns[0] - 'a' + 'A' : d->ns[0],
				 d->ns + 1);
	rc = rc || mint_buf_puts(&d->apk_id, "SPDXRef-Package-apk-") ||
	     id_escape(&d->apk_id, in->name) || mint_buf_putc(&d->apk_id, '-') ||
	     id_escape(&d->apk_id, in->full_version);
	rc = rc || mint_buf_puts(&d->recipe_id, "SPDXRef-Package-Melange-") ||
	     id_escape(&d->recipe_id, set(in->recipe_name) ? in->recipe_name : in->name) ||
	     id_escape(&d->recipe_id, ".yaml");
	if (!rc && set(ver))
		rc = mint_buf_putc(&d->recipe_id, '-') || id_escape(&d->recipe_id, ver);
	rc = rc || upstream_version(in->full_version, &d->upstream) || license(d);
	return rc;
}

/* The name the document namespace's UUID is made from: every input but
 * the free text, each on a line of its own. */
static int namespace_uri(struct doc *d, struct mint_buf *out)
{
	const struct mint_pkg_sbom_in *in = d->in;
	const char *fields[] = { d->ns, in->name, in->full_version, in->arch, in->license,
				 in->commit, in->recipe_name, in->recipe_sha256 };
	struct mint_buf name = MINT_BUF_INIT;
	char uuid[37];
	int rc = mint_buf_puts(&name, "mint package sbom\n");
	for (size_t i = 0; !rc && i < sizeof(fields) / sizeof(fields[0]); i++)
		rc = mint_buf_printf(&name, "%s\n", fields[i] ? fields[i] : "");
	for (size_t i = 0; !rc && i < in->n_sources; i++) {
		const struct mint_pkg_sbom_source *s = &in->sources[i];
		rc = mint_buf_printf(&name, "source %s %s %s\n", s->uri ? s->uri : "",
				     s->sha256 ? s->sha256 : "", s->sha512 ? s->sha512 : "");
	}
	rc = rc || mint_buf_printf(&name, "%lld\n", (long long)in->created);
	rc = rc || sbom_uuid5_url(mint_buf_cstr(&name), uuid);
	rc = rc || mint_buf_printf(out, "https://mint.invalid/spdx/package/%s", uuid);
	mint_buf_free(&name);
	return rc;
}

static void purl_ref(struct sbom_json *w, const char *locator)
{
	sbom_json_key(w, "externalRefs");
	sbom_json_array(w);
	sbom_json_object(w);
	sbom_json_field(w, "referenceCategory", "PACKAGE-MANAGER");
	sbom_json_field(w, "referenceLocator", locator);
	sbom_json_field(w, "referenceType", "purl");
	sbom_json_end_object(w);
	sbom_json_end_array(w);
}

static void checksum(struct sbom_json *w, const char *algorithm, const char *hex)
{
	sbom_json_object(w);
	sbom_json_field(w, "algorithm", algorithm);
	sbom_json_field(w, "checksumValue", hex);
	sbom_json_end_object(w);
}

/* The members every package of the document opens with. */
static void package_head(struct doc *d, const char *id, const char *name, const char *version,
			 const char *license_declared)
{
	struct sbom_json *w = &d->w;
	sbom_json_object(w);
	sbom_json_field(w, "SPDXID", id);
	sbom_json_field(w, "name", name);
	sbom_json_field(w, "versionInfo", version);
	sbom_json_key(w, "filesAnalyzed");
	sbom_json_bool(w, false);
	sbom_json_field(w, "licenseConcluded", NOASSERTION);
	sbom_json_field(w, "licenseDeclared", license_declared);
}

static void supplier(struct doc *d)
{
	sbom_json_field(&d->w, "originator", mint_buf_cstr(&d->org));
	sbom_json_field(&d->w, "supplier", mint_buf_cstr(&d->org));
}

static void os_package(struct doc *d)
{
	struct sbom_json *w = &d->w;
	package_head(d, "SPDXRef-OperatingSystem", d->ns, NULL, NOASSERTION);
	sbom_json_field(w, "description", "Operating System");
	sbom_json_field(w, "downloadLocation", NOASSERTION);
	supplier(d);
	/* melange writes OPERATING-SYSTEM, which the SPDX 2.3 schema refuses */
	sbom_json_field(w, "primaryPackagePurpose", "OPERATING_SYSTEM");
	sbom_json_end_object(w);
}

static int apk_package(struct doc *d)
{
	const struct mint_pkg_sbom_in *in = d->in;
	struct sbom_json *w = &d->w;
	struct mint_buf *p = &d->tmp;
	mint_buf_reset(p);
	int rc = mint_buf_puts(p, "pkg:apk/") || sbom_purl_escape(p, mint_span_str(d->ns)) ||
		 mint_buf_putc(p, '/') || sbom_purl_escape(p, mint_span_str(in->name)) ||
		 mint_buf_putc(p, '@') || sbom_purl_escape(p, mint_span_str(in->full_version)) ||
		 mint_buf_puts(p, "?arch=") || sbom_purl_escape(p, mint_span_str(in->arch)) ||
		 mint_buf_puts(p, "&distro=") || sbom_purl_escape(p, mint_span_str(d->ns));
	if (rc)
		return rc;
	package_head(d, mint_buf_cstr(&d->apk_id), in->name, in->full_version,
		     mint_buf_cstr(&d->license));
	if (set(in->description))
		sbom_json_field(w, "description", in->description);
	sbom_json_field(w, "downloadLocation", NOASSERTION);
	if (sbom_url_ok(in->url))
		sbom_json_field(w, "homepage", in->url);
	supplier(d);
	sbom_json_field(w, "copyrightText", NOASSERTION);
	sbom_json_field(w, "primaryPackagePurpose", "APPLICATION");
	purl_ref(w, mint_buf_cstr(p));
	sbom_json_end_object(w);
	return 0;
}

static int recipe_package(struct doc *d)
{
	const struct mint_pkg_sbom_in *in = d->in;
	const char *ver = set(in->commit) ? in->commit : in->recipe_sha256;
	struct sbom_json *w = &d->w;
	struct mint_buf name = MINT_BUF_INIT, *p = &d->tmp;
	mint_buf_reset(p);
	int rc = mint_buf_printf(&name, "%s.yaml", set(in->recipe_name) ? in->recipe_name : in->name);
	rc = rc || mint_buf_puts(p, "pkg:generic/") || sbom_purl_escape(p, mint_buf_span(&name));
	if (!rc && set(ver))
		rc = mint_buf_putc(p, '@') || sbom_purl_escape(p, mint_span_str(ver));
	if (!rc && set(in->recipe_sha256))
		rc = mint_buf_puts(p, "?checksum=sha256:") ||
		     sbom_purl_escape(p, mint_span_str(in->recipe_sha256));
	if (!rc) {
		package_head(d, mint_buf_cstr(&d->recipe_id), mint_buf_cstr(&name),
			     set(ver) ? ver : NULL, NOASSERTION);
		sbom_json_field(w, "downloadLocation", NOASSERTION);
		supplier(d);
		sbom_json_field(w, "primaryPackagePurpose", "INSTALL");
		if (set(in->recipe_sha256)) {
			sbom_json_key(w, "checksums");
			sbom_json_array(w);
			checksum(w, "SHA256", in->recipe_sha256);
			sbom_json_end_array(w);
		}
		purl_ref(w, mint_buf_cstr(p));
		sbom_json_end_object(w);
	}
	mint_buf_free(&name);
	return rc;
}

static int source_id(struct doc *d, size_t i, struct mint_buf *out)
{
	mint_buf_reset(out);
	return mint_buf_puts(out, "SPDXRef-Package-Source-") || id_escape(out, d->in->name) ||
	       mint_buf_putc(out, '-') || id_escape(out, mint_buf_cstr(&d->upstream)) ||
	       mint_buf_printf(out, "-%zu", i);
}

static int source_package(struct doc *d, size_t i)
{
	const struct mint_pkg_sbom_source *s = &d->in->sources[i];
	struct sbom_json *w = &d->w;
	struct mint_buf id = MINT_BUF_INIT, *p = &d->tmp;
	bool url = sbom_url_ok(s->uri);
	mint_buf_reset(p);
	int rc = source_id(d, i, &id) || mint_buf_puts(p, "pkg:generic/") ||
		 sbom_purl_escape(p, mint_span_str(d->in->name)) || mint_buf_putc(p, '@') ||
		 sbom_purl_escape(p, mint_buf_span(&d->upstream));
	const char sep = '?';
	bool first = true;
	if (!rc && (set(s->sha256) || set(s->sha512))) {
		rc = mint_buf_putc(p, sep) ||
		     mint_buf_puts(p, set(s->sha256) ? "checksum=sha256:" : "checksum=sha512:") ||
		     sbom_purl_escape(p, mint_span_str(set(s->sha256) ? s->sha256 : s->sha512));
		first = false;
	}
	if (!rc && url)
		rc = mint_buf_putc(p, first ? sep : '&') || mint_buf_puts(p, "download_url=") ||
		     sbom_purl_escape(p, mint_span_str(s->uri));
	if (!rc) {
		package_head(d, mint_buf_cstr(&id), d->in->name, mint_buf_cstr(&d->upstream),
			     NOASSERTION);
		sbom_json_field(w, "downloadLocation", url ? s->uri : NOASSERTION);
		supplier(d);
		sbom_json_field(w, "primaryPackagePurpose", "SOURCE");
		if (set(s->sha256) || set(s->sha512)) {
			sbom_json_key(w, "checksums");
			sbom_json_array(w);
			if (set(s->sha256))
				checksum(w, "SHA256", s->sha256);
			if (set(s->sha512))
				checksum(w, "SHA512", s->sha512);
			sbom_json_end_array(w);
		}
		purl_ref(w, mint_buf_cstr(p));
		sbom_json_end_object(w);
	}
	mint_buf_free(&id);
	return rc;
}

static void relationship(struct sbom_json *w, const char *from, const char *type, const char *to)
{
	sbom_json_object(w);
	sbom_json_field(w, "spdxElementId", from);
	sbom_json_field(w, "relationshipType", type);
	sbom_json_field(w, "relatedSpdxElement", to);
	sbom_json_end_object(w);
}

static int relationships(struct doc *d)
{
	struct sbom_json *w = &d->w;
	struct mint_buf id = MINT_BUF_INIT;
	int rc = 0;
	sbom_json_key(w, "relationships");
	sbom_json_array(w);
	relationship(w, mint_buf_cstr(&d->apk_id), "DESCRIBED_BY", mint_buf_cstr(&d->recipe_id));
	for (size_t i = 0; !rc && i < d->in->n_sources; i++) {
		rc = source_id(d, i, &id);
		if (!rc)
			relationship(w, mint_buf_cstr(&d->apk_id), "GENERATED_FROM",
				     mint_buf_cstr(&id));
	}
	sbom_json_end_array(w);
	mint_buf_free(&id);
	return rc;
}

static void extracted_license(struct doc *d)
{
	struct sbom_json *w = &d->w;
	if (!d->lic_ref.len)
		return;
	sbom_json_key(w, "hasExtractedLicensingInfos");
	sbom_json_array(w);
	sbom_json_object(w);
	sbom_json_field(w, "licenseId", mint_buf_cstr(&d->lic_ref));
	sbom_json_field(w, "extractedText", d->in->license);
	sbom_json_field(w, "name", d->in->license);
	sbom_json_end_object(w);
	sbom_json_end_array(w);
}

static int document(struct doc *d, const char *created, const char *ns_uri)
{
	struct sbom_json *w = &d->w;
	int rc = 0;
	sbom_json_object(w);
	sbom_json_field(w, "SPDXID", "SPDXRef-DOCUMENT");
	mint_buf_reset(&d->tmp);
	if (mint_buf_printf(&d->tmp, "apk-%s-%s", d->in->name, d->in->full_version))
		return MINT_ENOMEM;
	sbom_json_field(w, "name", mint_buf_cstr(&d->tmp));
	sbom_json_field(w, "spdxVersion", "SPDX-2.3");
	sbom_json_key(w, "creationInfo");
	sbom_json_object(w);
	sbom_json_field(w, "created", created);
	sbom_json_key(w, "creators");
	sbom_json_array(w);
	sbom_json_string(w, "Tool: mint");
	sbom_json_end_array(w);
	sbom_json_field(w, "licenseListVersion", "3.22");
	sbom_json_end_object(w);
	sbom_json_field(w, "dataLicense", "CC0-1.0");
	sbom_json_field(w, "documentNamespace", ns_uri);
	sbom_json_key(w, "documentDescribes");
	sbom_json_array(w);
	sbom_json_string(w, mint_buf_cstr(&d->apk_id));
	sbom_json_end_array(w);
	extracted_license(d);
	sbom_json_key(w, "packages");
	sbom_json_array(w);
	os_package(d);
	rc = apk_package(d);
	rc = rc || recipe_package(d);
	for (size_t i = 0; !rc && i < d->in->n_sources; i++)
		rc = source_package(d, i);
	sbom_json_end_array(w);
	rc = rc || relationships(d);
	sbom_json_end_object(w);
	return rc;
}

static int check_input(const struct mint_pkg_sbom_in *in, struct mint_err *err)
{
	if (!in || !set(in->name) || !set(in->full_version) || !set(in->arch))
		return mint_err_set(err, MINT_EINVAL,
				    "package SBOM: name, version and arch are required");
	if (in->n_sources && !in->sources)
		return mint_err_set(err, MINT_EINVAL, "package SBOM: %zu sources but no list",
				    in->n_sources);
	return 0;
}

int mint_pkg_sbom_spdx(const struct mint_pkg_sbom_in *in, struct mint_buf *out,
		       struct mint_err *err)
{
	struct doc d = { .in = in };
	struct mint_buf text = MINT_BUF_INIT, ns_uri = MINT_BUF_INIT;
	char created[MINT_OCI_TIME_MAX];
	int rc = check_input(in, err);
	if (rc)
		return rc;
	rc = mint_oci_time(in->created, created, err);
	if (rc)
		goto out;
	d.ns = set(in->namespace_) ? in->namespace_ : "unknown";
	if (gather(&d) || namespace_uri(&d, &ns_uri)) {
		rc = mint_err_set(err, MINT_ENOMEM, "out of memory writing a package SBOM");
		goto out;
	}
	sbom_json_begin(&d.w, &text);
	if (document(&d, created, mint_buf_cstr(&ns_uri))) {
		rc = mint_err_set(err, MINT_ENOMEM, "out of memory writing a package SBOM");
		goto out;
	}
	rc = sbom_json_end(&d.w, err);
	if (!rc && mint_buf_append_span(out, mint_buf_span(&text)))
		rc = mint_err_set(err, MINT_ENOMEM, "out of memory writing a package SBOM");
out:
	mint_buf_free(&text);
	mint_buf_free(&ns_uri);
	mint_buf_free(&d.org);
	mint_buf_free(&d.apk_id);
	mint_buf_free(&d.recipe_id);
	mint_buf_free(&d.upstream);
	mint_buf_free(&d.license);
	mint_buf_free(&d.lic_ref);
	mint_buf_free(&d.tmp);
	return rc;
}
