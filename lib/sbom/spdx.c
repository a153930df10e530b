/* SPDX-License-Identifier: Apache-2.0 */
/*
 * SPDX 2.3 JSON documents of an image and of an index (mint/sbom.h).
 *
 * The layout follows apko's (SPDXRef-Package-Image-<digest>, ImageLayer,
 * OperatingSystem, a SOURCE package for the VCS checkout, the SBOMs
 * packages ship merged in), and adds what apko leaves out: one package per
 * installed apk built from its metadata (purl, SHA-1 of the control
 * section, license, maintainer, origin and commit), DEPENDS_ON between
 * them and, on request, every regular file with its owner. Names are
 * derived from digests: the namespace is https://mint.invalid/spdx/image/
 * <manifest hex> (".invalid" never resolves, RFC 6761), the creation time
 * is the image's. No clock, no random numbers, no host names: the same
 * model gives the same bytes.
 *
 * Merging shipped SBOMs is in spdx_merge.c; the JSON text in json_out.c.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mint/encode.h"
#include "mint/oci.h"
#include "mint/version.h"
#include "spdx_doc.h"

#define NOASSERTION "NOASSERTION"
#define DOC_ID "SPDXRef-DOCUMENT"

static int oom(struct spdx_doc *doc)
{
	return mint_err_set(doc->err, MINT_ENOMEM, "out of memory writing an SPDX document");
}

char *spdx_strdup(struct spdx_doc *doc, struct mint_span s)
{
	return mint_arena_strdup(&doc->arena, s.ptr ? s : MINT_SPAN_LIT(""));
}

static __attribute__((format(printf, 2, 3))) char *fmt(struct spdx_doc *doc, const char *f, ...)
{
	va_list ap;
	va_start(ap, f);
	int n = vsnprintf(NULL, 0, f, ap);
	va_end(ap);
	char *s = n < 0 ? NULL : mint_arena_alloc(&doc->arena, (size_t)n + 1);
	if (!s)
		return NULL;
	va_start(ap, f);
	vsnprintf(s, (size_t)n + 1, f, ap);
	va_end(ap);
	return s;
}

static bool id_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '.' || c == '-';
}

int spdx_id_kind(const struct spdx_doc *doc, const char *id)
{
	void *v = NULL;
	if (!mint_hashmap_get(&doc->ids, mint_span_str(id), &v))
		return 0;
	return (int)(uintptr_t)v;
}

/* "SPDXRef-<prefix><s>" with the bytes an SPDXID cannot hold as '-'. */
static int sanitized_id(struct mint_buf *b, const char *prefix, struct mint_span s)
{
	int rc = mint_buf_puts(b, "SPDXRef-");
	if (!rc)
		rc = mint_buf_puts(b, prefix);
	for (size_t i = 0; !rc && i < s.len; i++)
		rc = mint_buf_putc(b, id_char(s.ptr[i]) ? s.ptr[i] : '-');
	return rc;
}

/* The first "<base>-N" (N from 2) for which taken is false. The next N to
 * try is remembered per base, so that many names that sanitize alike cost
 * one lookup each, not one per name before them. */
static int next_free(struct spdx_doc *doc, struct mint_buf *b, bool (*taken)(struct spdx_doc *,
			const char *))
{
	if (!taken(doc, mint_buf_cstr(b)))
		return 0;
	size_t base = b->len;
	void *v = NULL;
	char *key = spdx_strdup(doc, mint_buf_span(b));
	if (!key)
		return MINT_ENOMEM;
	uintptr_t n = mint_hashmap_get(&doc->next_suffix, mint_span_str(key), &v) ? (uintptr_t)v : 2;
	int rc = 0;
	do {
		b->len = base;
		rc = mint_buf_printf(b, "-%lu", (unsigned long)n++);
	} while (!rc && taken(doc, mint_buf_cstr(b)));
	if (!rc && mint_hashmap_put(&doc->next_suffix, mint_span_str(key), (void *)n))
		rc = MINT_ENOMEM;
	return rc;
}

static bool id_is_taken(struct spdx_doc *doc, const char *id)
{
	return spdx_id_kind(doc, id) != 0;
}

const char *spdx_new_id(struct spdx_doc *doc, const char *prefix, struct mint_span s,
			enum spdx_id_kind kind)
{
	struct mint_buf b = MINT_BUF_INIT;
	const char *id = NULL;
	int rc = sanitized_id(&b, prefix, s);
	if (!rc)
		rc = next_free(doc, &b, id_is_taken);
	if (!rc)
		id = spdx_strdup(doc, mint_buf_span(&b));
	if (id && mint_hashmap_put(&doc->ids, mint_span_str(id), (void *)(uintptr_t)kind))
		id = NULL;
	mint_buf_free(&b);
	return id;
}

char *spdx_id_text(struct spdx_doc *doc, const char *prefix, struct mint_span s)
{
	struct mint_buf b = MINT_BUF_INIT;
	char *id = sanitized_id(&b, prefix, s) ? NULL : spdx_strdup(doc, mint_buf_span(&b));
	mint_buf_free(&b);
	return id;
}

int spdx_register_id(struct spdx_doc *doc, const char *id, enum spdx_id_kind kind)
{
	if (mint_hashmap_put(&doc->ids, mint_span_str(id), (void *)(uintptr_t)kind))
		return oom(doc);
	return 0;
}

/* Whether the id made of prefix and s is taken already. */
static int id_taken(struct spdx_doc *doc, const char *prefix, struct mint_span s, bool *taken)
{
	struct mint_buf b = MINT_BUF_INIT;
	int rc = sanitized_id(&b, prefix, s);
	*taken = !rc && spdx_id_kind(doc, mint_buf_cstr(&b));
	mint_buf_free(&b);
	return rc ? oom(doc) : 0;
}

int spdx_add_package(struct spdx_doc *doc, const struct spdx_package *p)
{
	if (doc->n_pkgs == doc->cap_pkgs) {
		size_t cap = doc->cap_pkgs ? doc->cap_pkgs * 2 : 16;
		struct spdx_package *n = realloc(doc->pkgs, cap * sizeof(*n));
		if (!n)
			return oom(doc);
		doc->pkgs = n;
		doc->cap_pkgs = cap;
	}
	doc->pkgs[doc->n_pkgs++] = *p;
	return 0;
}

int spdx_add_rel(struct spdx_doc *doc, const char *a, const char *type, const char *b)
{
	char *key = fmt(doc, "%s %s %s", a, type, b);
	if (!key)
		return oom(doc);
	if (mint_hashmap_get(&doc->rel_set, mint_span_str(key), NULL))
		return 0;
	if (doc->n_rels == doc->cap_rels) {
		size_t cap = doc->cap_rels ? doc->cap_rels * 2 : 32;
		struct spdx_rel *n = realloc(doc->rels, cap * sizeof(*n));
		if (!n)
			return oom(doc);
		doc->rels = n;
		doc->cap_rels = cap;
	}
	if (mint_hashmap_put(&doc->rel_set, mint_span_str(key), NULL))
		return oom(doc);
	doc->rels[doc->n_rels++] = (struct spdx_rel){ a, type, b };
	return 0;
}

/* ---- licenses ---- */

static int add_license(struct spdx_doc *doc, const char *id, const char *text, bool synthesized)
{
	void *v = NULL;
	if (mint_hashmap_get(&doc->lic_ids, mint_span_str(id), &v)) {
		struct spdx_license *l = &doc->lics[(uintptr_t)v - 1];
		if (l->synthesized && !synthesized)
			*l = (struct spdx_license){ l->id, text, false };
		return 0;
	}
	if (doc->n_lics == doc->cap_lics) {
		size_t cap = doc->cap_lics ? doc->cap_lics * 2 : 8;
		struct spdx_license *n = realloc(doc->lics, cap * sizeof(*n));
		if (!n)
			return oom(doc);
		doc->lics = n;
		doc->cap_lics = cap;
	}
	doc->lics[doc->n_lics++] = (struct spdx_license){ id, text, synthesized };
	if (mint_hashmap_put(&doc->lic_ids, mint_span_str(id), (void *)(uintptr_t)doc->n_lics))
		return oom(doc);
	return 0;
}

struct ref_ctx {
	struct spdx_doc *doc;
	const json_t *infos;
	const char *field;
};

/* One LicenseRef- of an expression: its text from the shipped document's
 * extracted licensing infos when it has them, else a note of mint's. */
static int license_ref(void *ctx, struct mint_span ref)
{
	struct ref_ctx *c = ctx;
	char *id = spdx_strdup(c->doc, ref);
	if (!id)
		return oom(c->doc);
	const char *text = c->infos ? json_string_value(json_object_get(c->infos, id)) : NULL;
	if (text) { /* the shipped document goes away before ours is written */
		text = spdx_strdup(c->doc, mint_span_str(text));
		return text ? add_license(c->doc, id, text, false) : oom(c->doc);
	}
	text = fmt(c->doc, "The license text is not recorded in the image; the package "
		   "declares: %s", c->field);
	return text ? add_license(c->doc, id, text, true) : oom(c->doc);
}

static bool license_id_taken(struct spdx_doc *doc, const char *id)
{
	return mint_hashmap_get(&doc->lic_ids, mint_span_str(id), NULL);
}

/* A license field that is no expression becomes a LicenseRef-mint-... of
 * its own, the field itself as the text; the same field, the same id. */
static int license_of_text(struct spdx_doc *doc, const char *field, const char **out)
{
	void *v = NULL;
	if (mint_hashmap_get(&doc->lic_text, mint_span_str(field), &v)) {
		*out = v;
		return 0;
	}
	struct mint_buf b = MINT_BUF_INIT;
	int rc = mint_buf_puts(&b, "LicenseRef-mint-");
	for (size_t i = 0; !rc && field[i] && i < 96; i++)
		rc = mint_buf_putc(&b, id_char(field[i]) ? field[i] : '-');
	if (!rc)
		rc = next_free(doc, &b, license_id_taken);
	char *id = rc ? NULL : spdx_strdup(doc, mint_buf_span(&b));
	char *text = spdx_strdup(doc, mint_span_str(field));
	mint_buf_free(&b);
	if (!id || !text || mint_hashmap_put(&doc->lic_text, mint_span_str(text), id))
		return oom(doc);
	*out = id;
	return add_license(doc, id, text, false);
}

int spdx_license(struct spdx_doc *doc, const char *field, const json_t *infos,
		 const char **out)
{
	*out = NULL;
	if (!field || !*field || !strcmp(field, NOASSERTION)) {
		*out = NOASSERTION;
		return 0;
	}
	if (!strcmp(field, "NONE")) {
		*out = "NONE";
		return 0;
	}
	if (!sbom_license_expr_valid(field))
		return license_of_text(doc, field, out);
	struct ref_ctx c = { doc, infos, field };
	char *copy = spdx_strdup(doc, mint_span_str(field));
	if (!copy)
		return oom(doc);
	int rc = sbom_license_refs(copy, license_ref, &c);
	if (!rc)
		*out = copy;
	return rc;
}

/* ---- the elements of an image ---- */

static int add_one_ref(struct spdx_doc *doc, struct spdx_package *p, const char *locator)
{
	p->refs = mint_arena_alloc(&doc->arena, sizeof(*p->refs));
	char *loc = spdx_strdup(doc, mint_span_str(locator));
	if (!p->refs || !loc)
		return oom(doc);
	p->refs[0] = (struct spdx_extref){ "PACKAGE-MANAGER", "purl", loc };
	p->n_refs = 1;
	return 0;
}

static int add_one_checksum(struct spdx_doc *doc, struct spdx_package *p, const char *alg,
			    const char *hex)
{
	p->checksums = mint_arena_alloc(&doc->arena, sizeof(*p->checksums));
	char *value = spdx_strdup(doc, mint_span_str(hex));
	if (!p->checksums || !value)
		return oom(doc);
	p->checksums[0] = (struct spdx_checksum){ alg, value };
	p->n_checksums = 1;
	return 0;
}

/* A package of the image's (container) kind: digest as name and version. */
static int container_package(struct spdx_doc *doc, const char *prefix, const char *digest,
			     const char *description, const struct sbom_oci_purl *purl,
			     const char **id_out)
{
	struct mint_buf loc = MINT_BUF_INIT;
	struct spdx_package p = {
		.name = digest, .description = description, .download = NOASSERTION,
		.supplier = doc->os_supplier ? doc->os_supplier : NOASSERTION,
		.purpose = "CONTAINER",
	};
	p.id = spdx_new_id(doc, prefix, mint_span_str(digest), SPDX_ID_OURS);
	if (!p.id || sbom_oci_purl(purl, &loc)) {
		mint_buf_free(&loc);
		return oom(doc);
	}
	int rc = add_one_checksum(doc, &p, "SHA256", digest + 7);
	if (!rc)
		rc = add_one_ref(doc, &p, mint_buf_cstr(&loc));
	mint_buf_free(&loc);
	if (!rc)
		rc = spdx_add_package(doc, &p);
	*id_out = p.id;
	return rc;
}

static int check_digest(struct spdx_doc *doc, const char *what, const char *digest)
{
	if (sbom_digest_hex(digest))
		return 0;
	return mint_err_set(doc->err, MINT_EINVAL, "%s digest \"%.80s\" is not sha256:<64 hex>",
			    what, digest ? digest : "");
}

static int add_image(struct spdx_doc *doc, const struct sbom_repo *repo, const char **image_id)
{
	const struct mint_sbom_image *img = doc->img;
	struct sbom_oci_purl purl = {
		.name = repo->name, .digest = img->manifest_digest, .arch = img->oci_arch,
		.media_type = MINT_OCI_MEDIA_MANIFEST, .os = "linux",
		.repository_url = repo->repository_url, .variant = img->variant,
	};
	int rc = check_digest(doc, "manifest", img->manifest_digest);
	if (!rc)
		rc = container_package(doc, "Package-Image-", img->manifest_digest,
				       "OCI container image", &purl, image_id);
	if (!rc && doc->n_pkgs)
		doc->pkgs[doc->n_pkgs - 1].version = img->manifest_digest;
	return rc;
}

static int add_layer(struct spdx_doc *doc, const struct sbom_repo *repo, const char *image_id,
		     size_t i)
{
	const struct mint_sbom_image *img = doc->img;
	const struct mint_sbom_layer *l = &img->layers[i];
	struct sbom_oci_purl purl = {
		.name = repo->name, .digest = l->digest, .arch = img->oci_arch,
		.media_type = l->media_type ? l->media_type : MINT_OCI_MEDIA_LAYER_GZIP,
		.os = "linux", .repository_url = repo->repository_url, .variant = img->variant,
	};
	const char *id;
	bool seen;
	int rc = check_digest(doc, "layer", l->digest);
	if (!rc)
		rc = id_taken(doc, "Package-ImageLayer-", mint_span_str(l->digest), &seen);
	if (rc || seen) /* the same layer twice is one package */
		return rc;
	char *what = fmt(doc, "Image layer %zu of %zu", i + 1, img->n_layers);
	if (!what)
		return oom(doc);
	rc = container_package(doc, "Package-ImageLayer-", l->digest, what, &purl, &id);
	if (rc)
		return rc;
	if (l->diff_id[0]) {
		doc->pkgs[doc->n_pkgs - 1].comment = fmt(doc, "diff_id %s", l->diff_id);
		if (!doc->pkgs[doc->n_pkgs - 1].comment)
			return oom(doc);
	}
	if (img->n_layers == 1)
		doc->container_id = id;
	return spdx_add_rel(doc, image_id, "CONTAINS", id);
}

static int add_os(struct spdx_doc *doc, const char *image_id)
{
	const struct mint_sbom_os *os = &doc->img->os;
	const char *id_text = os->present && os->id && *os->id ? os->id : "unknown";
	struct spdx_package p = {
		.name = id_text, .download = NOASSERTION, .purpose = "OPERATING_SYSTEM",
		.version = os->present && os->version_id && *os->version_id ? os->version_id : NULL,
		.description = os->present && os->pretty_name && *os->pretty_name
			       ? os->pretty_name : "Operating System",
		.homepage = os->present && sbom_url_ok(os->home_url) ? os->home_url : NULL,
		.supplier = doc->os_supplier ? doc->os_supplier : NOASSERTION,
	};
	if (!os->present)
		p.comment = "The image has no /etc/os-release or /usr/lib/os-release";
	p.id = spdx_new_id(doc, "OperatingSystem-", mint_span_str(id_text), SPDX_ID_OURS);
	if (!p.id)
		return oom(doc);
	int rc = spdx_add_package(doc, &p);
	return rc ? rc : spdx_add_rel(doc, image_id, "CONTAINS", p.id);
}

/* "pkg:github/<org>/<repo>@<commit>" for a GitHub URL, as apko writes it. */
static const char *github_purl(struct spdx_doc *doc, struct mint_span url, struct mint_span commit)
{
	static const char *const prefixes[] = { "https://github.com/", "http://github.com/" };
	for (size_t i = 0; i < 2; i++) {
		if (!mint_span_starts_with(url, prefixes[i]))
			continue;
		struct mint_span path = mint_span_skip(url, strlen(prefixes[i]));
		if (mint_span_ends_with(path, ".git"))
			path.len -= 4;
		struct mint_buf b = MINT_BUF_INIT;
		int rc = mint_buf_puts(&b, "pkg:github/");
		struct mint_span part;
		for (bool first = true; !rc && mint_span_split(&path, '/', &part); first = false) {
			if (!first)
				rc = mint_buf_putc(&b, '/');
			if (!rc)
				rc = sbom_purl_escape(&b, part);
		}
		if (!rc)
			rc = mint_buf_printf(&b, "@%.*s", (int)commit.len, commit.ptr);
		char *s = rc ? NULL : spdx_strdup(doc, mint_buf_span(&b));
		mint_buf_free(&b);
		return s;
	}
	return "";
}

/* The commit as checksum, "git+<url>@<commit>" as download location. */
static int add_commit(struct spdx_doc *doc, struct spdx_package *p, struct mint_span url,
		      struct mint_span commit)
{
	int rc = 0;
	p->version = spdx_strdup(doc, commit);
	const char *purl = github_purl(doc, url, commit);
	if (!p->version || !purl)
		return oom(doc);
	if (commit.len == 40 || commit.len == 64)
		rc = add_one_checksum(doc, p, commit.len == 40 ? "SHA1" : "SHA256", p->version);
	if (!rc && sbom_url_ok(p->name)) {
		p->download = fmt(doc, "git+%s@%s", p->name, p->version);
		if (!p->download)
			rc = oom(doc);
	}
	if (!rc && *purl)
		rc = add_one_ref(doc, p, purl);
	return rc;
}

static int add_source(struct spdx_doc *doc, const char *image_id)
{
	struct mint_span url, commit;
	sbom_split_vcs(doc->img->vcs_url, &url, &commit);
	struct spdx_package p = {
		.name = spdx_strdup(doc, url), .download = NOASSERTION, .supplier = NOASSERTION,
		.purpose = "SOURCE", .description = "The source checkout the image was built from",
	};
	p.id = spdx_new_id(doc, "Package-Source-", url, SPDX_ID_OURS);
	if (!p.id || !p.name)
		return oom(doc);
	int rc = commit.len ? add_commit(doc, &p, url, commit) : 0;
	if (!rc)
		rc = spdx_add_package(doc, &p);
	return rc ? rc : spdx_add_rel(doc, image_id, "GENERATED_FROM", p.id);
}

static const char *source_info(struct spdx_doc *doc, const struct mint_apk_pkg *info)
{
	bool origin = info->origin && *info->origin, commit = info->commit && *info->commit;
	if (origin && commit)
		return fmt(doc, "built from origin %s at commit %s", info->origin, info->commit);
	if (origin)
		return fmt(doc, "built from origin %s", info->origin);
	if (commit)
		return fmt(doc, "built at commit %s", info->commit);
	return "";
}

static const char *apk_supplier(struct spdx_doc *doc, const char *maintainer)
{
	struct mint_span name, email;
	sbom_split_maintainer(maintainer, &name, &email);
	if (!name.len)
		return doc->os_supplier ? doc->os_supplier : NOASSERTION;
	if (email.len)
		return fmt(doc, "Organization: %.*s (%.*s)", (int)name.len, name.ptr,
			   (int)email.len, email.ptr);
	return fmt(doc, "Organization: %.*s", (int)name.len, name.ptr);
}

static int apk_refs(struct spdx_doc *doc, struct spdx_package *p,
		    const struct mint_sbom_package *m)
{
	char sha1[41];
	struct mint_buf purl = MINT_BUF_INIT;
	int rc = 0;
	if (sbom_identity_sha1_hex(m->info.identity, sha1))
		rc = add_one_checksum(doc, p, "SHA1", sha1);
	if (!rc && mint_sbom_apk_purl(doc->img, m, &purl))
		rc = oom(doc);
	if (!rc)
		rc = add_one_ref(doc, p, mint_buf_cstr(&purl));
	mint_buf_free(&purl);
	return rc;
}

static int add_apk(struct spdx_doc *doc, size_t i)
{
	const struct mint_sbom_package *m = &doc->img->packages[i];
	const struct mint_apk_pkg *info = &m->info;
	if (!info->name || !*info->name || !info->version || !*info->version)
		return mint_err_set(doc->err, MINT_EINVAL, "package %zu has no name or version", i);
	char *namever = fmt(doc, "%s-%s", info->name, info->version);
	char *key = fmt(doc, "%s\n%s", info->name, info->version);
	if (!namever || !key)
		return oom(doc);
	struct spdx_package p = {
		.name = info->name, .version = info->version, .license_concluded = NOASSERTION,
		.description = info->description && *info->description ? info->description : NULL,
		.download = NOASSERTION,
		.homepage = sbom_url_ok(info->url) ? info->url : NULL,
		.originator = doc->os_supplier, .supplier = apk_supplier(doc, info->maintainer),
		.source_info = source_info(doc, info), .copyright = NOASSERTION,
		.purpose = "APPLICATION",
	};
	p.id = spdx_new_id(doc, "Package-apk-", mint_span_str(namever), SPDX_ID_OURS);
	if (!p.id || !p.supplier || !p.source_info)
		return oom(doc);
	if (!*p.source_info)
		p.source_info = NULL;
	int rc = spdx_license(doc, info->license, NULL, &p.license_declared);
	if (!rc)
		rc = apk_refs(doc, &p, m);
	if (!rc && mint_hashmap_put(&doc->apk_ids, mint_span_str(key), (void *)p.id))
		rc = oom(doc);
	doc->apk_pkg[i] = doc->n_pkgs;
	if (!rc)
		rc = spdx_add_package(doc, &p);
	return rc ? rc : spdx_add_rel(doc, doc->container_id, "CONTAINS", p.id);
}

static int add_depends(struct spdx_doc *doc, size_t i)
{
	const struct mint_sbom_package *m = &doc->img->packages[i];
	const char *id = doc->pkgs[doc->apk_pkg[i]].id;
	for (size_t k = 0; k < m->n_depends_on; k++) {
		size_t j = m->depends_on[k];
		if (j >= doc->img->n_packages || j == i)
			continue;
		int rc = spdx_add_rel(doc, id, "DEPENDS_ON", doc->pkgs[doc->apk_pkg[j]].id);
		if (rc)
			return rc;
	}
	return 0;
}

/* The package that owns the files no installed package owns. */
static int generated_files_package(struct spdx_doc *doc, const char **id)
{
	if (*id)
		return 0;
	struct spdx_package p = {
		.name = "mint-generated-files", .version = mint_version(),
		.description = "Regular files of the image that no installed package owns: "
			       "what the image build wrote itself (accounts, the apk database, "
			       "/etc/apk, /etc/apko.json, certificates, ...)",
		.download = NOASSERTION, .license_concluded = NOASSERTION,
		.license_declared = NOASSERTION, .supplier = "Organization: mint",
		.copyright = NOASSERTION, .purpose = "OTHER",
	};
	p.id = spdx_new_id(doc, "Package-", MINT_SPAN_LIT("mint-generated-files"), SPDX_ID_OURS);
	if (!p.id)
		return oom(doc);
	*id = p.id;
	int rc = spdx_add_package(doc, &p);
	return rc ? rc : spdx_add_rel(doc, doc->container_id, "CONTAINS", p.id);
}

static int add_files(struct spdx_doc *doc)
{
	const struct mint_sbom_image *img = doc->img;
	const char *generated = NULL;
	doc->files = calloc(img->n_files ? img->n_files : 1, sizeof(*doc->files));
	if (!doc->files)
		return oom(doc);
	for (size_t i = 0; i < img->n_files; i++) {
		const struct mint_sbom_file *f = &img->files[i];
		struct spdx_file *out = &doc->files[doc->n_files++];
		const char *owner = NULL;
		out->name = fmt(doc, "/%s", f->path ? f->path : "");
		out->id = spdx_new_id(doc, "File-", mint_span_str(f->path ? f->path : ""),
				      SPDX_ID_OURS);
		if (!out->name || !out->id)
			return oom(doc);
		mint_hex_encode(f->sha1, sizeof(f->sha1), out->sha1);
		mint_hex_encode(f->sha256, sizeof(f->sha256), out->sha256);
		int rc = 0;
		if (f->owner < img->n_packages)
			owner = doc->pkgs[doc->apk_pkg[f->owner]].id;
		else
			rc = generated_files_package(doc, &generated);
		if (!rc)
			rc = spdx_add_rel(doc, owner ? owner : generated, "CONTAINS", out->id);
		if (rc)
			return rc;
	}
	return 0;
}

static int image_os_supplier(struct spdx_doc *doc, const struct mint_sbom_os *os)
{
	const char *who = NULL;
	if (os->present && os->name && *os->name)
		who = os->name;
	else if (os->present && os->id && *os->id)
		who = os->id;
	if (who && !(doc->os_supplier = fmt(doc, "Organization: %s", who)))
		return oom(doc);
	return 0;
}

static int build_image(struct spdx_doc *doc)
{
	const struct mint_sbom_image *img = doc->img;
	struct sbom_repo repo;
	const char *image_id = NULL;
	sbom_repo_parse(img->name, "image", &repo);
	int rc = image_os_supplier(doc, &img->os);
	if (!rc)
		rc = add_image(doc, &repo, &image_id);
	if (!rc)
		rc = spdx_add_rel(doc, DOC_ID, "DESCRIBES", image_id);
	doc->container_id = image_id;
	for (size_t i = 0; !rc && i < img->n_layers; i++)
		rc = add_layer(doc, &repo, image_id, i);
	if (!rc)
		rc = add_os(doc, image_id);
	if (!rc && img->vcs_url && *img->vcs_url)
		rc = add_source(doc, image_id);
	for (size_t i = 0; !rc && i < img->n_packages; i++)
		rc = add_apk(doc, i);
	for (size_t i = 0; !rc && i < img->n_packages; i++)
		rc = add_depends(doc, i);
	for (size_t i = 0; !rc && i < img->n_packages; i++)
		if (img->packages[i].shipped_sbom.len)
			rc = spdx_merge_shipped(doc, i);
	if (!rc && img->has_files)
		rc = add_files(doc);
	return rc;
}

/* ---- writing ---- */

static void write_package(struct sbom_json *w, const struct spdx_package *p)
{
	sbom_json_object(w);
	sbom_json_field(w, "SPDXID", p->id);
	sbom_json_field(w, "name", p->name);
	sbom_json_field(w, "versionInfo", p->version);
	sbom_json_key(w, "filesAnalyzed");
	sbom_json_bool(w, false);
	sbom_json_field(w, "licenseConcluded", p->license_concluded);
	sbom_json_field(w, "licenseDeclared", p->license_declared);
	sbom_json_field(w, "description", p->description);
	sbom_json_field(w, "downloadLocation", p->download);
	sbom_json_field(w, "homepage", p->homepage);
	sbom_json_field(w, "originator", p->originator);
	sbom_json_field(w, "supplier", p->supplier);
	sbom_json_field(w, "sourceInfo", p->source_info);
	sbom_json_field(w, "copyrightText", p->copyright);
	sbom_json_field(w, "primaryPackagePurpose", p->purpose);
	sbom_json_field(w, "comment", p->comment);
	if (p->n_checksums) {
		sbom_json_key(w, "checksums");
		sbom_json_array(w);
		for (size_t i = 0; i < p->n_checksums; i++) {
			sbom_json_object(w);
			sbom_json_field(w, "algorithm", p->checksums[i].alg);
			sbom_json_field(w, "checksumValue", p->checksums[i].value);
			sbom_json_end_object(w);
		}
		sbom_json_end_array(w);
	}
	if (p->n_refs) {
		sbom_json_key(w, "externalRefs");
		sbom_json_array(w);
		for (size_t i = 0; i < p->n_refs; i++) {
			sbom_json_object(w);
			sbom_json_field(w, "referenceCategory", p->refs[i].category);
			sbom_json_field(w, "referenceLocator", p->refs[i].locator);
			sbom_json_field(w, "referenceType", p->refs[i].type);
			sbom_json_end_object(w);
		}
		sbom_json_end_array(w);
	}
	sbom_json_end_object(w);
}

static void write_checksum(struct sbom_json *w, const char *alg, const char *hex)
{
	sbom_json_object(w);
	sbom_json_field(w, "algorithm", alg);
	sbom_json_field(w, "checksumValue", hex);
	sbom_json_end_object(w);
}

static void write_files(struct sbom_json *w, const struct spdx_doc *doc)
{
	sbom_json_key(w, "files");
	sbom_json_array(w);
	for (size_t i = 0; i < doc->n_files; i++) {
		const struct spdx_file *f = &doc->files[i];
		sbom_json_object(w);
		sbom_json_field(w, "SPDXID", f->id);
		sbom_json_field(w, "fileName", f->name);
		sbom_json_key(w, "checksums");
		sbom_json_array(w);
		write_checksum(w, "SHA1", f->sha1);
		write_checksum(w, "SHA256", f->sha256);
		sbom_json_end_array(w);
		sbom_json_end_object(w);
	}
	sbom_json_end_array(w);
}

static int license_cmp(const void *a, const void *b)
{
	return strcmp(((const struct spdx_license *)a)->id, ((const struct spdx_license *)b)->id);
}

static void write_licenses(struct sbom_json *w, struct spdx_doc *doc)
{
	qsort(doc->lics, doc->n_lics, sizeof(*doc->lics), license_cmp);
	sbom_json_key(w, "hasExtractedLicensingInfos");
	sbom_json_array(w);
	for (size_t i = 0; i < doc->n_lics; i++) {
		sbom_json_object(w);
		sbom_json_field(w, "licenseId", doc->lics[i].id);
		sbom_json_field(w, "extractedText", doc->lics[i].text);
		sbom_json_end_object(w);
	}
	sbom_json_end_array(w);
}

static void write_relationships(struct sbom_json *w, const struct spdx_doc *doc)
{
	sbom_json_key(w, "relationships");
	sbom_json_array(w);
	for (size_t i = 0; i < doc->n_rels; i++) {
		sbom_json_object(w);
		sbom_json_field(w, "spdxElementId", doc->rels[i].a);
		sbom_json_field(w, "relationshipType", doc->rels[i].type);
		sbom_json_field(w, "relatedSpdxElement", doc->rels[i].b);
		sbom_json_end_object(w);
	}
	sbom_json_end_array(w);
}

static int write_doc(struct spdx_doc *doc, const char *name, const char *ns, int64_t created,
		     const char *describes, struct mint_buf *out)
{
	char when[MINT_OCI_TIME_MAX];
	char tool[96];
	struct sbom_json w;
	int rc = mint_oci_time(created, when, doc->err);
	if (rc)
		return rc;
	snprintf(tool, sizeof(tool), "Tool: mint-%s", mint_version());
	sbom_json_begin(&w, out);
	sbom_json_object(&w);
	sbom_json_field(&w, "SPDXID", DOC_ID);
	sbom_json_field(&w, "name", name);
	sbom_json_field(&w, "spdxVersion", "SPDX-2.3");
	sbom_json_key(&w, "creationInfo");
	sbom_json_object(&w);
	sbom_json_field(&w, "created", when);
	sbom_json_key(&w, "creators");
	sbom_json_array(&w);
	sbom_json_string(&w, tool);
	sbom_json_string(&w, "Organization: mint");
	sbom_json_end_array(&w);
	sbom_json_end_object(&w);
	sbom_json_field(&w, "dataLicense", "CC0-1.0");
	sbom_json_field(&w, "documentNamespace", ns);
	sbom_json_key(&w, "documentDescribes");
	sbom_json_array(&w);
	sbom_json_string(&w, describes);
	sbom_json_end_array(&w);
	sbom_json_key(&w, "packages");
	sbom_json_array(&w);
	for (size_t i = 0; i < doc->n_pkgs; i++)
		write_package(&w, &doc->pkgs[i]);
	sbom_json_end_array(&w);
	if (doc->n_files)
		write_files(&w, doc);
	if (doc->n_lics)
		write_licenses(&w, doc);
	write_relationships(&w, doc);
	sbom_json_end_object(&w);
	return sbom_json_end(&w, doc->err);
}

static void doc_init(struct spdx_doc *doc, const struct mint_sbom_image *img,
		     struct mint_err *err)
{
	*doc = (struct spdx_doc){ .img = img, .err = err };
}

static void doc_free(struct spdx_doc *doc)
{
	free(doc->pkgs);
	free(doc->files);
	free(doc->rels);
	free(doc->lics);
	free(doc->apk_pkg);
	mint_hashmap_free(&doc->ids);
	mint_hashmap_free(&doc->rel_set);
	mint_hashmap_free(&doc->lic_ids);
	mint_hashmap_free(&doc->lic_text);
	mint_hashmap_free(&doc->apk_ids);
	mint_hashmap_free(&doc->merged);
	mint_hashmap_free(&doc->next_suffix);
	mint_arena_free(&doc->arena);
}

/* DOC_ID is taken before anything else, so no element can be named so. */
static int reserve_document_id(struct spdx_doc *doc)
{
	if (mint_hashmap_put(&doc->ids, MINT_SPAN_LIT(DOC_ID), (void *)(uintptr_t)SPDX_ID_OURS))
		return oom(doc);
	return 0;
}

int mint_sbom_spdx_image(const struct mint_sbom_image *img, struct mint_buf *out,
			 struct mint_err *err)
{
	struct spdx_doc doc;
	struct mint_buf ns = MINT_BUF_INIT;
	doc_init(&doc, img, err);
	int rc = sbom_document_uri("spdx", "image", img->manifest_digest, img->has_files, &ns, err);
	doc.apk_pkg = calloc(img->n_packages ? img->n_packages : 1, sizeof(*doc.apk_pkg));
	if (!rc && !doc.apk_pkg)
		rc = oom(&doc);
	if (!rc)
		rc = reserve_document_id(&doc);
	if (!rc)
		rc = build_image(&doc);
	char *name = rc ? NULL : fmt(&doc, "sbom-%s", img->manifest_digest);
	if (!rc && !name)
		rc = oom(&doc);
	if (!rc)
		rc = write_doc(&doc, name, mint_buf_cstr(&ns), img->created, doc.pkgs[0].id, out);
	if (rc)
		mint_err_prefix(err, "SPDX document of the %s image",
				img->apk_arch ? img->apk_arch : "");
	mint_buf_free(&ns);
	doc_free(&doc);
	return rc;
}

/* ---- the index ---- */

static int add_index_image(struct spdx_doc *doc, const struct sbom_repo *repo,
			   const char *index_id, const struct mint_sbom_image *img)
{
	struct sbom_oci_purl purl = {
		.name = repo->name, .digest = img->manifest_digest, .arch = img->oci_arch,
		.media_type = MINT_OCI_MEDIA_MANIFEST, .os = "linux",
		.repository_url = repo->repository_url, .variant = img->variant,
	};
	const char *id;
	char *what = fmt(doc, "OCI container image for %s%s%s", img->oci_arch ? img->oci_arch : "",
			 img->variant ? "/" : "", img->variant ? img->variant : "");
	if (!what)
		return oom(doc);
	int rc = check_digest(doc, "manifest", img->manifest_digest);
	if (!rc)
		rc = container_package(doc, "Package-Image-", img->manifest_digest, what, &purl, &id);
	if (rc)
		return rc;
	doc->pkgs[doc->n_pkgs - 1].version = img->manifest_digest;
	return spdx_add_rel(doc, index_id, "VARIANT_OF", id);
}

static int build_index(struct spdx_doc *doc, const struct mint_sbom_index *ix)
{
	struct sbom_repo repo;
	const char *index_id;
	sbom_repo_parse(ix->name, "index", &repo);
	struct sbom_oci_purl purl = {
		.name = repo.name, .digest = ix->digest, .media_type = MINT_OCI_MEDIA_INDEX,
		.repository_url = repo.repository_url,
	};
	if (!ix->n_images)
		return mint_err_set(doc->err, MINT_EINVAL, "the index has no images");
	int rc = check_digest(doc, "index", ix->digest);
	if (!rc)
		rc = image_os_supplier(doc, &ix->images[0].os);
	if (!rc)
		rc = container_package(doc, "Package-Index-", ix->digest, "Multi-arch image index",
				       &purl, &index_id);
	if (rc)
		return rc;
	doc->pkgs[0].version = ix->digest;
	rc = spdx_add_rel(doc, DOC_ID, "DESCRIBES", index_id);
	for (size_t i = 0; !rc && i < ix->n_images; i++)
		rc = add_index_image(doc, &repo, index_id, &ix->images[i]);
	return rc;
}

int mint_sbom_spdx_index(const struct mint_sbom_index *ix, struct mint_buf *out,
			 struct mint_err *err)
{
	struct spdx_doc doc;
	struct mint_buf ns = MINT_BUF_INIT;
	doc_init(&doc, ix->n_images ? &ix->images[0] : NULL, err);
	int rc = sbom_document_uri("spdx", "index", ix->digest, false, &ns, err);
	if (!rc)
		rc = reserve_document_id(&doc);
	if (!rc)
		rc = build_index(&doc, ix);
	char *name = rc ? NULL : fmt(&doc, "sbom-%s", ix->digest);
	if (!rc && !name)
		rc = oom(&doc);
	if (!rc)
		rc = write_doc(&doc, name, mint_buf_cstr(&ns), ix->created, doc.pkgs[0].id, out);
	if (rc)
		mint_err_prefix(err, "SPDX document of the index");
	mint_buf_free(&ns);
	doc_free(&doc);
	return rc;
}
