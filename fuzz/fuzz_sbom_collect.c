/* SPDX-License-Identifier: Apache-2.0 */
/*
 * libFuzzer harness for the SBOM collector: the input is one layer's tar
 * stream, collected with file hashing on (and a small whole-file limit so
 * big kept files are refused rather than held). Whatever is accepted must
 * be a consistent model: files sorted by path with owners in range, and
 * each package's dependencies sorted, unique, in range and not itself.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "mint/sbom.h"

static void check_model(const struct mint_sbom_image *img)
{
	for (size_t i = 0; i < img->n_files; i++) {
		if (i && strcmp(img->files[i - 1].path, img->files[i].path) >= 0)
			__builtin_trap();
		size_t owner = img->files[i].owner;
		if (owner != MINT_SBOM_BY_MINT && owner >= img->n_packages)
			__builtin_trap();
	}
	for (size_t i = 0; i < img->n_packages; i++) {
		const struct mint_sbom_package *p = &img->packages[i];
		for (size_t k = 0; k < p->n_depends_on; k++) {
			if (p->depends_on[k] >= img->n_packages || p->depends_on[k] == i ||
			    (k && p->depends_on[k - 1] >= p->depends_on[k]))
				__builtin_trap();
		}
		if ((p->shipped_sbom.len > 0) != (p->shipped_sbom_path != NULL))
			__builtin_trap();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct mint_sbom_collect_opts opts = { .hash_files = true, .max_file_bytes = 1 << 16 };
	struct mint_sbom_image img;
	struct mint_span_source s;
	memset(&img, 0, sizeof(img));
	struct mint_source src = mint_span_source_init(&s, MINT_SPAN(data, size));
	if (mint_sbom_collect_tar(src, &opts, &img, NULL) == 0)
		check_model(&img);
	mint_sbom_image_free(&img);
	return 0;
}
