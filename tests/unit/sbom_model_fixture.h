/* SPDX-License-Identifier: Apache-2.0 */
/*
 * An SBOM model built by hand, shared by the writer tests and by
 * tests/tools/mksbom.c (so no cmocka in here: functions return 0 or
 * MINT_E*). Two arches and their index:
 *
 *   x86_64  one layer, a VCS checkout, every regular file hashed
 *   aarch64 two layers (so packages hang off the image), no files
 *
 * Six packages with every kind of metadata: full (musl), a dependency
 * chain, a name that is no SPDXID (libstdc++), a license expression with
 * WITH, a license that is no expression, a package that ships an SBOM
 * (fontpkg: described by itself, a recipe package, an upstream package, a
 * file, a DEPENDS_ON to musl's own SPDX package and an SPDXID that clashes
 * with the OS package's) and one with next to nothing (bare).
 */
#ifndef MINT_TEST_SBOM_MODEL_FIXTURE_H
#define MINT_TEST_SBOM_MODEL_FIXTURE_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mint/apk_pkg.h"
#include "mint/oci.h"
#include "mint/sbom.h"

#define SBOM_FIXTURE_CREATED 1700000000
#define SBOM_FIXTURE_COMMIT "0123456789abcdef0123456789abcdef01234567"

/* A shipped SBOM in the form melange writes (trimmed by hand). */
static const char sbom_fixture_shipped[] =
	"{\n"
	" \"SPDXID\": \"SPDXRef-DOCUMENT\", \"name\": \"apk-fontpkg-0.869-r1\",\n"
	" \"spdxVersion\": \"SPDX-2.3\",\n"
	" \"creationInfo\": {\"created\": \"2024-05-17T11:47:37Z\",\n"
	"   \"creators\": [\"Tool: melange (v0.1)\"]},\n"
	" \"dataLicense\": \"CC0-1.0\",\n"
	" \"documentNamespace\": \"https://example.org/spdx/fontpkg\",\n"
	" \"documentDescribes\": [\"SPDXRef-Package-fontpkg-0.869-r1\"],\n"
	" \"packages\": [\n"
	"  {\"SPDXID\": \"SPDXRef-Package-fontpkg-0.869-r1\", \"name\": \"fontpkg\",\n"
	"   \"versionInfo\": \"0.869-r1\", \"filesAnalyzed\": false,\n"
	"   \"licenseDeclared\": \"LicenseRef-font\", \"downloadLocation\": \"NOASSERTION\",\n"
	"   \"copyrightText\": \"Copyright 2024 Font Makers <fonts>\"},\n"
	"  {\"SPDXID\": \"SPDXRef-Package-fontpkg.yaml-abc\", \"name\": \"fontpkg.yaml\",\n"
	"   \"versionInfo\": \"abc\", \"licenseDeclared\": \"Apache-2.0\",\n"
	"   \"downloadLocation\": \"NOASSERTION\", \"supplier\": \"Organization: Font Makers\",\n"
	"   \"externalRefs\": [{\"referenceCategory\": \"PACKAGE-MANAGER\",\n"
	"     \"referenceType\": \"purl\",\n"
	"     \"referenceLocator\": \"pkg:github/example/os@abc#fontpkg.yaml\"},\n"
	"    {\"referenceCategory\": \"BOGUS\", \"referenceType\": \"x\", \"referenceLocator\": \"y\"}]},\n"
	"  {\"SPDXID\": \"SPDXRef-OperatingSystem-mintos\", \"name\": \"upstream-font\",\n"
	"   \"versionInfo\": \"0.869\", \"primaryPackagePurpose\": \"NOT-A-PURPOSE\",\n"
	"   \"checksums\": [{\"algorithm\": \"SHA256\", \"checksumValue\":\n"
	"     \"00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff\"},\n"
	"    {\"algorithm\": \"CRC\", \"checksumValue\": \"zz\"}]},\n"
	"  {\"SPDXID\": \"SPDXRef-Package-musl-1.2.4-r0\", \"name\": \"musl\",\n"
	"   \"versionInfo\": \"1.2.4-r0\"},\n"
	"  {\"SPDXID\": \"SPDXRef-Unreached\", \"name\": \"unreached\"}\n"
	" ],\n"
	" \"files\": [{\"SPDXID\": \"SPDXRef-File-font\", \"fileName\": \"/usr/share/fonts/x.ttf\",\n"
	"   \"checksums\": [{\"algorithm\": \"SHA1\", \"checksumValue\": \"00\"}]}],\n"
	" \"hasExtractedLicensingInfos\": [{\"licenseId\": \"LicenseRef-font\",\n"
	"   \"extractedText\": \"Fonts may be used & shared <freely>.\"}],\n"
	" \"relationships\": [\n"
	"  {\"spdxElementId\": \"SPDXRef-Package-fontpkg-0.869-r1\", \"relationshipType\":\n"
	"   \"DESCRIBED_BY\", \"relatedSpdxElement\": \"SPDXRef-Package-fontpkg.yaml-abc\"},\n"
	"  {\"spdxElementId\": \"SPDXRef-Package-fontpkg-0.869-r1\", \"relationshipType\":\n"
	"   \"GENERATED_FROM\", \"relatedSpdxElement\": \"SPDXRef-OperatingSystem-mintos\"},\n"
	"  {\"spdxElementId\": \"SPDXRef-Package-fontpkg-0.869-r1\", \"relationshipType\":\n"
	"   \"CONTAINS\", \"relatedSpdxElement\": \"SPDXRef-File-font\"},\n"
	"  {\"spdxElementId\": \"SPDXRef-Package-fontpkg-0.869-r1\", \"relationshipType\":\n"
	"   \"DEPENDS_ON\", \"relatedSpdxElement\": \"SPDXRef-Package-musl-1.2.4-r0\"},\n"
	"  {\"spdxElementId\": \"SPDXRef-Package-fontpkg-0.869-r1\", \"relationshipType\":\n"
	"   \"NOT_A_TYPE\", \"relatedSpdxElement\": \"SPDXRef-Unreached\"}\n"
	" ]\n"
	"}\n";

struct sbom_fixture_pkg {
	const char *name, *version, *license, *maintainer, *url, *origin, *identity;
	size_t deps[2];
	size_t n_deps;
};

static const struct sbom_fixture_pkg sbom_fixture_pkgs[] = {
	{ "musl", "1.2.4-r0", "MIT", "Jane Doe <jane@example.org>", "https://musl.libc.org/",
	  "musl", "Q1m6wB0UFePGN8Drz82pC8y2uAiu8=", { 0 }, 0 },
	{ "busybox", "1.36.1-r2", "GPL-2.0-only", "Jane Doe <jane@example.org>",
	  "https://busybox.net/", "busybox", "Q1S+THz+JYZxcNzNCw2jI9YlnDnE4=", { 0 }, 1 },
	{ "libstdc++", "13.2.0-r1", "GPL-3.0-or-later WITH GCC-exception-3.1",
	  "Builders <not an address>", "https://gcc.gnu.org", "gcc", NULL, { 0, 0 }, 2 },
	{ "ca-certs", "2024-r0", "MPL-2.0 AND MIT or custom", "Cert Team", "not a url", NULL, NULL,
	  { 0 }, 0 },
	{ "fontpkg", "0.869-r1", "LicenseRef-font", "Font Makers <fonts@example.org>",
	  NULL, "fontpkg", NULL, { 0 }, 0 },
	{ "bare", "1-r0", NULL, NULL, NULL, NULL, NULL, { 0 }, 0 },
};

#define SBOM_FIXTURE_N_PKGS (sizeof(sbom_fixture_pkgs) / sizeof(sbom_fixture_pkgs[0]))

struct sbom_fixture {
	struct mint_sbom_image img[2];
	struct mint_sbom_index ix;
};

static inline char *sbom_fixture_dup(const char *s)
{
	return s ? strdup(s) : NULL;
}

static inline int sbom_fixture_package(struct mint_sbom_package *p,
				       const struct sbom_fixture_pkg *f, const char *arch)
{
	memset(p, 0, sizeof(*p));
	p->info.name = sbom_fixture_dup(f->name);
	p->info.version = sbom_fixture_dup(f->version);
	p->info.arch = sbom_fixture_dup(arch);
	p->info.license = sbom_fixture_dup(f->license);
	p->info.maintainer = sbom_fixture_dup(f->maintainer);
	p->info.url = sbom_fixture_dup(f->url);
	p->info.origin = sbom_fixture_dup(f->origin);
	p->info.identity = sbom_fixture_dup(f->identity);
	p->info.description = sbom_fixture_dup(f->origin ? "A package for tests" : NULL);
	p->info.commit = sbom_fixture_dup(f->origin ? SBOM_FIXTURE_COMMIT : NULL);
	p->n_depends_on = f->n_deps;
	p->depends_on = calloc(f->n_deps + 1, sizeof(size_t));
	if (!p->depends_on || !p->info.name || !p->info.version)
		return MINT_ENOMEM;
	memcpy(p->depends_on, f->deps, f->n_deps * sizeof(size_t));
	if (strcmp(f->name, "fontpkg") == 0) {
		p->shipped_sbom_path = strdup("var/lib/db/sbom/fontpkg-0.869-r1.spdx.json");
		if (!p->shipped_sbom_path || mint_buf_puts(&p->shipped_sbom, sbom_fixture_shipped))
			return MINT_ENOMEM;
	}
	return 0;
}

static inline void sbom_fixture_file(struct mint_sbom_file *f, const char *path, size_t owner)
{
	f->path = strdup(path);
	f->size = strlen(path);
	f->owner = owner;
	for (size_t i = 0; i < sizeof(f->sha256); i++)
		f->sha256[i] = (unsigned char)(path[i % strlen(path)] + i);
	for (size_t i = 0; i < sizeof(f->sha1); i++)
		f->sha1[i] = (unsigned char)(path[i % strlen(path)] ^ i);
}

static inline int sbom_fixture_files(struct mint_sbom_image *img)
{
	static const struct { const char *path; size_t owner; } files[] = {
		{ "bin/busybox", 1 },
		{ "etc/apko.json", MINT_SBOM_BY_MINT },
		{ "etc/passwd", MINT_SBOM_BY_MINT },
		{ "lib/ld-musl-x86_64.so.1", 0 },
		{ "usr/share/fonts/x&y.ttf", 4 },
	};
	img->has_files = true;
	img->n_files = sizeof(files) / sizeof(files[0]);
	img->files = calloc(img->n_files, sizeof(*img->files));
	if (!img->files)
		return MINT_ENOMEM;
	for (size_t i = 0; i < img->n_files; i++) {
		sbom_fixture_file(&img->files[i], files[i].path, files[i].owner);
		if (!img->files[i].path)
			return MINT_ENOMEM;
	}
	return 0;
}

static inline int sbom_fixture_os(struct mint_sbom_os *os)
{
	os->present = true;
	os->id = strdup("mintos");
	os->name = strdup("Mint Test OS");
	os->version_id = strdup("1.0");
	os->pretty_name = strdup("Mint Test OS 1.0 <test>");
	os->home_url = strdup("https://mint.invalid/os");
	return os->id && os->name && os->version_id && os->pretty_name && os->home_url
	       ? 0 : MINT_ENOMEM;
}

static inline int sbom_fixture_layers(struct mint_sbom_image *img, size_t n)
{
	img->n_layers = n;
	img->layers = calloc(n, sizeof(*img->layers));
	if (!img->layers)
		return MINT_ENOMEM;
	for (size_t i = 0; i < n; i++) {
		char seed[64];
		snprintf(seed, sizeof(seed), "%s layer %zu", img->apk_arch, i);
		if (mint_oci_digest_of(seed, strlen(seed), img->layers[i].digest, NULL))
			return MINT_ENOMEM;
		snprintf(seed, sizeof(seed), "%s diff %zu", img->apk_arch, i);
		if (mint_oci_digest_of(seed, strlen(seed), img->layers[i].diff_id, NULL))
			return MINT_ENOMEM;
		img->layers[i].size = 1000 + i;
		img->layers[i].media_type = MINT_OCI_MEDIA_LAYER_GZIP;
	}
	return 0;
}

static inline int sbom_fixture_image(struct mint_sbom_image *img, size_t which)
{
	static const char *const apk[] = { "x86_64", "aarch64" }, *const oci[] = { "amd64",
										  "arm64" };
	char seed[64];
	memset(img, 0, sizeof(*img));
	img->apk_arch = apk[which];
	img->oci_arch = oci[which];
	img->name = strdup("registry.example/org/app:1.0");
	img->created = SBOM_FIXTURE_CREATED + (int64_t)which;
	snprintf(seed, sizeof(seed), "manifest %s", apk[which]);
	if (!img->name || mint_oci_digest_of(seed, strlen(seed), img->manifest_digest, NULL))
		return MINT_ENOMEM;
	snprintf(seed, sizeof(seed), "config %s", apk[which]);
	if (mint_oci_digest_of(seed, strlen(seed), img->config_digest, NULL))
		return MINT_ENOMEM;
	int rc = sbom_fixture_layers(img, which + 1);
	if (!rc)
		rc = sbom_fixture_os(&img->os);
	img->n_packages = SBOM_FIXTURE_N_PKGS;
	img->packages = calloc(img->n_packages, sizeof(*img->packages));
	if (!img->packages)
		return MINT_ENOMEM;
	for (size_t i = 0; !rc && i < img->n_packages; i++)
		rc = sbom_fixture_package(&img->packages[i], &sbom_fixture_pkgs[i], apk[which]);
	if (!rc && which == 0) {
		img->vcs_url = "https://github.com/example/app@" SBOM_FIXTURE_COMMIT;
		rc = sbom_fixture_files(img);
	}
	return rc;
}

/* Frees what sbom_fixture_image allocated (the collector's own free is
 * not the writers' to call). */
static inline void sbom_fixture_image_free(struct mint_sbom_image *img)
{
	for (size_t i = 0; img->packages && i < img->n_packages; i++) {
		struct mint_sbom_package *p = &img->packages[i];
		mint_apk_pkg_free(&p->info);
		free(p->depends_on);
		mint_buf_free(&p->shipped_sbom);
		free(p->shipped_sbom_path);
	}
	for (size_t i = 0; img->files && i < img->n_files; i++)
		free(img->files[i].path);
	free(img->packages);
	free(img->files);
	free(img->layers);
	free(img->name);
	free(img->os.id);
	free(img->os.name);
	free(img->os.version_id);
	free(img->os.pretty_name);
	free(img->os.home_url);
	memset(img, 0, sizeof(*img));
}

static inline int sbom_fixture_build(struct sbom_fixture *fx)
{
	memset(fx, 0, sizeof(*fx));
	int rc = sbom_fixture_image(&fx->img[0], 0);
	if (!rc)
		rc = sbom_fixture_image(&fx->img[1], 1);
	fx->ix.name = strdup("registry.example/org/app:1.0");
	fx->ix.created = SBOM_FIXTURE_CREATED + 1;
	fx->ix.images = fx->img;
	fx->ix.n_images = 2;
	if (!rc && (!fx->ix.name || mint_oci_digest_of("index", 5, fx->ix.digest, NULL)))
		rc = MINT_ENOMEM;
	return rc;
}

static inline void sbom_fixture_free(struct sbom_fixture *fx)
{
	sbom_fixture_image_free(&fx->img[0]);
	sbom_fixture_image_free(&fx->img[1]);
	free(fx->ix.name);
}

#endif
