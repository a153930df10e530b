/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Test helper for tests/e2e/pkg_sbom_schema.sh: writes package SBOMs
 * (mint/pkg_sbom.h) from inputs built by hand, for the SPDX validator.
 *
 *   mkpkgsbom DIR   hello-2.12-r3.spdx.json (two sources, a recipe commit),
 *                   bare-1-r0.spdx.json (nothing optional, no license),
 *                   odd_name-0.1_rc1-r2.spdx.json (characters IDs escape,
 *                   a license that is no SPDX expression)
 */
#include <stdio.h>

#include "mint/fs.h"
#include "mint/pkg_sbom.h"

static const struct mint_pkg_sbom_source hello_sources[] = {
	{ "https://example.org/dl/hello-2.12.tar.gz",
	  "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", NULL },
	{ "https://example.org/dl/hello-extra.tar.xz", NULL,
	  "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff"
	  "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff" },
};

static const struct mint_pkg_sbom_in docs[] = {
	{ .name = "hello", .full_version = "2.12-r3", .arch = "x86_64",
	  .license = "GPL-3.0-or-later", .namespace_ = "wolfi", .description = "Says hello",
	  .url = "https://www.gnu.org/software/hello/", .commit = "c0ffee",
	  .recipe_name = "hello",
	  .recipe_sha256 = "fedcba9876543210fedcba9876543210fedcba9876543210fedcba9876543210",
	  .sources = hello_sources, .n_sources = 2, .created = 1700000000 },
	{ .name = "bare", .full_version = "1-r0", .arch = "aarch64" },
	{ .name = "odd_name", .full_version = "0.1_rc1-r2", .arch = "armv7",
	  .license = "Custom terms (see COPYING)", .namespace_ = "My Distro",
	  .recipe_name = "odd_name", .url = "not a url", .sources = hello_sources,
	  .n_sources = 1, .created = 86400 },
};

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: mkpkgsbom DIR\n");
		return 2;
	}
	for (size_t i = 0; i < sizeof(docs) / sizeof(docs[0]); i++) {
		struct mint_buf doc = MINT_BUF_INIT, path = MINT_BUF_INIT;
		struct mint_err err = { 0 };
		int rc = mint_pkg_sbom_spdx(&docs[i], &doc, &err);
		if (!rc && mint_buf_printf(&path, "%s/%s-%s.spdx.json", argv[1], docs[i].name,
					   docs[i].full_version))
			rc = mint_err_set(&err, MINT_ENOMEM, "out of memory");
		if (!rc)
			rc = mint_file_write_atomic(mint_buf_cstr(&path), doc.data, doc.len, 0644,
						    &err);
		mint_buf_free(&doc);
		mint_buf_free(&path);
		if (rc) {
			char line[2048];
			mint_err_format(&err, line, sizeof(line));
			fprintf(stderr, "mkpkgsbom: %s\n", line);
			return 1;
		}
	}
	return 0;
}
