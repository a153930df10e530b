/* SPDX-License-Identifier: Apache-2.0 */
/*
 * libFuzzer harness for mint_tar_extract: each input is unpacked into
 * root/ inside a fresh temporary directory, which must afterwards hold
 * root/ alone (still a directory, not a link): nothing may be created
 * beside it. The tree is then removed with mint_remove_tree, which must
 * succeed whatever modes the input left behind.
 */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "mint/sandbox.h"

static void check_only_root(const char *parent, const char *root)
{
	struct stat st;
	if (lstat(root, &st) < 0 || !S_ISDIR(st.st_mode))
		abort();
	DIR *d = opendir(parent);
	if (!d)
		abort();
	struct dirent *de;
	while ((de = readdir(d)))
		if (strcmp(de->d_name, ".") && strcmp(de->d_name, "..") &&
		    strcmp(de->d_name, "root"))
			abort();
	closedir(d);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *tmp = getenv("TMPDIR");
	char parent[512], root[540];
	snprintf(parent, sizeof(parent), "%s/mint-fuzz-extract-XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(parent))
		abort();
	snprintf(root, sizeof(root), "%s/root", parent);
	if (mkdir(root, 0755) < 0)
		abort();
	struct mint_span_source ss;
	struct mint_source src =
		mint_span_source_init(&ss, (struct mint_span){ (const char *)data, size });
	struct mint_err err = { 0 };
	mint_tar_extract(src, root, &err);
	check_only_root(parent, root);
	if (mint_remove_tree(parent, &err))
		abort();
	return 0;
}
