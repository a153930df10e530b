/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Fuzzes the merge of SBOMs that packages ship: the input is the SPDX
 * document package "a" ships, in an image that also has packages "b" and
 * "c". Whatever the bytes, the SPDX writer must succeed, write JSON that
 * parses, keep SPDX's rules (valid unique SPDXIDs, relationships between
 * elements of the document, extracted info for every LicenseRef) and write
 * the same bytes twice.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "mint/sbom.h"
#include "../tests/unit/sbom_json_check.h"

static char digest[MINT_OCI_DIGEST_MAX] =
	"sha256:0000000000000000000000000000000000000000000000000000000000000000";

static void package(struct mint_sbom_package *p, char *name, char *version)
{
	memset(p, 0, sizeof(*p));
	p->info.name = name;
	p->info.version = version;
	p->info.license = "LicenseRef-a AND MIT";
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct mint_sbom_package pkgs[3];
	size_t dep = 1;
	struct mint_sbom_layer layer = { .size = 1 };
	struct mint_sbom_image img = {
		.apk_arch = "x86_64", .oci_arch = "amd64", .packages = pkgs, .n_packages = 3,
		.layers = &layer, .n_layers = 1, .os = { .present = true, .id = "a", .name = "A" },
	};
	struct mint_buf one = MINT_BUF_INIT, two = MINT_BUF_INIT;
	char why[512];
	memcpy(img.manifest_digest, digest, sizeof(digest));
	memcpy(layer.digest, digest, sizeof(digest));
	package(&pkgs[0], "a", "1-r0");
	package(&pkgs[1], "b", "2-r0");
	package(&pkgs[2], "c", "3-r0");
	pkgs[0].depends_on = &dep;
	pkgs[0].n_depends_on = 1;
	pkgs[0].shipped_sbom = (struct mint_buf){ (char *)data, size, size };
	pkgs[2].shipped_sbom = pkgs[0].shipped_sbom;
	if (mint_sbom_spdx_image(&img, &one, NULL) || mint_sbom_spdx_image(&img, &two, NULL))
		abort();
	if (one.len != two.len || memcmp(one.data, two.data, one.len))
		abort();
	json_t *doc = sbom_check_parse(&one);
	if (!doc || sbom_check_spdx(doc, why, sizeof(why)))
		abort();
	json_decref(doc);
	mint_buf_free(&one);
	mint_buf_free(&two);
	return 0;
}
