/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Two images compared: the image index's fields, then for each platform
 * (paired by "os/arch[/variant]", in byte order) its descriptor in the
 * index, its config's and its manifest's fields, then its file tree.
 *
 * What one difference implies is not repeated: the index's manifest list
 * is covered by the platforms; a manifest's config digest by the config's
 * fields; a layer's digest by the file tree when its diff_id differs too.
 * Nothing is silent either: a document whose bytes differ where no field
 * does (key order, white space, compression of the same tar) is reported as
 * a "digest" difference, so an empty diff means equal digests everywhere.
 *
 * Layers are read only when diff_ids differ, so comparing an image with a
 * copy of itself reads a few small documents.
 */
#include "audit_internal.h"

#include <stdlib.h>
#include <string.h>

struct differ {
	struct mint_image_diff *out;
	size_t cap, max;
	const struct mint_image_diff_limits *limits;
	struct mint_err *err;
	/* the document being compared */
	const char *platform;
	enum mint_diff_doc doc;
	bool (*skip)(const struct differ *d, const char *path);
	const json_t *diff_ids_a, *diff_ids_b; /* for the manifest's skip */
	bool same_config;
};

/* ---- the list ---- */

static const char *keep(struct differ *d, const char *s)
{
	if (!s)
		return NULL;
	char *copy = mint_arena_strdup(&d->out->arena, mint_span_str(s));
	if (!copy)
		mint_err_set(d->err, MINT_ENOMEM, "out of memory for a diff");
	return copy;
}

static int push(struct differ *d, const struct mint_image_difference *x)
{
	struct mint_image_diff *o = d->out;
	if (o->n >= d->max)
		return mint_err_set(d->err, MINT_ELIMIT, "more than %zu differences", d->max);
	if (o->n == d->cap) {
		size_t cap = d->cap ? d->cap * 2 : 32;
		struct mint_image_difference *v = realloc(o->v, cap * sizeof(*v));
		if (!v)
			return mint_err_set(d->err, MINT_ENOMEM, "out of memory for a diff");
		o->v = v;
		d->cap = cap;
	}
	o->v[o->n++] = *x;
	return 0;
}

static int push_field_text(struct differ *d, const char *path, const char *old_json,
			   const char *new_json)
{
	struct mint_image_difference x = { .kind = MINT_DIFF_FIELD, .platform = d->platform,
					   .doc = d->doc };
	if (!(x.field = keep(d, path)) || (old_json && !(x.old_json = keep(d, old_json))) ||
	    (new_json && !(x.new_json = keep(d, new_json))))
		return MINT_ENOMEM;
	return push(d, &x);
}

static int emit_field(void *ctx, const char *path, const json_t *a, const json_t *b,
		      struct mint_err *err)
{
	struct differ *d = ctx;
	if (d->skip && d->skip(d, path))
		return 0;
	char *old_json = a ? audit_json_text(a) : NULL;
	char *new_json = b ? audit_json_text(b) : NULL;
	int rc = (a && !old_json) || (b && !new_json)
			 ? mint_err_set(err, MINT_ENOMEM, "out of memory")
			 : push_field_text(d, path, old_json, new_json);
	free(old_json);
	free(new_json);
	return rc;
}

/* A "digest" difference: the two digests as JSON strings, "" as absent. */
static int push_digest(struct differ *d, const char *a, const char *b)
{
	char old_json[MINT_OCI_DIGEST_MAX + 2], new_json[MINT_OCI_DIGEST_MAX + 2];
	snprintf(old_json, sizeof(old_json), "\"%s\"", a);
	snprintf(new_json, sizeof(new_json), "\"%s\"", b);
	return push_field_text(d, "digest", *a ? old_json : NULL, *b ? new_json : NULL);
}

/* ---- documents ---- */

static int read_doc(struct mint_oci_image *img, const char *digest, json_t **out,
		    struct mint_err *err)
{
	struct mint_buf text = MINT_BUF_INIT;
	*out = NULL;
	int rc = mint_oci_image_read_blob(img, digest, MINT_OCI_IMAGE_JSON_MAX, &text, err);
	if (!rc) {
		json_error_t je;
		*out = json_loadb(text.data ? text.data : "", text.len, 0, &je);
		if (!*out) {
			mint_err_set_offset(err, (uint64_t)(je.position > 0 ? je.position : 0));
			rc = mint_err_set(err, MINT_EFORMAT, "%s is not JSON: %s", digest, je.text);
		}
	}
	mint_buf_free(&text);
	return rc;
}

static int read_pair(struct mint_oci_image *a, const char *da, struct mint_oci_image *b,
		     const char *db, json_t **ja, json_t **jb, struct mint_err *err)
{
	*jb = NULL;
	int rc = read_doc(a, da, ja, err);
	if (rc) {
		mint_err_prefix(err, "first image");
		return rc;
	}
	rc = read_doc(b, db, jb, err);
	if (rc) {
		mint_err_prefix(err, "second image");
		json_decref(*ja);
		*ja = NULL;
	}
	return rc;
}

static bool starts_with_field(const char *path, const char *field)
{
	size_t n = strlen(field);
	return !strncmp(path, field, n) && (!path[n] || path[n] == '.' || path[n] == '[');
}

static bool skip_manifest_list(const struct differ *d, const char *path)
{
	(void)d;
	return starts_with_field(path, "manifests");
}

/* config.digest and size follow from the config's own fields; a layer's
 * digest and size from its file tree when its diff_id differs too. */
static bool skip_implied(const struct differ *d, const char *path)
{
	if (!strcmp(path, "config.digest") || !strcmp(path, "config.size"))
		return true;
	size_t i;
	int used = 0;
	char rest[8];
	if (d->same_config || sscanf(path, "layers[%zu].%7s%n", &i, rest, &used) != 2 ||
	    path[used] || (strcmp(rest, "digest") && strcmp(rest, "size")))
		return false;
	const json_t *a = json_array_get(d->diff_ids_a, i), *b = json_array_get(d->diff_ids_b, i);
	return !a || !b || !json_equal((json_t *)a, (json_t *)b);
}

/* ---- the index ---- */

static int index_fields(struct differ *d, struct mint_oci_image *a, struct mint_oci_image *b,
			json_t **ja, json_t **jb)
{
	const char *da = mint_oci_image_index_digest(a), *db = mint_oci_image_index_digest(b);
	d->platform = "";
	d->doc = MINT_DIFF_DOC_INDEX;
	if (!*da || !*db)
		return strcmp(da, db) ? push_digest(d, da, db) : 0;
	int rc = read_pair(a, da, b, db, ja, jb, d->err);
	if (rc) {
		mint_err_prefix(d->err, "image index");
		return rc;
	}
	d->skip = skip_manifest_list;
	rc = audit_json_diff(*ja, *jb, emit_field, d, d->err);
	d->skip = NULL;
	return rc;
}

/* The index's descriptor of a manifest, without digest and size, wrapped
 * as {"descriptor": ...} so that its fields are named that way. */
static json_t *descriptor_of(const json_t *index, const char *digest)
{
	json_t *m = json_object_get(index, "manifests");
	for (size_t i = 0; i < json_array_size(m); i++) {
		json_t *e = json_array_get(m, i);
		json_t *dg = json_object_get(e, "digest");
		if (!json_is_string(dg) || strcmp(json_string_value(dg), digest))
			continue;
		json_t *copy = json_deep_copy(e);
		json_object_del(copy, "digest");
		json_object_del(copy, "size");
		return copy ? json_pack("{so}", "descriptor", copy) : NULL;
	}
	return json_null();
}

static int descriptor_fields(struct differ *d, const json_t *ia, const json_t *ib,
			     const struct mint_oci_image_ref *ra,
			     const struct mint_oci_image_ref *rb)
{
	if (!ia || !ib || !*ra->manifest_digest || !*rb->manifest_digest)
		return 0;
	json_t *xa = descriptor_of(ia, ra->manifest_digest);
	json_t *xb = descriptor_of(ib, rb->manifest_digest);
	int rc = !xa || !xb ? mint_err_set(d->err, MINT_ENOMEM, "out of memory") : 0;
	d->doc = MINT_DIFF_DOC_INDEX;
	if (!rc && json_is_object(xa) && json_is_object(xb))
		rc = audit_json_diff(xa, xb, emit_field, d, d->err);
	json_decref(xa);
	json_decref(xb);
	return rc;
}

/* ---- one platform ---- */

struct platform_docs {
	json_t *config_a, *config_b;
};

static const json_t *diff_ids_of(const json_t *config)
{
	return json_object_get(json_object_get(config, "rootfs"), "diff_ids");
}

static int config_fields(struct differ *d, struct mint_oci_image *a, struct mint_oci_image *b,
			 const struct mint_oci_image_ref *ra, const struct mint_oci_image_ref *rb,
			 struct platform_docs *docs)
{
	d->doc = MINT_DIFF_DOC_CONFIG;
	if (!strcmp(ra->config_digest, rb->config_digest))
		return 0;
	int rc = read_pair(a, ra->config_digest, b, rb->config_digest, &docs->config_a,
			   &docs->config_b, d->err);
	size_t before = d->out->n;
	if (!rc)
		rc = audit_json_diff(docs->config_a, docs->config_b, emit_field, d, d->err);
	else
		mint_err_prefix(d->err, "config");
	if (!rc && d->out->n == before)
		rc = push_digest(d, ra->config_digest, rb->config_digest);
	return rc;
}

static int manifest_fields(struct differ *d, struct mint_oci_image *a, struct mint_oci_image *b,
			   const struct mint_oci_image_ref *ra,
			   const struct mint_oci_image_ref *rb, const struct platform_docs *docs)
{
	d->doc = MINT_DIFF_DOC_MANIFEST;
	if (!*ra->manifest_digest || !*rb->manifest_digest)
		return strcmp(ra->manifest_digest, rb->manifest_digest)
			       ? push_digest(d, ra->manifest_digest, rb->manifest_digest)
			       : 0;
	json_t *ma, *mb;
	int rc = read_pair(a, ra->manifest_digest, b, rb->manifest_digest, &ma, &mb, d->err);
	if (rc) {
		mint_err_prefix(d->err, "manifest");
		return rc;
	}
	d->skip = skip_implied;
	d->same_config = !strcmp(ra->config_digest, rb->config_digest);
	d->diff_ids_a = diff_ids_of(docs->config_a);
	d->diff_ids_b = diff_ids_of(docs->config_b);
	rc = audit_json_diff(ma, mb, emit_field, d, d->err);
	d->skip = NULL;
	json_decref(ma);
	json_decref(mb);
	return rc;
}

static bool same_layers(const struct mint_oci_image_ref *ra, const struct mint_oci_image_ref *rb,
			const struct platform_docs *docs)
{
	const json_t *ia = diff_ids_of(docs->config_a), *ib = diff_ids_of(docs->config_b);
	if (ia && ib && json_equal((json_t *)ia, (json_t *)ib))
		return true;
	if (ra->n_layers != rb->n_layers)
		return false;
	for (size_t i = 0; i < ra->n_layers; i++)
		if (strcmp(ra->layer_digests[i], rb->layer_digests[i]))
			return false;
	return true;
}

static int keep_file(struct differ *d, const struct mint_image_file *f,
		     struct mint_image_file *out)
{
	*out = *f;
	if (!(out->path = keep(d, f->path)) || !(out->uname = keep(d, f->uname)) ||
	    !(out->gname = keep(d, f->gname)) ||
	    (f->link_target && !(out->link_target = keep(d, f->link_target))))
		return MINT_ENOMEM;
	return 0;
}

static int push_file(struct differ *d, enum mint_diff_kind kind, const struct mint_image_file *fa,
		     const struct mint_image_file *fb, unsigned changed)
{
	struct mint_image_difference x = { .kind = kind, .platform = d->platform,
					   .changed = changed };
	if ((fa && keep_file(d, fa, &x.old_file)) || (fb && keep_file(d, fb, &x.new_file)))
		return MINT_ENOMEM;
	return push(d, &x);
}

static int compare_trees(struct differ *d, const struct audit_tree *ta,
			 const struct audit_tree *tb)
{
	size_t i = 0, j = 0;
	int rc = 0;
	while (!rc && (i < ta->n || j < tb->n)) {
		int cmp = i == ta->n ? 1 : j == tb->n ? -1 : strcmp(ta->v[i].path, tb->v[j].path);
		if (cmp < 0) {
			rc = push_file(d, MINT_DIFF_FILE_REMOVED, &ta->v[i++], NULL, 0);
		} else if (cmp > 0) {
			rc = push_file(d, MINT_DIFF_FILE_ADDED, NULL, &tb->v[j++], 0);
		} else {
			unsigned c = audit_file_changes(&ta->v[i], &tb->v[j]);
			if (c)
				rc = push_file(d, MINT_DIFF_FILE_CHANGED, &ta->v[i], &tb->v[j], c);
			i++;
			j++;
		}
	}
	return rc;
}

static int file_trees(struct differ *d, struct mint_oci_image *a, struct mint_oci_image *b,
		      const struct mint_oci_image_ref *ra, const struct mint_oci_image_ref *rb)
{
	struct audit_tree ta, tb;
	audit_tree_init(&ta, d->limits);
	audit_tree_init(&tb, d->limits);
	int rc = audit_tree_add_image(&ta, a, ra, d->err);
	if (rc) {
		mint_err_prefix(d->err, "first image");
	} else if ((rc = audit_tree_add_image(&tb, b, rb, d->err))) {
		mint_err_prefix(d->err, "second image");
	} else {
		audit_tree_sort(&ta);
		audit_tree_sort(&tb);
		rc = compare_trees(d, &ta, &tb);
	}
	audit_tree_free(&ta);
	audit_tree_free(&tb);
	return rc;
}

static int platform_pair(struct differ *d, struct mint_oci_image *a, struct mint_oci_image *b,
			 const json_t *ia, const json_t *ib, const struct mint_oci_image_ref *ra,
			 const struct mint_oci_image_ref *rb)
{
	if (!(d->platform = keep(d, ra->platform)))
		return MINT_ENOMEM;
	int rc = descriptor_fields(d, ia, ib, ra, rb);
	if (rc || (*ra->manifest_digest && !strcmp(ra->manifest_digest, rb->manifest_digest)))
		return rc;
	size_t before = d->out->n;
	struct platform_docs docs = { 0 };
	rc = config_fields(d, a, b, ra, rb, &docs);
	if (!rc)
		rc = manifest_fields(d, a, b, ra, rb, &docs);
	if (!rc && !same_layers(ra, rb, &docs))
		rc = file_trees(d, a, b, ra, rb);
	if (!rc && d->out->n == before && strcmp(ra->manifest_digest, rb->manifest_digest)) {
		d->doc = MINT_DIFF_DOC_MANIFEST;
		rc = push_digest(d, ra->manifest_digest, rb->manifest_digest);
	}
	json_decref(docs.config_a);
	json_decref(docs.config_b);
	if (rc)
		mint_err_prefix(d->err, "%s", ra->platform);
	return rc;
}

static int platform_only(struct differ *d, const struct mint_oci_image_ref *r, bool in_second)
{
	struct mint_image_difference x = { .kind = MINT_DIFF_PLATFORM, .in_second = in_second };
	if (!(x.platform = keep(d, r->platform)))
		return MINT_ENOMEM;
	return push(d, &x);
}

/* ---- pairing platforms ---- */

static int by_platform(const void *x, const void *y)
{
	const struct mint_oci_image_ref *a = *(const struct mint_oci_image_ref *const *)x;
	const struct mint_oci_image_ref *b = *(const struct mint_oci_image_ref *const *)y;
	int c = strcmp(a->platform, b->platform);
	return c ? c : (a < b ? -1 : a > b);
}

static const struct mint_oci_image_ref **sorted_refs(const struct mint_oci_image *img)
{
	size_t n = mint_oci_image_count(img);
	const struct mint_oci_image_ref **v = calloc(n + 1, sizeof(*v));
	if (!v)
		return NULL;
	for (size_t i = 0; i < n; i++)
		v[i] = mint_oci_image_get(img, i);
	if (n > 1)
		qsort(v, n, sizeof(*v), by_platform);
	return v;
}

static int platforms(struct differ *d, struct mint_oci_image *a, struct mint_oci_image *b,
		     const json_t *ia, const json_t *ib)
{
	const struct mint_oci_image_ref **va = sorted_refs(a), **vb = sorted_refs(b);
	size_t na = mint_oci_image_count(a), nb = mint_oci_image_count(b), i = 0, j = 0;
	int rc = !va || !vb ? mint_err_set(d->err, MINT_ENOMEM, "out of memory") : 0;
	while (!rc && (i < na || j < nb)) {
		int cmp = i == na ? 1 : j == nb ? -1 : strcmp(va[i]->platform, vb[j]->platform);
		if (cmp < 0)
			rc = platform_only(d, va[i++], false);
		else if (cmp > 0)
			rc = platform_only(d, vb[j++], true);
		else
			rc = platform_pair(d, a, b, ia, ib, va[i++], vb[j++]);
	}
	free(va);
	free(vb);
	return rc;
}

int mint_image_diff(struct mint_oci_image *a, struct mint_oci_image *b,
		    const struct mint_image_diff_limits *limits, struct mint_image_diff *out,
		    struct mint_err *err)
{
	memset(out, 0, sizeof(*out));
	const char *da = mint_oci_image_index_digest(a), *db = mint_oci_image_index_digest(b);
	if (*da && !strcmp(da, db))
		return 0;
	struct differ d = { .out = out, .limits = limits, .err = err,
			    .max = AUDIT_DEFAULT_MAX_DIFFERENCES };
	if (limits && limits->max_differences)
		d.max = limits->max_differences;
	json_t *ia = NULL, *ib = NULL;
	int rc = index_fields(&d, a, b, &ia, &ib);
	if (!rc)
		rc = platforms(&d, a, b, ia, ib);
	if (!rc && !out->n && strcmp(da, db)) {
		d.platform = "";
		d.doc = MINT_DIFF_DOC_INDEX;
		rc = push_digest(&d, da, db);
	}
	json_decref(ia);
	json_decref(ib);
	if (rc)
		mint_image_diff_free(out);
	return rc;
}

void mint_image_diff_free(struct mint_image_diff *d)
{
	if (!d)
		return;
	free(d->v);
	mint_arena_free(&d->arena);
	memset(d, 0, sizeof(*d));
}
