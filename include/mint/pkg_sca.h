/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Automatic dependencies of a built package (melange's SCA): what the
 * files in a package's destination tree need and provide.
 *
 *  - shared libraries (ELF ET_DYN with a DT_SONAME, in a library
 *    directory) provide "so:<soname>=<version>";
 *  - every ELF file's DT_NEEDED entries become "so:<name>" depends,
 *    except those the package (or a sibling listed in also_provided)
 *    provides itself;
 *  - executables in bin/, sbin/, usr/bin/, usr/sbin/ provide
 *    "cmd:<name>=<full-version>";
 *  - results are sorted and deduplicated; options of the recipe turn
 *    each kind off.
 * Files are untrusted bytes: read with bounds, never followed through
 * symlinks out of the tree.
 */
#ifndef MINT_PKG_SCA_H
#define MINT_PKG_SCA_H

#include <stdbool.h>

#include "mint/err.h"
#include "mint/image_config.h"
#include "mint/span.h"

struct mint_pkg_sca_opts {
	const char *full_version;     /* "1.2.3-r0", for cmd: provides */
	bool no_provides;
	bool no_depends;
	bool no_commands;
	bool no_versioned_shlib_deps;
	/* so: names other packages of the same build provide (not made
	 * depends of this one when it needs them: they become plain
	 * depends on that package's so: provide, as melange does). */
	const struct mint_image_strs *also_provided;
};

/* Appends to depends/provides (sorted, unique). */
int mint_pkg_sca(const char *destdir, const struct mint_pkg_sca_opts *o,
		 struct mint_image_strs *depends, struct mint_image_strs *provides,
		 struct mint_err *err);

/* The DT_NEEDED names of one ELF file (bounded, like mint_elf_soname).
 * Appended to out. A file that is not ELF is MINT_EFORMAT. Lives in
 * lib/image/elf.c beside the DT_SONAME reader whose walk it shares. */
int mint_elf_needed(struct mint_span file, struct mint_image_strs *out, struct mint_err *err);

/* The PT_INTERP path of one ELF file ("/lib/ld-musl-x86_64.so.1"),
 * NUL bytes trimmed from both ends, pointing into file; an empty span
 * when there is none. Only the header and program header table need be
 * sound (MINT_EFORMAT/MINT_ETRUNCATED otherwise); an interpreter that
 * runs past the end of the file is cut there, as Go reads it. */
int mint_elf_interp(struct mint_span file, struct mint_span *interp, struct mint_err *err);

#endif
