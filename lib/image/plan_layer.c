/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Writing an image plan into one OCI layer: the sorted walk, each node
 * handed to the layer writer with its attributes, package content pulled
 * through the caller's content reader.
 *
 * Hardlinks: tar needs a link's target earlier in the archive. When the
 * walk meets a hardlink before its target, the link's path is written as
 * the file (with the target's attributes and content) and the target
 * later as a hardlink to it; `written` maps a file's path to the path its
 * content was written under.
 */
#include "mint/image_plan.h"

#include <string.h>

#include "mint/hashmap.h"
#include "mint/span.h"

struct layer_walk {
	const struct mint_image_plan *plan;
	struct mint_oci_layer *layer;
	const struct mint_plan_content_reader *reader;
	struct mint_hashmap written; /* file path -> path its content went under */
};

static void attr_of(const struct mint_plan_node *n, struct mint_oci_entry_attr *a)
{
	memset(a, 0, sizeof(*a));
	a->mode = n->mode;
	a->uid = n->uid;
	a->gid = n->gid;
	a->uname = n->uname;
	a->gname = n->gname;
	a->mtime = n->mtime;
	a->xattrs = n->xattrs;
	a->n_xattrs = n->n_xattrs;
}

/* The content of file f, written under path. */
static int write_file(struct layer_walk *w, const char *path, const struct mint_plan_node *f,
		      struct mint_err *err)
{
	struct mint_oci_entry_attr a;
	attr_of(f, &a);
	if (f->content == MINT_PLAN_CONTENT_OWNED)
		return mint_oci_layer_add_file(w->layer, path, &a, f->data, f->size, err);
	if (f->content == MINT_PLAN_CONTENT_NONE)
		return mint_oci_layer_add_file(w->layer, path, &a, NULL, 0, err);
	if (!w->reader || !w->reader->open)
		return mint_err_set(err, MINT_EINVAL, "%s: package content but no content reader",
				    f->path);
	struct mint_source src;
	int rc = w->reader->open(w->reader->ctx, f, &src, err);
	if (rc)
		return rc;
	rc = mint_oci_layer_add_file_from(w->layer, path, &a, f->size, src, err);
	if (w->reader->close)
		w->reader->close(w->reader->ctx, f);
	return rc;
}

static int remember(struct layer_walk *w, const char *file, const char *under,
		    struct mint_err *err)
{
	if (mint_hashmap_put(&w->written, mint_span_str(file), (void *)under))
		return mint_err_set(err, MINT_ENOMEM, "image plan: out of memory");
	return 0;
}

static int emit_file(struct layer_walk *w, const struct mint_plan_node *n, struct mint_err *err)
{
	void *under;
	if (mint_hashmap_get(&w->written, mint_span_str(n->path), &under)) {
		struct mint_oci_entry_attr a;
		attr_of(n, &a);
		return mint_oci_layer_add_hardlink(w->layer, n->path, &a, under, err);
	}
	int rc = write_file(w, n->path, n, err);
	return rc ? rc : remember(w, n->path, n->path, err);
}

static int emit_hardlink(struct layer_walk *w, const struct mint_plan_node *n,
			 struct mint_err *err)
{
	void *under;
	struct mint_oci_entry_attr a;
	attr_of(n, &a);
	if (mint_hashmap_get(&w->written, mint_span_str(n->link_target), &under))
		return mint_oci_layer_add_hardlink(w->layer, n->path, &a, under, err);
	const struct mint_plan_node *t = mint_image_plan_lookup(w->plan, n->link_target);
	if (!t || t->type != MINT_TAR_REG)
		return mint_err_set(err, MINT_ENOTFOUND,
				    "%s: hardlink target %s is no longer a file in the image",
				    n->path, n->link_target);
	int rc = write_file(w, n->path, t, err);
	return rc ? rc : remember(w, t->path, n->path, err);
}

static int emit(void *ctx, const struct mint_plan_node *n, struct mint_err *err)
{
	struct layer_walk *w = ctx;
	struct mint_oci_entry_attr a;
	attr_of(n, &a);
	switch (n->type) {
	case MINT_TAR_DIR:
		return mint_oci_layer_add_dir(w->layer, n->path, &a, err);
	case MINT_TAR_REG:
		return emit_file(w, n, err);
	case MINT_TAR_HARDLINK:
		return emit_hardlink(w, n, err);
	case MINT_TAR_SYMLINK:
		return mint_oci_layer_add_symlink(w->layer, n->path, &a, n->link_target, err);
	case MINT_TAR_CHAR:
	case MINT_TAR_BLOCKDEV:
	case MINT_TAR_FIFO:
		return mint_oci_layer_add_device(w->layer, n->path, &a, n->type, n->devmajor,
						 n->devminor, err);
	}
	return mint_err_set(err, MINT_EUNSUPPORTED, "%s: unknown node type", n->path);
}

int mint_image_plan_write_layer(const struct mint_image_plan *p, struct mint_oci_layer *l,
				const struct mint_plan_content_reader *reader,
				struct mint_err *err)
{
	if (!p || !l)
		return mint_err_set(err, MINT_EINVAL, "image plan: no plan or layer");
	struct layer_walk w = { p, l, reader, MINT_HASHMAP_INIT };
	int rc = mint_image_plan_walk(p, emit, &w, err);
	mint_hashmap_free(&w.written);
	return rc;
}
