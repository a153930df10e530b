/* SPDX-License-Identifier: Apache-2.0 */
/*
 * CycloneDX 1.6 JSON documents of an image and of an index (mint/sbom.h).
 *
 * The image is the metadata component (type container, its layers nested
 * in it); the components are the operating system, one library per
 * installed apk (purl as bom-ref, SHA-1 of the control section, license
 * expression or name, the maintainer as the supplier's contact, origin,
 * commit and arch as properties) and, on request, every regular file
 * nested in the package that owns it (or in "mint-generated-files").
 * dependencies is the graph: the image on every package, each package on
 * those its D: entries resolve to.
 *
 * Deterministic like the SPDX writer: the serial number is a name-based
 * UUID (version 5) of https://mint.invalid/cyclonedx/image/<manifest hex>,
 * the timestamp is the image's created time, and the tool is named with
 * mint's version only. Packages' shipped SPDX SBOMs are merged into the
 * SPDX document only (spdx_merge.c).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mint/arena.h"
#include "mint/encode.h"
#include "mint/hashmap.h"
#include "mint/oci.h"
#include "mint/version.h"
#include "writer.h"

struct cdx {
	const struct mint_sbom_image *img;
	struct mint_err *err;
	struct sbom_json w;
	int rc;
	struct mint_arena arena;
	struct mint_hashmap refs;   /* every bom-ref (they must be unique) -> the next
				     * #dup-N to try when it is wanted again */
	struct sbom_repo repo;
	const char *image_ref;
	const char *os_ref;
	const char **apk_ref;       /* per model package */
	const char **layer_ref;     /* per layer; NULL for a repeated layer */
	bool has_generated;         /* some file is owned by no package */
};

static void fail_oom(struct cdx *c)
{
	if (!c->rc)
		c->rc = mint_err_set(c->err, MINT_ENOMEM, "out of memory writing a CycloneDX document");
}

/* base, or base#dup-N when base is taken: a bom-ref of its own. The next
 * N is remembered per base, so that many alike cost one lookup each. */
static const char *unique_ref(struct cdx *c, const char *base)
{
	struct mint_buf b = MINT_BUF_INIT;
	const char *ref = NULL;
	void *next = NULL;
	int rc = mint_buf_puts(&b, base);
	if (!rc && mint_hashmap_get(&c->refs, mint_buf_span(&b), &next)) {
		uintptr_t n = next ? (uintptr_t)next : 2;
		do {
			b.len = 0;
			rc = mint_buf_printf(&b, "%s#dup-%lu", base, (unsigned long)n++);
		} while (!rc && mint_hashmap_get(&c->refs, mint_buf_span(&b), NULL));
		if (!rc && mint_hashmap_put(&c->refs, mint_span_str(base), (void *)n))
			rc = MINT_ENOMEM;
	}
	if (!rc)
		ref = mint_arena_strdup(&c->arena, mint_buf_span(&b));
	if (ref && mint_hashmap_put(&c->refs, mint_span_str(ref), NULL))
		ref = NULL;
	mint_buf_free(&b);
	if (!ref)
		fail_oom(c);
	return ref;
}

static void property(struct cdx *c, const char *name, const char *value)
{
	if (!value || !*value)
		return;
	sbom_json_object(&c->w);
	sbom_json_field(&c->w, "name", name);
	sbom_json_field(&c->w, "value", value);
	sbom_json_end_object(&c->w);
}

static void hash(struct cdx *c, const char *alg, const char *hex)
{
	sbom_json_object(&c->w);
	sbom_json_field(&c->w, "alg", alg);
	sbom_json_field(&c->w, "content", hex);
	sbom_json_end_object(&c->w);
}

static void one_hash(struct cdx *c, const char *alg, const char *hex)
{
	sbom_json_key(&c->w, "hashes");
	sbom_json_array(&c->w);
	hash(c, alg, hex);
	sbom_json_end_array(&c->w);
}

static void external_ref(struct cdx *c, const char *type, const char *url, const char *comment)
{
	sbom_json_key(&c->w, "externalReferences");
	sbom_json_array(&c->w);
	sbom_json_object(&c->w);
	sbom_json_field(&c->w, "url", url);
	sbom_json_field(&c->w, "comment", comment);
	sbom_json_field(&c->w, "type", type);
	sbom_json_end_object(&c->w);
	sbom_json_end_array(&c->w);
}

static void tools(struct cdx *c)
{
	sbom_json_key(&c->w, "tools");
	sbom_json_object(&c->w);
	sbom_json_key(&c->w, "components");
	sbom_json_array(&c->w);
	sbom_json_object(&c->w);
	sbom_json_field(&c->w, "type", "application");
	sbom_json_field(&c->w, "name", "mint");
	sbom_json_field(&c->w, "version", mint_version());
	sbom_json_end_object(&c->w);
	sbom_json_end_array(&c->w);
	sbom_json_end_object(&c->w);
}

static void header(struct cdx *c, const char *uri)
{
	char uuid[37], urn[64];
	if (!c->rc && sbom_uuid5_url(uri, uuid))
		fail_oom(c);
	snprintf(urn, sizeof(urn), "urn:uuid:%s", c->rc ? "" : uuid);
	sbom_json_object(&c->w);
	sbom_json_field(&c->w, "bomFormat", "CycloneDX");
	sbom_json_field(&c->w, "specVersion", "1.6");
	sbom_json_field(&c->w, "serialNumber", urn);
	sbom_json_key(&c->w, "version");
	sbom_json_uint(&c->w, 1);
}

/* ---- the image and its layers ---- */

static const char *oci_purl(struct cdx *c, const char *digest, const char *media_type,
			    const struct mint_sbom_image *img)
{
	struct sbom_oci_purl p = {
		.name = c->repo.name, .digest = digest, .media_type = media_type,
		.repository_url = c->repo.repository_url,
	};
	struct mint_buf b = MINT_BUF_INIT;
	const char *s = NULL;
	if (img) {
		p.arch = img->oci_arch;
		p.os = "linux";
		p.variant = img->variant;
	}
	if (!sbom_oci_purl(&p, &b))
		s = mint_arena_strdup(&c->arena, mint_buf_span(&b));
	mint_buf_free(&b);
	if (!s)
		fail_oom(c);
	return s ? s : "";
}

static void layer(struct cdx *c, size_t i)
{
	const struct mint_sbom_layer *l = &c->img->layers[i];
	const char *media = l->media_type ? l->media_type : MINT_OCI_MEDIA_LAYER_GZIP;
	const char *purl = oci_purl(c, l->digest, media, c->img);
	char size[24];
	snprintf(size, sizeof(size), "%llu", (unsigned long long)l->size);
	sbom_json_object(&c->w);
	sbom_json_field(&c->w, "type", "file");
	sbom_json_field(&c->w, "mime-type", media);
	sbom_json_field(&c->w, "bom-ref", c->layer_ref[i]);
	sbom_json_field(&c->w, "name", l->digest);
	one_hash(c, "SHA-256", l->digest + 7);
	sbom_json_field(&c->w, "purl", purl);
	sbom_json_key(&c->w, "properties");
	sbom_json_array(&c->w);
	property(c, "mint:oci:diff_id", l->diff_id);
	property(c, "mint:oci:size", size);
	sbom_json_end_array(&c->w);
	sbom_json_end_object(&c->w);
}

static void image_vcs(struct cdx *c)
{
	struct mint_span url, commit;
	sbom_split_vcs(c->img->vcs_url, &url, &commit);
	char *u = mint_arena_strdup(&c->arena, url);
	char *at = commit.len ? mint_arena_strdup(&c->arena, commit) : NULL;
	if (!u || (commit.len && !at)) {
		fail_oom(c);
		return;
	}
	if (sbom_url_ok(u))
		external_ref(c, "vcs", u, at);
}

static void image_component(struct cdx *c)
{
	const struct mint_sbom_image *img = c->img;
	sbom_json_object(&c->w);
	sbom_json_field(&c->w, "type", "container");
	sbom_json_field(&c->w, "bom-ref", c->image_ref);
	sbom_json_field(&c->w, "name", c->repo.name);
	sbom_json_field(&c->w, "version", img->manifest_digest);
	one_hash(c, "SHA-256", img->manifest_digest + 7);
	sbom_json_field(&c->w, "purl", c->image_ref);
	if (img->vcs_url && *img->vcs_url)
		image_vcs(c);
	sbom_json_key(&c->w, "properties");
	sbom_json_array(&c->w);
	property(c, "mint:oci:architecture", img->oci_arch);
	property(c, "mint:oci:os", "linux");
	property(c, "mint:oci:variant", img->variant);
	property(c, "mint:oci:config", img->config_digest);
	property(c, "mint:apk:arch", img->apk_arch);
	sbom_json_end_array(&c->w);
	if (img->n_layers) {
		sbom_json_key(&c->w, "components");
		sbom_json_array(&c->w);
		for (size_t i = 0; i < img->n_layers; i++)
			if (c->layer_ref[i])
				layer(c, i);
		sbom_json_end_array(&c->w);
	}
	sbom_json_end_object(&c->w);
}

/* ---- the operating system, packages and files ---- */

static void os_component(struct cdx *c)
{
	const struct mint_sbom_os *os = &c->img->os;
	bool present = os->present;
	sbom_json_object(&c->w);
	sbom_json_field(&c->w, "type", "operating-system");
	sbom_json_field(&c->w, "bom-ref", c->os_ref);
	if (present && os->name && *os->name) {
		sbom_json_key(&c->w, "supplier");
		sbom_json_object(&c->w);
		sbom_json_field(&c->w, "name", os->name);
		sbom_json_end_object(&c->w);
	}
	sbom_json_field(&c->w, "name", present && os->id && *os->id ? os->id : "unknown");
	if (present && os->version_id && *os->version_id)
		sbom_json_field(&c->w, "version", os->version_id);
	sbom_json_field(&c->w, "description", present && os->pretty_name && *os->pretty_name
			? os->pretty_name : present ? NULL : "The image has no os-release file");
	if (present && sbom_url_ok(os->home_url))
		external_ref(c, "website", os->home_url, NULL);
	sbom_json_end_object(&c->w);
}

static void supplier(struct cdx *c, const char *maintainer)
{
	struct mint_span name, email;
	sbom_split_maintainer(maintainer, &name, &email);
	if (!name.len)
		return;
	sbom_json_key(&c->w, "supplier");
	sbom_json_object(&c->w);
	sbom_json_key(&c->w, "name");
	sbom_json_string_span(&c->w, name);
	if (email.len) {
		sbom_json_key(&c->w, "contact");
		sbom_json_array(&c->w);
		sbom_json_object(&c->w);
		sbom_json_key(&c->w, "name");
		sbom_json_string_span(&c->w, name);
		sbom_json_key(&c->w, "email");
		sbom_json_string_span(&c->w, email);
		sbom_json_end_object(&c->w);
		sbom_json_end_array(&c->w);
	}
	sbom_json_end_object(&c->w);
}

/* An SPDX expression as an expression, anything else as a license name. */
static void licenses(struct cdx *c, const char *field)
{
	if (!field || !*field || !strcmp(field, "NOASSERTION") || !strcmp(field, "NONE"))
		return;
	bool expr = sbom_license_expr_valid(field);
	sbom_json_key(&c->w, "licenses");
	sbom_json_array(&c->w);
	sbom_json_object(&c->w);
	if (expr) {
		sbom_json_field(&c->w, "expression", field);
	} else {
		sbom_json_key(&c->w, "license");
		sbom_json_object(&c->w);
		sbom_json_field(&c->w, "name", field);
		sbom_json_end_object(&c->w);
	}
	sbom_json_end_object(&c->w);
	sbom_json_end_array(&c->w);
}

static void file_component(struct cdx *c, const struct mint_sbom_file *f)
{
	char sha1[41], sha256[65];
	char *name = mint_arena_alloc(&c->arena, strlen(f->path ? f->path : "") + 2);
	if (!name) {
		fail_oom(c);
		return;
	}
	sprintf(name, "/%s", f->path ? f->path : "");
	char *ref = mint_arena_alloc(&c->arena, strlen(name) + 6);
	if (!ref) {
		fail_oom(c);
		return;
	}
	sprintf(ref, "file:%s", name);
	mint_hex_encode(f->sha1, sizeof(f->sha1), sha1);
	mint_hex_encode(f->sha256, sizeof(f->sha256), sha256);
	sbom_json_object(&c->w);
	sbom_json_field(&c->w, "type", "file");
	sbom_json_field(&c->w, "bom-ref", unique_ref(c, ref));
	sbom_json_field(&c->w, "name", name);
	sbom_json_key(&c->w, "hashes");
	sbom_json_array(&c->w);
	hash(c, "SHA-1", sha1);
	hash(c, "SHA-256", sha256);
	sbom_json_end_array(&c->w);
	sbom_json_end_object(&c->w);
}

/* The files owner (a package index or MINT_SBOM_BY_MINT) owns, nested. */
static void owned_files(struct cdx *c, size_t owner)
{
	const struct mint_sbom_image *img = c->img;
	bool any = false;
	for (size_t i = 0; i < img->n_files; i++) {
		size_t o = img->files[i].owner < img->n_packages ? img->files[i].owner
								  : MINT_SBOM_BY_MINT;
		if (o != owner)
			continue;
		if (!any) {
			sbom_json_key(&c->w, "components");
			sbom_json_array(&c->w);
			any = true;
		}
		file_component(c, &img->files[i]);
	}
	if (any)
		sbom_json_end_array(&c->w);
}

static void apk_properties(struct cdx *c, const struct mint_apk_pkg *info)
{
	sbom_json_key(&c->w, "properties");
	sbom_json_array(&c->w);
	property(c, "mint:apk:arch", info->arch);
	property(c, "mint:apk:origin", info->origin);
	property(c, "mint:apk:commit", info->commit);
	property(c, "mint:apk:identity", info->identity);
	sbom_json_end_array(&c->w);
}

static void apk_component(struct cdx *c, size_t i)
{
	const struct mint_apk_pkg *info = &c->img->packages[i].info;
	char sha1[41];
	sbom_json_object(&c->w);
	sbom_json_field(&c->w, "type", "library");
	sbom_json_field(&c->w, "bom-ref", c->apk_ref[i]);
	supplier(c, info->maintainer);
	sbom_json_field(&c->w, "name", info->name);
	sbom_json_field(&c->w, "version", info->version);
	if (info->description && *info->description)
		sbom_json_field(&c->w, "description", info->description);
	if (sbom_identity_sha1_hex(info->identity, sha1))
		one_hash(c, "SHA-1", sha1);
	licenses(c, info->license);
	sbom_json_field(&c->w, "purl", c->apk_ref[i]);
	if (sbom_url_ok(info->url))
		external_ref(c, "website", info->url, NULL);
	apk_properties(c, info);
	if (c->img->has_files)
		owned_files(c, i);
	sbom_json_end_object(&c->w);
}

static void generated_component(struct cdx *c)
{
	sbom_json_object(&c->w);
	sbom_json_field(&c->w, "type", "data");
	sbom_json_field(&c->w, "bom-ref", "mint:generated-files");
	sbom_json_field(&c->w, "name", "mint-generated-files");
	sbom_json_field(&c->w, "version", mint_version());
	sbom_json_field(&c->w, "description", "Regular files of the image that no installed "
			"package owns: what the image build wrote itself (accounts, the apk "
			"database, /etc/apk, /etc/apko.json, certificates, ...)");
	owned_files(c, MINT_SBOM_BY_MINT);
	sbom_json_end_object(&c->w);
}

static void dependency(struct cdx *c, const char *ref, const char *const *on, size_t n)
{
	sbom_json_object(&c->w);
	sbom_json_field(&c->w, "ref", ref);
	sbom_json_key(&c->w, "dependsOn");
	sbom_json_array(&c->w);
	for (size_t i = 0; i < n; i++)
		sbom_json_string(&c->w, on[i]);
	sbom_json_end_array(&c->w);
	sbom_json_end_object(&c->w);
}

/* One package's dependencies: its depends_on, each once, never itself. */
static void apk_dependency(struct cdx *c, size_t i, const char **scratch)
{
	const struct mint_sbom_package *p = &c->img->packages[i];
	size_t n = 0;
	for (size_t k = 0; k < p->n_depends_on; k++) {
		size_t j = p->depends_on[k];
		bool seen = j >= c->img->n_packages || j == i;
		for (size_t s = 0; !seen && s < n; s++)
			seen = scratch[s] == c->apk_ref[j];
		if (!seen)
			scratch[n++] = c->apk_ref[j];
	}
	dependency(c, c->apk_ref[i], scratch, n);
}

static void dependencies(struct cdx *c)
{
	const struct mint_sbom_image *img = c->img;
	size_t most = img->n_packages + 2;
	for (size_t i = 0; i < img->n_packages; i++)
		most = img->packages[i].n_depends_on > most ? img->packages[i].n_depends_on : most;
	const char **scratch = calloc(most, sizeof(*scratch));
	if (!scratch) {
		fail_oom(c);
		return;
	}
	size_t n = 0;
	scratch[n++] = c->os_ref;
	for (size_t i = 0; i < img->n_packages; i++)
		scratch[n++] = c->apk_ref[i];
	if (c->has_generated)
		scratch[n++] = "mint:generated-files";
	sbom_json_key(&c->w, "dependencies");
	sbom_json_array(&c->w);
	dependency(c, c->image_ref, scratch, n);
	dependency(c, c->os_ref, NULL, 0);
	for (size_t i = 0; i < img->n_packages; i++)
		apk_dependency(c, i, scratch);
	sbom_json_end_array(&c->w);
	free(scratch);
}

/* ---- bom-refs, decided before anything is written ---- */

static int check_model(struct cdx *c)
{
	const struct mint_sbom_image *img = c->img;
	if (!sbom_digest_hex(img->manifest_digest))
		return mint_err_set(c->err, MINT_EINVAL, "manifest digest \"%.80s\" is not "
				    "sha256:<64 hex>", img->manifest_digest);
	for (size_t i = 0; i < img->n_layers; i++)
		if (!sbom_digest_hex(img->layers[i].digest))
			return mint_err_set(c->err, MINT_EINVAL, "layer %zu digest \"%.80s\" is not "
					    "sha256:<64 hex>", i, img->layers[i].digest);
	for (size_t i = 0; i < img->n_packages; i++) {
		const struct mint_apk_pkg *p = &img->packages[i].info;
		if (!p->name || !*p->name || !p->version || !*p->version)
			return mint_err_set(c->err, MINT_EINVAL, "package %zu has no name or "
					    "version", i);
	}
	return 0;
}

static void assign_refs(struct cdx *c)
{
	const struct mint_sbom_image *img = c->img;
	struct mint_buf b = MINT_BUF_INIT;
	c->image_ref = unique_ref(c, oci_purl(c, img->manifest_digest, MINT_OCI_MEDIA_MANIFEST,
					      img));
	for (size_t i = 0; !c->rc && i < img->n_layers; i++) {
		const char *media = img->layers[i].media_type ? img->layers[i].media_type
							      : MINT_OCI_MEDIA_LAYER_GZIP;
		const char *purl = oci_purl(c, img->layers[i].digest, media, img);
		if (!mint_hashmap_get(&c->refs, mint_span_str(purl), NULL))
			c->layer_ref[i] = unique_ref(c, purl);
	}
	c->os_ref = unique_ref(c, "mint:os");
	for (size_t i = 0; !c->rc && i < img->n_packages; i++) {
		if (mint_sbom_apk_purl(img, &img->packages[i], &b))
			fail_oom(c);
		else
			c->apk_ref[i] = unique_ref(c, mint_buf_cstr(&b));
	}
	mint_buf_free(&b);
	for (size_t i = 0; img->has_files && i < img->n_files; i++)
		if (img->files[i].owner >= img->n_packages)
			c->has_generated = true;
	if (c->has_generated)
		unique_ref(c, "mint:generated-files");
}

static void write_image(struct cdx *c, const char *uri, const char *when)
{
	const struct mint_sbom_image *img = c->img;
	header(c, uri);
	sbom_json_key(&c->w, "metadata");
	sbom_json_object(&c->w);
	sbom_json_field(&c->w, "timestamp", when);
	tools(c);
	sbom_json_key(&c->w, "component");
	image_component(c);
	sbom_json_end_object(&c->w);
	sbom_json_key(&c->w, "components");
	sbom_json_array(&c->w);
	os_component(c);
	for (size_t i = 0; i < img->n_packages; i++)
		apk_component(c, i);
	if (c->has_generated)
		generated_component(c);
	sbom_json_end_array(&c->w);
	dependencies(c);
	sbom_json_end_object(&c->w);
}

static void cdx_free(struct cdx *c)
{
	free(c->apk_ref);
	free(c->layer_ref);
	mint_hashmap_free(&c->refs);
	mint_arena_free(&c->arena);
}

/* The first error: ours, else the JSON writer's. */
static int finish(struct cdx *c)
{
	int rc = sbom_json_end(&c->w, c->rc ? NULL : c->err);
	return c->rc ? c->rc : rc;
}

int mint_sbom_cdx_image(const struct mint_sbom_image *img, struct mint_buf *out,
			struct mint_err *err)
{
	struct cdx c = { .img = img, .err = err };
	struct mint_buf uri = MINT_BUF_INIT;
	char when[MINT_OCI_TIME_MAX];
	int rc = check_model(&c);
	if (!rc)
		rc = sbom_document_uri("cyclonedx", "image", img->manifest_digest, img->has_files,
				       &uri, err);
	if (!rc)
		rc = mint_oci_time(img->created, when, err);
	if (!rc) {
		sbom_repo_parse(img->name, "image", &c.repo);
		c.apk_ref = calloc(img->n_packages + 1, sizeof(*c.apk_ref));
		c.layer_ref = calloc(img->n_layers + 1, sizeof(*c.layer_ref));
		if (!c.apk_ref || !c.layer_ref)
			fail_oom(&c);
		if (!c.rc)
			assign_refs(&c);
		sbom_json_begin(&c.w, out);
		if (!c.rc)
			write_image(&c, mint_buf_cstr(&uri), when);
		rc = finish(&c);
	}
	if (rc)
		mint_err_prefix(err, "CycloneDX document of the %s image",
				img->apk_arch ? img->apk_arch : "");
	mint_buf_free(&uri);
	cdx_free(&c);
	return rc;
}

/* ---- the index ---- */

static void index_image(struct cdx *c, const struct mint_sbom_image *img, const char *ref)
{
	sbom_json_object(&c->w);
	sbom_json_field(&c->w, "type", "container");
	sbom_json_field(&c->w, "bom-ref", ref);
	sbom_json_field(&c->w, "name", c->repo.name);
	sbom_json_field(&c->w, "version", img->manifest_digest);
	one_hash(c, "SHA-256", img->manifest_digest + 7);
	sbom_json_field(&c->w, "purl", ref);
	sbom_json_key(&c->w, "properties");
	sbom_json_array(&c->w);
	property(c, "mint:oci:architecture", img->oci_arch);
	property(c, "mint:oci:os", "linux");
	property(c, "mint:oci:variant", img->variant);
	property(c, "mint:apk:arch", img->apk_arch);
	sbom_json_end_array(&c->w);
	sbom_json_end_object(&c->w);
}

static void write_index(struct cdx *c, const struct mint_sbom_index *ix, const char *uri,
			const char *when, const char **refs)
{
	const char *index_ref = refs[ix->n_images];
	header(c, uri);
	sbom_json_key(&c->w, "metadata");
	sbom_json_object(&c->w);
	sbom_json_field(&c->w, "timestamp", when);
	tools(c);
	sbom_json_key(&c->w, "component");
	sbom_json_object(&c->w);
	sbom_json_field(&c->w, "type", "container");
	sbom_json_field(&c->w, "bom-ref", index_ref);
	sbom_json_field(&c->w, "name", c->repo.name);
	sbom_json_field(&c->w, "version", ix->digest);
	sbom_json_field(&c->w, "description", "Multi-arch image index");
	one_hash(c, "SHA-256", ix->digest + 7);
	sbom_json_field(&c->w, "purl", index_ref);
	sbom_json_end_object(&c->w);
	sbom_json_end_object(&c->w);
	sbom_json_key(&c->w, "components");
	sbom_json_array(&c->w);
	for (size_t i = 0; i < ix->n_images; i++)
		index_image(c, &ix->images[i], refs[i]);
	sbom_json_end_array(&c->w);
	sbom_json_key(&c->w, "dependencies");
	sbom_json_array(&c->w);
	dependency(c, index_ref, refs, ix->n_images);
	for (size_t i = 0; i < ix->n_images; i++)
		dependency(c, refs[i], NULL, 0);
	sbom_json_end_array(&c->w);
	sbom_json_end_object(&c->w);
}

static int check_index(struct cdx *c, const struct mint_sbom_index *ix)
{
	if (!ix->n_images)
		return mint_err_set(c->err, MINT_EINVAL, "the index has no images");
	if (!sbom_digest_hex(ix->digest))
		return mint_err_set(c->err, MINT_EINVAL, "index digest \"%.80s\" is not "
				    "sha256:<64 hex>", ix->digest);
	for (size_t i = 0; i < ix->n_images; i++)
		if (!sbom_digest_hex(ix->images[i].manifest_digest))
			return mint_err_set(c->err, MINT_EINVAL, "image %zu digest \"%.80s\" is not "
					    "sha256:<64 hex>", i, ix->images[i].manifest_digest);
	return 0;
}

/* refs[i] for image i, refs[n_images] for the index. */
static void index_refs(struct cdx *c, const struct mint_sbom_index *ix, const char **refs)
{
	for (size_t i = 0; !c->rc && i < ix->n_images; i++)
		refs[i] = unique_ref(c, oci_purl(c, ix->images[i].manifest_digest,
						 MINT_OCI_MEDIA_MANIFEST, &ix->images[i]));
	if (!c->rc)
		refs[ix->n_images] = unique_ref(c, oci_purl(c, ix->digest, MINT_OCI_MEDIA_INDEX,
							    NULL));
}

int mint_sbom_cdx_index(const struct mint_sbom_index *ix, struct mint_buf *out,
			struct mint_err *err)
{
	struct cdx c = { .err = err };
	struct mint_buf uri = MINT_BUF_INIT;
	char when[MINT_OCI_TIME_MAX];
	const char **refs = NULL;
	int rc = check_index(&c, ix);
	if (!rc)
		rc = sbom_document_uri("cyclonedx", "index", ix->digest, false, &uri, err);
	if (!rc)
		rc = mint_oci_time(ix->created, when, err);
	if (!rc) {
		sbom_repo_parse(ix->name, "index", &c.repo);
		refs = calloc(ix->n_images + 1, sizeof(*refs));
		if (!refs)
			fail_oom(&c);
		else
			index_refs(&c, ix, refs);
		sbom_json_begin(&c.w, out);
		if (!c.rc)
			write_index(&c, ix, mint_buf_cstr(&uri), when, refs);
		rc = finish(&c);
	}
	if (rc)
		mint_err_prefix(err, "CycloneDX document of the index");
	free(refs);
	mint_buf_free(&uri);
	cdx_free(&c);
	return rc;
}
