/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Test-only packages for the image plan without .apk files: entries made in
 * memory, their content kept in one process-wide store that
 * test_plan_reader serves as "package data".
 */
#ifndef MINT_TEST_PLANBUILD_H
#define MINT_TEST_PLANBUILD_H

#include <stddef.h>
#include <stdint.h>

#include "mint/image_plan.h"

struct test_entry {
	const char *path;
	enum mint_tar_type type;   /* 0 means MINT_TAR_REG */
	const char *content;       /* regular files */
	size_t content_len;        /* 0: strlen(content) */
	const char *link;          /* symlink or hardlink target */
	uint32_t mode;             /* 0: 0755 for directories, 0644 otherwise */
	int64_t mtime;
};

/* Adds package idx called name (with these provides) to p; fails the test
 * on error. */
void plan_add_test_package(struct mint_image_plan *p, size_t idx, const char *name,
			   const char *const *provides, size_t n_provides,
			   const struct test_entry *entries, size_t n);

/* Serves the content of packages added with plan_add_test_package. */
extern const struct mint_plan_content_reader test_plan_reader;

#endif
