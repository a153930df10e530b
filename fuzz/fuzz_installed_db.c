/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Installed database builder over synthetic data entries: each input line is
 * one entry, its first byte choosing the package (bit 0), the type (bits
 * 1-2: dir, file, symlink, hardlink), a non-root owner (bit 3) and xattrs
 * (bit 4); the rest is the path. Any entries must build, write and free
 * cleanly (paths are not cleaned here, unlike the package reader's).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "mint/image_files.h"

#define MAX_ENTRIES 256

static unsigned char xattr_value[] = { 1, 2, 3 };
static struct mint_xattr xattr = { "user.x", xattr_value, sizeof(xattr_value) };

static void fill_entry(struct mint_apk_entry *e, unsigned char sel, char *path)
{
	static const enum mint_tar_type types[] = { MINT_TAR_DIR, MINT_TAR_REG, MINT_TAR_SYMLINK,
						    MINT_TAR_HARDLINK };
	memset(e, 0, sizeof(*e));
	e->path = path;
	e->type = types[(sel >> 1) & 3];
	e->mode = e->type == MINT_TAR_DIR ? 0755 : 0644;
	e->link_target = e->type == MINT_TAR_SYMLINK ? path : NULL;
	e->uid = e->gid = (sel & 8) ? 1000 : 0;
	e->has_apk_sha1 = e->type == MINT_TAR_REG;
	memset(e->apk_sha1, sel, sizeof(e->apk_sha1));
	if (sel & 16) {
		e->xattrs = &xattr;
		e->n_xattrs = 1;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct mint_apk_entry entries[2][MAX_ENTRIES];
	size_t n[2] = { 0, 0 };
	char *text = malloc(size + 1);
	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	for (char *line = text, *next; line && *line; line = next) {
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		unsigned char sel = (unsigned char)line[0];
		if (n[sel & 1] < MAX_ENTRIES)
			fill_entry(&entries[sel & 1][n[sel & 1]++], sel, line + 1);
	}
	struct mint_apk_pkg a = { .name = "a", .version = "1", .identity = "Q1aa" };
	struct mint_apk_pkg b = { .name = "b", .version = "2", .identity = "Q1bb" };
	struct mint_image_pkg pkgs[] = { { &a, entries[0], n[0], NULL, 0 },
					 { &b, entries[1], n[1], NULL, 0 } };
	struct mint_buf out = MINT_BUF_INIT;
	mint_image_installed_db(pkgs, 2, &out, NULL);
	mint_buf_free(&out);
	free(text);
	return 0;
}
