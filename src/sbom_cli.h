/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Writing the SBOM documents of an image, shared by `mint sbom` and
 * `mint build` (which runs it on the image it just wrote, before moving it
 * into place, so both commands give the same bytes for the same image).
 */
#ifndef MINT_SBOM_CLI_H
#define MINT_SBOM_CLI_H

#include <stdbool.h>
#include <stdio.h>

#include "mint/err.h"
#include "mint/oci_image.h"

struct sbom_args {
	const char *sbom_path;  /* directory, created when missing */
	bool spdx, cyclonedx;
	bool files;             /* --sbom-files */
	const char *name;       /* --name */
	const char *image;
	FILE *listing;          /* where each written path is printed; NULL: stdout */
};

/* --sbom-formats "spdx,cyclonedx": 0 or a usage exit code. */
int sbom_cli_parse_formats(struct sbom_args *a, const char *cmd, const char *list);
/* The repository of a reference: "reg:5000/a/b:1.2" -> "reg:5000/a/b" (malloc'd). */
char *sbom_cli_repository_of(const char *ref);
/* sbom-<apkarch>.{spdx,cdx}.json for every image of oci and
 * sbom-index.{spdx,cdx}.json, into a->sbom_path; name is the repository
 * purls name. */
int sbom_cli_write(const struct sbom_args *a, struct mint_oci_image *oci, const char *name,
		   struct mint_err *err);

#endif
