/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Test helper for tests/e2e/sbom_schema.sh: writes SBOM documents from
 * models built by hand, for the SPDX and CycloneDX validators to judge.
 *
 *   mksbom all DIR          the fixture model (tests/unit/sbom_model_fixture.h):
 *                           sbom-{x86_64,aarch64,index}.{spdx,cdx}.json in DIR
 *   mksbom merge DIR FILE.. one image whose packages ship the SPDX files
 *                           given (package name and version from the file
 *                           name <name>-<version>.spdx.json):
 *                           sbom-merged.{spdx,cdx}.json in DIR
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mint/fs.h"
#include "../unit/sbom_model_fixture.h"

static int report(const struct mint_err *err)
{
	char line[2048];
	mint_err_format(err, line, sizeof(line));
	fprintf(stderr, "mksbom: %s\n", line);
	return 1;
}

typedef int (*writer_fn)(const void *model, struct mint_buf *out, struct mint_err *err);

static int write_doc(const char *dir, const char *name, int rc, const struct mint_buf *doc,
		     struct mint_err *err)
{
	char path[4096];
	if (rc)
		return report(err);
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	FILE *f = fopen(path, "wb");
	if (!f || fwrite(doc->data, 1, doc->len, f) != doc->len || fclose(f)) {
		fprintf(stderr, "mksbom: cannot write %s\n", path);
		return 1;
	}
	return 0;
}

static int write_image(const char *dir, const struct mint_sbom_image *img, const char *arch)
{
	struct mint_buf doc = MINT_BUF_INIT;
	struct mint_err err = { 0 };
	char name[128];
	snprintf(name, sizeof(name), "sbom-%s.spdx.json", arch);
	int rc = write_doc(dir, name, mint_sbom_spdx_image(img, &doc, &err), &doc, &err);
	snprintf(name, sizeof(name), "sbom-%s.cdx.json", arch);
	if (!rc)
		rc = write_doc(dir, name, mint_sbom_cdx_image(img, &doc, &err), &doc, &err);
	mint_buf_free(&doc);
	return rc;
}

static int all(const char *dir)
{
	struct sbom_fixture fx;
	struct mint_buf doc = MINT_BUF_INIT;
	struct mint_err err = { 0 };
	int rc = sbom_fixture_build(&fx);
	if (rc)
		fprintf(stderr, "mksbom: out of memory\n");
	for (size_t i = 0; !rc && i < 2; i++)
		rc = write_image(dir, &fx.img[i], fx.img[i].apk_arch);
	if (!rc)
		rc = write_doc(dir, "sbom-index.spdx.json", mint_sbom_spdx_index(&fx.ix, &doc, &err),
			       &doc, &err);
	if (!rc)
		rc = write_doc(dir, "sbom-index.cdx.json", mint_sbom_cdx_index(&fx.ix, &doc, &err),
			       &doc, &err);
	mint_buf_free(&doc);
	sbom_fixture_free(&fx);
	return rc ? 1 : 0;
}

/* "<name>-<version>.spdx.json": the version is the last two '-'
 * separated parts ("1.0-r0"), or the last one without a -rN. */
static int package_of_file(struct mint_sbom_package *p, const char *path)
{
	const char *base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
	struct sbom_fixture_pkg f = { 0 };
	char *name = strdup(base), *version = NULL;
	if (!name)
		return MINT_ENOMEM;
	char *ext = strstr(name, ".spdx.json");
	if (ext)
		*ext = '\0';
	char *dash = strrchr(name, '-');
	if (dash && dash[1] == 'r' && dash > name) {
		*dash = '\0';
		char *prev = strrchr(name, '-');
		*dash = '-';
		dash = prev;
	}
	if (dash) {
		*dash = '\0';
		version = dash + 1;
	}
	f.name = name;
	f.version = version ? version : "0";
	f.license = "MIT";
	int rc = sbom_fixture_package(p, &f, "x86_64");
	free(name);
	p->shipped_sbom_path = strdup(path);
	if (!rc && (!p->shipped_sbom_path || mint_file_read(path, SIZE_MAX, &p->shipped_sbom,
							     NULL)))
		rc = MINT_EIO;
	return rc;
}

static int merge(const char *dir, char **files, size_t n)
{
	struct mint_sbom_image img;
	int rc = sbom_fixture_image(&img, 1);
	for (size_t i = 0; i < img.n_packages; i++) {
		mint_apk_pkg_free(&img.packages[i].info);
		free(img.packages[i].depends_on);
		mint_buf_free(&img.packages[i].shipped_sbom);
		free(img.packages[i].shipped_sbom_path);
	}
	free(img.packages);
	img.n_packages = n;
	img.packages = calloc(n ? n : 1, sizeof(*img.packages));
	if (!img.packages)
		rc = MINT_ENOMEM;
	for (size_t i = 0; !rc && i < n; i++)
		rc = package_of_file(&img.packages[i], files[i]);
	if (rc)
		fprintf(stderr, "mksbom: cannot build the model (%s)\n", mint_strerror(rc));
	else
		rc = write_image(dir, &img, "merged");
	sbom_fixture_image_free(&img);
	return rc ? 1 : 0;
}

int main(int argc, char **argv)
{
	if (argc == 3 && !strcmp(argv[1], "all"))
		return all(argv[2]);
	if (argc >= 3 && !strcmp(argv[1], "merge"))
		return merge(argv[2], argv + 3, (size_t)(argc - 3));
	fprintf(stderr, "usage: mksbom all DIR | mksbom merge DIR FILE...\n");
	return 2;
}
