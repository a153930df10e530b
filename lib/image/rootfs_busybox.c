/* SPDX-License-Identifier: Apache-2.0 */
/*
 * busybox applet links, as apko makes them instead of running
 * `busybox --install -s`: from the manifests busybox packages ship in
 * etc/busybox-paths.d/ (Alpine since 1.36.0-r8, Wolfi since 1.36.0-r3).
 * apko reads only the manifest named after the package that provides
 * busybox and otherwise falls back to a table compiled into it per busybox
 * version; mint reads every manifest in that directory and has no table.
 */
#include "mint/image_rootfs.h"

#include <string.h>

#include "mint/path.h"
#include "rootfs_internal.h"

#define MANIFEST_MAX (1u << 20)

static int link_one(struct mint_image_plan *p, const char *clean, int64_t busybox_mtime,
		    struct mint_err *err)
{
	struct mint_buf parent = MINT_BUF_INIT;
	const struct mint_plan_node *n = mint_image_plan_lookup(p, clean), *dir;
	int rc = 0;
	if (n) {
		/* apko keeps an existing symlink or regular file, else fails */
		if (n->type == MINT_TAR_SYMLINK || rootfs_file_node(p, n))
			return 0;
		return mint_err_set(err, MINT_EDUPLICATE, "creating busybox link %s: a %s is there",
				    clean, n->type == MINT_TAR_DIR ? "directory" : "special file");
	}
	if (rootfs_parent(clean, &parent))
		return mint_err_set(err, MINT_ENOMEM, "out of memory");
	int64_t mtime = busybox_mtime; /* a link at the top (/linuxrc) */
	if (parent.len) {
		rc = rootfs_mkdir_all(p, parent.data, 0755, busybox_mtime, err);
		if (!rc)
			rc = mint_image_plan_resolve(p, parent.data, &dir, err);
		if (!rc)
			mtime = dir->mtime;
	}
	if (!rc)
		rc = mint_image_plan_put_symlink(p, clean, "/bin/busybox", 0777, 0, 0, mtime, err);
	mint_buf_free(&parent);
	return rc;
}

static int link_manifest(struct mint_image_plan *p, const char *file, struct mint_span text,
			 int64_t busybox_mtime, struct mint_err *err)
{
	struct mint_span rest = text, line;
	struct mint_buf clean = MINT_BUF_INIT;
	unsigned line_no = 0;
	int rc = 0;
	while (!rc && rest.len && mint_span_split(&rest, '\n', &line)) {
		line_no++;
		if (!line.len || mint_span_eq_str(line, "/bin/busybox"))
			continue;
		rc = mint_path_clean(line, true, &clean, err);
		if (!rc && !mint_buf_cstr(&clean))
			rc = mint_err_set(err, MINT_ENOMEM, "out of memory");
		if (!rc && !clean.data[0])
			continue;
		if (!rc && strcmp(clean.data, "bin/busybox") != 0)
			rc = link_one(p, clean.data, busybox_mtime, err);
		if (rc) {
			mint_err_set_file(err, file);
			mint_err_set_pos(err, line_no, 1);
		}
	}
	mint_buf_free(&clean);
	return rc;
}

int mint_image_rootfs_busybox(struct mint_image_plan *p,
			      const struct mint_plan_content_reader *reader,
			      struct mint_err *err)
{
	const struct mint_plan_node *bb, *dir;
	struct mint_buf text = MINT_BUF_INIT;
	int rc = 0;
	if (!p)
		return mint_err_set(err, MINT_EINVAL, "busybox: no plan");
	if (mint_image_plan_resolve(p, "bin/busybox", &bb, NULL))
		return 0;
	if (mint_image_plan_resolve(p, "etc/busybox-paths.d", &dir, NULL) ||
	    dir->type != MINT_TAR_DIR)
		return 0;
	int64_t mtime = bb->mtime;
	struct mint_buf names = MINT_BUF_INIT;
	/* names first: links may land in this very directory */
	for (size_t i = 0; !rc && i < dir->n_children; i++) {
		if (mint_buf_printf(&names, "etc/busybox-paths.d/%s%c", dir->children[i]->name, 0))
			rc = mint_err_set(err, MINT_ENOMEM, "out of memory");
	}
	for (size_t at = 0; !rc && at < names.len; at += strlen(names.data + at) + 1) {
		const struct mint_plan_node *f;
		const char *file = names.data + at;
		if (mint_image_plan_resolve(p, file, &f, NULL) || !rootfs_file_node(p, f))
			continue;
		rc = mint_image_plan_read_file(p, file, reader, MANIFEST_MAX, &text, err);
		if (!rc)
			rc = link_manifest(p, file, mint_buf_span(&text), mtime, err);
	}
	mint_buf_free(&names);
	mint_buf_free(&text);
	return rc;
}
