/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The SBOM collector over apko's golden image (internal/cli/testdata/golden,
 * two archs, one layer each): every layer is streamed from the layout
 * through mint_sbom_collect_tar with file hashing on, and the model must
 * match what apko's own golden SBOMs were made from: os-release "replaces",
 * the two packages of the installed db in order (replayout depending on
 * pretend-baselayout), both shipped SBOMs found under their exact names,
 * and the three package files attributed (etc/os-release to replayout,
 * which replaced pretend-baselayout's copy, and one SBOM file each).
 *
 * Then apko's installed-db samples (pkg/apk/apk/testdata/installed) go
 * through the collector as lone database files, to count how many of their
 * dependencies resolve within each sample's own package set.
 */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mint/oci_image.h"
#include "mint/sbom.h"

static unsigned n_layers, n_packages, n_shipped, n_attributed, n_by_mint;

static const struct mint_sbom_file *file_at(const struct mint_sbom_image *img, const char *path)
{
	for (size_t i = 0; i < img->n_files; i++)
		if (!strcmp(img->files[i].path, path))
			return &img->files[i];
	fail_msg("golden layer: no file %s", path);
	return NULL;
}

static void check_golden_model(const struct mint_sbom_image *img)
{
	assert_true(img->os.present);
	assert_string_equal(img->os.id, "replaces");
	assert_string_equal(img->os.version_id, "1.0.0");
	assert_int_equal(img->n_packages, 2);
	assert_string_equal(img->packages[0].info.name, "pretend-baselayout");
	assert_string_equal(img->packages[1].info.name, "replayout");
	assert_int_equal(img->packages[1].n_depends_on, 1);
	assert_int_equal(img->packages[1].depends_on[0], 0);
	for (size_t i = 0; i < 2; i++)
		assert_true(mint_span_starts_with(mint_buf_span(&img->packages[i].shipped_sbom),
						  "{\n  \"SPDXID\": \"SPDXRef-DOCUMENT\""));
	assert_string_equal(img->packages[0].shipped_sbom_path,
			    "var/lib/db/sbom/pretend-baselayout-1.0.0-r0.spdx.json");
	assert_int_equal(file_at(img, "etc/os-release")->owner, 1);
	assert_int_equal(file_at(img, "var/lib/db/sbom/replayout-1.0.0-r0.spdx.json")->owner, 1);
	const char *shipped = "var/lib/db/sbom/pretend-baselayout-1.0.0-r0.spdx.json";
	assert_int_equal(file_at(img, shipped)->owner, 0);
	assert_int_equal(file_at(img, "etc/apko.json")->owner, MINT_SBOM_BY_MINT);
	for (size_t i = 1; i < img->n_files; i++)
		assert_true(strcmp(img->files[i - 1].path, img->files[i].path) < 0);
}

static void count(const struct mint_sbom_image *img)
{
	n_packages += (unsigned)img->n_packages;
	for (size_t i = 0; i < img->n_packages; i++)
		n_shipped += img->packages[i].shipped_sbom.len > 0;
	for (size_t i = 0; i < img->n_files; i++) {
		if (img->files[i].owner == MINT_SBOM_BY_MINT)
			n_by_mint++;
		else
			n_attributed++;
	}
}

static void collect_layer(struct mint_oci_image *oci, const char *digest)
{
	struct mint_sbom_collect_opts opts = { .hash_files = true };
	struct mint_sbom_image img = { 0 };
	struct mint_source src;
	struct mint_err err = { 0 };
	assert_ok(mint_oci_image_layer_open(oci, digest, &src, &err), &err);
	assert_ok(mint_sbom_collect_tar(src, &opts, &img, &err), &err);
	mint_oci_image_layer_close(oci);
	check_golden_model(&img);
	count(&img);
	n_layers++;
	mint_sbom_image_free(&img);
}

static void test_conf_sbom_collect_golden_layers(void **state)
{
	(void)state;
	char *dir = fixture_or_skip("apko/internal/cli/testdata/golden");
	if (!dir)
		return;
	struct mint_oci_image *oci = NULL;
	struct mint_err err = { 0 };
	assert_ok(mint_oci_image_open(dir, &oci, &err), &err);
	assert_int_equal(mint_oci_image_count(oci), 2);
	for (size_t i = 0; i < mint_oci_image_count(oci); i++) {
		const struct mint_oci_image_ref *ref = mint_oci_image_get(oci, i);
		for (size_t l = 0; l < ref->n_layers; l++)
			collect_layer(oci, ref->layer_digests[l]);
	}
	mint_oci_image_free(oci);
	free(dir);
	assert_int_equal(n_layers, 2);
	printf("conformance: apko golden layers collected: %u packages, %u shipped SBOMs, "
	       "%u files attributed (%u layers, %u files mint's)\n",
	       n_packages, n_shipped, n_attributed, n_layers, n_by_mint);
}

static void test_conf_sbom_collect_installed_samples_resolve_dependencies(void **state)
{
	(void)state;
	static const char *const samples[] = {
		"apko/pkg/apk/apk/testdata/installed/wolfi-base",
		"apko/pkg/apk/apk/testdata/installed/redis-operator-compat",
		"apko/pkg/apk/apk/testdata/root/usr/lib/apk/db/installed",
	};
	unsigned pkgs = 0, items = 0, edges = 0;
	for (size_t s = 0; s < sizeof(samples) / sizeof(samples[0]); s++) {
		char *path = fixture_or_skip(samples[s]);
		if (!path)
			return;
		struct mint_buf text = MINT_BUF_INIT;
		struct mint_sbom_collector *c = NULL;
		struct mint_sbom_image img = { 0 };
		struct mint_span_source ss;
		struct mint_err err = { 0 };
		read_file_or_fail(path, &text);
		struct mint_source src = mint_span_source_init(&ss, mint_buf_span(&text));
		assert_ok(mint_sbom_collector_new(&c, NULL, &err), &err);
		assert_ok(mint_sbom_collector_entry(c, "usr/lib/apk/db/installed", MINT_TAR_REG,
						    text.len, NULL, &src, &err), &err);
		assert_ok(mint_sbom_collector_finish(c, &img, &err), &err);
		assert_true(img.n_packages > 0);
		for (size_t i = 0; i < img.n_packages; i++) {
			items += (unsigned)img.packages[i].info.depends.n;
			edges += (unsigned)img.packages[i].n_depends_on;
			for (size_t k = 0; k < img.packages[i].n_depends_on; k++)
				assert_true(img.packages[i].depends_on[k] < img.n_packages);
		}
		pkgs += (unsigned)img.n_packages;
		mint_sbom_image_free(&img);
		mint_sbom_collector_free(c);
		mint_buf_free(&text);
		free(path);
	}
	printf("conformance: apko installed samples: %u packages, %u dependency items, "
	       "%u dependencies resolved within the sample\n", pkgs, items, edges);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_conf_sbom_collect_golden_layers),
		cmocka_unit_test(test_conf_sbom_collect_installed_samples_resolve_dependencies),
	};
	return tests_exit(cmocka_run_group_tests(tests, NULL, NULL));
}
