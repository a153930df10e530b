/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Reading OCI images (see mint/oci_image.h). Bytes come from one of three
 * places: a directory (files opened by name), a tar file (members found by
 * one scan, then read with pread) or a tar in memory (for fuzzing). Above
 * that sit one name -> byte range lookup, the JSON documents (index.json or
 * manifest.json, the image index, the manifests) and blob readers that hash
 * what they read. Nothing here writes.
 */
#include "mint/oci_image.h"

#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "mint/encode.h"
#include "mint/hash.h"
#include "mint/hashmap.h"
#include "mint/path.h"
#include "mint/tar.h"

#define CHUNK_BYTES (64u * 1024u)
#define UNKNOWN_SIZE UINT64_MAX
#define MEDIA_DOCKER_MANIFEST "application/vnd.docker.distribution.manifest.v2+json"
#define MEDIA_DOCKER_LIST "application/vnd.docker.distribution.manifest.list.v2+json"

enum backing { BACK_DIR, BACK_FILE, BACK_MEM };

/* A regular file inside a tar. */
struct member {
	char *name;      /* cleaned */
	uint64_t offset; /* of its content */
	uint64_t size;
};

enum layer_kind { LAYER_GZIP, LAYER_TAR, LAYER_SNIFF, LAYER_OTHER };

/* What the image's documents say about one blob. */
struct blob_info {
	char digest[MINT_OCI_DIGEST_MAX];
	uint64_t size;     /* UNKNOWN_SIZE when no descriptor gave one */
	bool is_layer;
	enum layer_kind kind;
	char *media_type;  /* layers: for messages */
	char *member;      /* manifest.json-only archives: where the blob is */
	bool hash_output;  /* the digest is of the uncompressed tar (a diff_id) */
};

/* Where some bytes are: a range of a file or of memory. */
struct location {
	int fd;          /* -1 in memory */
	bool own_fd;
	const char *mem;
	uint64_t offset, size;
};

/* An open blob, hashed as it is read. */
struct blob_reader {
	struct location loc;
	uint64_t pos;
	struct mint_hash hash;
	char digest[MINT_OCI_DIGEST_MAX];
};

struct layer_stream {
	struct mint_oci_image *img;
	struct blob_info *info;
	struct blob_reader br;
	bool gzip, z_open, member_done, finished;
	z_stream zs;
	unsigned char *in;
	struct mint_hash out_hash; /* when info->hash_output */
	int failed;
	struct mint_err failed_err;
};

struct mint_oci_image {
	enum backing back;
	char *path;         /* for messages; the directory in BACK_DIR */
	int fd;
	const char *mem;
	uint64_t tar_size;
	struct member *members; /* sorted by name */
	size_t n_members;
	struct mint_buf index; /* the image index's bytes */
	char index_digest[MINT_OCI_DIGEST_MAX];
	struct mint_oci_image_ref *refs;
	size_t n_refs;
	struct blob_info **blobs;
	size_t n_blobs;
	struct mint_hashmap blob_map; /* digest -> blob_info */
	struct layer_stream *layer;
	struct mint_buf clean;
	const char *ref_name; /* the index.json entry to read; NULL: the only one */
};

/* One JSON document being read, for messages naming it and its fields. */
struct doc {
	struct mint_oci_image *img;
	const char *role;   /* "index.json", "image manifest", ... */
	const char *member; /* where it is: "index.json", "blobs/sha256/<hex>" */
	struct mint_err *err;
};

/* --- where messages point ------------------------------------------------ */

/* A member of the image as a file name: "dir/name" or "file.tar(name)". */
static void set_member_file(struct mint_oci_image *img, const char *member, struct mint_err *err)
{
	if (!err || err->file[0])
		return;
	char text[MINT_ERR_FILE_MAX];
	if (img->back == BACK_DIR)
		snprintf(text, sizeof(text), "%s/%s", img->path, member);
	else
		snprintf(text, sizeof(text), "%s(%s)", img->path, member);
	mint_err_set_file(err, text);
}

static int doc_error(struct doc *d, int code, const char *at, const char *key,
		     const char *fmt, ...) __attribute__((format(printf, 5, 6)));

/* "<role>: <at>.<key>: <what>", located at the document. */
static int doc_error(struct doc *d, int code, const char *at, const char *key,
		     const char *fmt, ...)
{
	char what[MINT_ERR_MSG_MAX];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	const char *dot = at[0] && key[0] ? "." : "";
	if (at[0] || key[0])
		mint_err_set(d->err, code, "%s: %s%s%s: %s", d->role, at, dot, key, what);
	else
		mint_err_set(d->err, code, "%s: %s", d->role, what);
	set_member_file(d->img, d->member, d->err);
	return code;
}

static int io_error(struct mint_oci_image *img, const char *member, const char *what,
		    struct mint_err *err)
{
	int e = errno;
	mint_err_set(err, MINT_EIO, "%s: %s", what, strerror(e));
	set_member_file(img, member, err);
	return MINT_EIO;
}

/* --- byte ranges ----------------------------------------------------------- */

static int member_cmp(const void *a, const void *b)
{
	return strcmp(((const struct member *)a)->name, ((const struct member *)b)->name);
}

static const struct member *find_member(const struct mint_oci_image *img, const char *name)
{
	struct member key = { .name = (char *)name };
	if (!img->n_members)
		return NULL;
	return bsearch(&key, img->members, img->n_members, sizeof(key), member_cmp);
}

static int locate_in_dir(struct mint_oci_image *img, const char *name, struct location *loc,
			 struct mint_err *err)
{
	char path[MINT_PATH_MAX + 512];
	if ((size_t)snprintf(path, sizeof(path), "%s/%s", img->path, name) >= sizeof(path))
		return mint_err_set(err, MINT_ELIMIT, "path of \"%.200s\" is too long", name);
	/* O_NONBLOCK: a FIFO planted in the layout must not hang the open. */
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	if (fd < 0 && (errno == ENOENT || errno == ENOTDIR)) {
		mint_err_set(err, MINT_ENOTFOUND, "no such file");
		set_member_file(img, name, err);
		return MINT_ENOTFOUND;
	}
	if (fd < 0)
		return io_error(img, name, "cannot open", err);
	struct stat st;
	if (fstat(fd, &st)) {
		int rc = io_error(img, name, "cannot stat", err);
		close(fd);
		return rc;
	}
	if (!S_ISREG(st.st_mode)) {
		close(fd);
		mint_err_set(err, MINT_EFORMAT, "not a regular file");
		set_member_file(img, name, err);
		return MINT_EFORMAT;
	}
	*loc = (struct location){ .fd = fd, .own_fd = true, .size = (uint64_t)st.st_size };
	return 0;
}

/* Finds the named file of the image; MINT_ENOTFOUND when it is absent. */
static int locate(struct mint_oci_image *img, const char *name, struct location *loc,
		  struct mint_err *err)
{
	if (img->back == BACK_DIR)
		return locate_in_dir(img, name, loc, err);
	const struct member *m = find_member(img, name);
	if (!m) {
		mint_err_set(err, MINT_ENOTFOUND, "no such member");
		set_member_file(img, name, err);
		return MINT_ENOTFOUND;
	}
	*loc = (struct location){ .fd = img->fd, .mem = img->mem, .offset = m->offset,
				  .size = m->size };
	return 0;
}

static void location_close(struct location *loc)
{
	if (loc->own_fd && loc->fd >= 0)
		close(loc->fd);
	loc->fd = -1;
	loc->own_fd = false;
}

/* Up to len bytes at pos of the range; *got == 0 only at its end (or when
 * the file shrank under us). */
static int read_at(const struct location *loc, uint64_t pos, void *buf, size_t len, size_t *got,
		   struct mint_err *err)
{
	*got = 0;
	if (pos >= loc->size)
		return 0;
	if (len > loc->size - pos)
		len = (size_t)(loc->size - pos);
	if (!loc->mem && loc->fd < 0)
		return mint_err_set(err, MINT_EINVAL, "read from a closed blob");
	if (!loc->mem || loc->fd >= 0) {
		ssize_t n;
		do
			n = pread(loc->fd, buf, len, (off_t)(loc->offset + pos));
		while (n < 0 && errno == EINTR);
		if (n < 0)
			return mint_err_set(err, MINT_EIO, "cannot read: %s", strerror(errno));
		*got = (size_t)n;
		return 0;
	}
	memcpy(buf, loc->mem + loc->offset + pos, len);
	*got = len;
	return 0;
}

/* The whole range into out (replacing its contents); more than max bytes is
 * MINT_ELIMIT. */
static int read_range(struct mint_oci_image *img, const char *name, const struct location *loc,
		      size_t max, struct mint_buf *out, struct mint_err *err)
{
	mint_buf_reset(out);
	if (loc->size > max) {
		mint_err_set(err, MINT_ELIMIT, "%llu bytes is more than the limit of %zu",
			     (unsigned long long)loc->size, max);
		set_member_file(img, name, err);
		return MINT_ELIMIT;
	}
	char *p = mint_buf_grow(out, (size_t)loc->size);
	if (!p)
		return mint_err_set(err, MINT_ENOMEM, "out of memory reading \"%.200s\"", name);
	for (uint64_t pos = 0; pos < loc->size;) {
		size_t got;
		int rc = read_at(loc, pos, p + pos, (size_t)(loc->size - pos), &got, err);
		if (!rc && !got)
			rc = mint_err_set(err, MINT_ETRUNCATED, "ended after %llu of %llu bytes",
					  (unsigned long long)pos, (unsigned long long)loc->size);
		if (rc) {
			set_member_file(img, name, err);
			mint_buf_reset(out);
			return rc;
		}
		pos += got;
	}
	return 0;
}

/* A named file of the image, whole. */
static int read_named(struct mint_oci_image *img, const char *name, size_t max,
		      struct mint_buf *out, struct mint_err *err)
{
	struct location loc;
	int rc = locate(img, name, &loc, err);
	if (rc)
		return rc;
	rc = read_range(img, name, &loc, max, out, err);
	location_close(&loc);
	return rc;
}

/* --- scanning a tar -------------------------------------------------------- */

struct range_source {
	const struct location *loc;
	uint64_t pos;
};

static int range_read(void *ctx, void *buf, size_t cap, size_t *got, struct mint_err *err)
{
	struct range_source *rs = ctx;
	int rc = read_at(rs->loc, rs->pos, buf, cap, got, err);
	rs->pos += *got;
	return rc;
}

static int add_member(struct mint_oci_image *img, const struct mint_tar_entry *e,
		      struct mint_err *err)
{
	if (img->n_members >= MINT_OCI_IMAGE_MAX_MEMBERS)
		return mint_err_set(err, MINT_ELIMIT, "more than %u tar members",
				    MINT_OCI_IMAGE_MAX_MEMBERS);
	if (!(img->n_members & (img->n_members + 1))) {
		size_t cap = 2 * (img->n_members + 1);
		struct member *m = realloc(img->members, cap * sizeof(*m));
		if (!m)
			return mint_err_set(err, MINT_ENOMEM, "out of memory for tar members");
		img->members = m;
	}
	char *name = strdup(mint_buf_cstr(&img->clean));
	if (!name)
		return mint_err_set(err, MINT_ENOMEM, "out of memory for tar members");
	img->members[img->n_members++] = (struct member){ name, e->data_offset, e->size };
	return 0;
}

/* Every entry's name must be safe; regular files are remembered. */
static int take_entry(struct mint_oci_image *img, const struct mint_tar_entry *e,
		      struct mint_err *err)
{
	int rc = mint_path_clean(mint_span_str(e->name), false, &img->clean, err);
	if (rc) {
		mint_err_prefix(err, "tar member \"%.200s\"", e->name);
		mint_err_set_offset(err, e->header_offset);
		return rc;
	}
	if (e->type != MINT_TAR_REG || !img->clean.len)
		return 0;
	return add_member(img, e, err);
}

static int check_unique_members(struct mint_oci_image *img, struct mint_err *err)
{
	if (img->n_members > 1)
		qsort(img->members, img->n_members, sizeof(*img->members), member_cmp);
	for (size_t i = 1; i < img->n_members; i++)
		if (!strcmp(img->members[i].name, img->members[i - 1].name))
			return mint_err_set(err, MINT_EDUPLICATE,
					    "tar member \"%.200s\" appears twice",
					    img->members[i].name);
	return 0;
}

static int scan_tar(struct mint_oci_image *img, struct mint_err *err)
{
	struct location whole = { .fd = img->fd, .mem = img->mem, .size = img->tar_size };
	struct range_source rs = { &whole, 0 };
	struct mint_tar_limits limits = { .max_name_bytes = MINT_PATH_MAX,
					  .max_pax_bytes = 64u * 1024u };
	struct mint_tar_reader *r = NULL;
	int rc = mint_tar_reader_new(&r, (struct mint_source){ range_read, &rs }, &limits,
				     MINT_TAR_END_REQUIRED, err);
	const struct mint_tar_entry *e;
	while (!rc && (rc = mint_tar_next(r, &e, err)) == 1)
		rc = take_entry(img, e, err);
	mint_tar_reader_free(r);
	if (!rc)
		rc = check_unique_members(img, err);
	mint_err_set_file(err, rc ? img->path : NULL);
	return rc;
}

/* --- blobs ----------------------------------------------------------------- */

static struct blob_info *find_blob(const struct mint_oci_image *img, const char *digest)
{
	void *v = NULL;
	if (!mint_hashmap_get(&img->blob_map, mint_span_str(digest), &v))
		return NULL;
	return v;
}

/* Records what a descriptor says of a blob; two descriptors of one digest
 * must agree on its size. */
static int note_blob(struct mint_oci_image *img, const char *digest, uint64_t size,
		     struct blob_info **out, struct mint_err *err)
{
	struct blob_info *b = find_blob(img, digest);
	if (b) {
		if (b->size == UNKNOWN_SIZE)
			b->size = size;
		else if (size != UNKNOWN_SIZE && b->size != size)
			return mint_err_set(err, MINT_EFORMAT,
					    "descriptors of %s give sizes %llu and %llu", digest,
					    (unsigned long long)b->size, (unsigned long long)size);
		*out = b;
		return 0;
	}
	if (!(img->n_blobs & (img->n_blobs + 1))) {
		struct blob_info **v = realloc(img->blobs, 2 * (img->n_blobs + 1) * sizeof(*v));
		if (!v)
			return mint_err_set(err, MINT_ENOMEM, "out of memory for blobs");
		img->blobs = v;
	}
	b = calloc(1, sizeof(*b));
	if (!b)
		return mint_err_set(err, MINT_ENOMEM, "out of memory for blobs");
	snprintf(b->digest, sizeof(b->digest), "%s", digest);
	b->size = size;
	if (mint_hashmap_put(&img->blob_map, mint_span_str(b->digest), b)) {
		free(b);
		return mint_err_set(err, MINT_ENOMEM, "out of memory for blobs");
	}
	img->blobs[img->n_blobs++] = b;
	*out = b;
	return 0;
}

/* blobs/sha256/<hex>, or where a manifest.json-only archive keeps it. */
static const char *blob_member(const struct blob_info *b, const char *digest,
			       char buf[MINT_OCI_DIGEST_MAX + 16])
{
	if (b && b->member)
		return b->member;
	snprintf(buf, MINT_OCI_DIGEST_MAX + 16, "blobs/sha256/%s", digest + 7);
	return buf;
}

static int blob_open(struct mint_oci_image *img, const char *digest, struct blob_reader *br,
		     struct mint_err *err)
{
	memset(br, 0, sizeof(*br));
	br->loc.fd = -1;
	if (!mint_oci_digest_valid(digest))
		return mint_err_set(err, MINT_EINVAL, "\"%.80s\" is not sha256:<64 lowercase hex>",
				    digest ? digest : "(null)");
	snprintf(br->digest, sizeof(br->digest), "%s", digest);
	struct blob_info *b = find_blob(img, digest);
	char buf[MINT_OCI_DIGEST_MAX + 16];
	const char *name = blob_member(b, digest, buf);
	int rc = locate(img, name, &br->loc, err);
	if (rc) {
		mint_err_prefix(err, "blob %s", digest);
		return rc;
	}
	if (b && !b->hash_output && b->size != UNKNOWN_SIZE && b->size != br->loc.size) {
		location_close(&br->loc);
		mint_err_set(err, MINT_EINTEGRITY, "blob %s is %llu bytes; its descriptor says %llu",
			     digest, (unsigned long long)br->loc.size, (unsigned long long)b->size);
		set_member_file(img, name, err);
		return MINT_EINTEGRITY;
	}
	if (mint_hash_init(&br->hash, MINT_HASH_SHA256)) {
		location_close(&br->loc);
		return mint_err_set(err, MINT_ENOMEM, "out of memory for a hash");
	}
	return 0;
}

/* Up to cap bytes; *got == 0 at the end. */
static int blob_read(struct blob_reader *br, void *buf, size_t cap, size_t *got,
		     struct mint_err *err)
{
	int rc = read_at(&br->loc, br->pos, buf, cap, got, err);
	if (!rc && !*got && br->pos < br->loc.size)
		rc = mint_err_set(err, MINT_ETRUNCATED, "blob %s ended after %llu of %llu bytes",
				  br->digest, (unsigned long long)br->pos,
				  (unsigned long long)br->loc.size);
	if (rc)
		return rc;
	if (mint_hash_update(&br->hash, buf, *got))
		return mint_err_set(err, MINT_ENOMEM, "out of memory hashing a blob");
	br->pos += *got;
	return 0;
}

/* The "sha256:<hex>" of what h saw; h is released. */
static int hash_digest(struct mint_hash *h, char out[MINT_OCI_DIGEST_MAX], struct mint_err *err)
{
	unsigned char d[MINT_HASH_MAX_BYTES];
	if (mint_hash_final(h, d))
		return mint_err_set(err, MINT_ENOMEM, "out of memory hashing a blob");
	memcpy(out, "sha256:", 7);
	mint_hex_encode(d, 32, out + 7);
	return 0;
}

static int check_digest(struct mint_hash *h, const char *want, const char *what,
			struct mint_err *err)
{
	char got[MINT_OCI_DIGEST_MAX];
	int rc = hash_digest(h, got, err);
	if (!rc && strcmp(got, want))
		rc = mint_err_set(err, MINT_EINTEGRITY, "%s %s: its bytes have digest %s", what,
				  want, got);
	return rc;
}

static void blob_close(struct blob_reader *br)
{
	location_close(&br->loc);
	mint_hash_free(&br->hash);
}

static bool is_index_digest(const struct mint_oci_image *img, const char *digest)
{
	return img->index_digest[0] && digest && !strcmp(digest, img->index_digest);
}

int mint_oci_image_read_blob(struct mint_oci_image *img, const char *digest, size_t max,
			     struct mint_buf *out, struct mint_err *err)
{
	mint_buf_reset(out);
	if (is_index_digest(img, digest)) {
		if (img->index.len > max)
			return mint_err_set(err, MINT_ELIMIT, "image index %s is over %zu bytes",
					    digest, max);
		return mint_buf_append(out, img->index.data, img->index.len)
			? mint_err_set(err, MINT_ENOMEM, "out of memory") : 0;
	}
	struct blob_reader br;
	int rc = blob_open(img, digest, &br, err);
	if (rc)
		return rc;
	if (br.loc.size > max) {
		blob_close(&br);
		mint_err_set_file(err, img->path);
		return mint_err_set(err, MINT_ELIMIT, "blob %s is %llu bytes, over the limit of %zu",
				    digest, (unsigned long long)br.loc.size, max);
	}
	char *p = mint_buf_grow(out, (size_t)br.loc.size);
	if (!p)
		rc = mint_err_set(err, MINT_ENOMEM, "out of memory reading blob %s", digest);
	for (size_t got = 1; !rc && got;)
		rc = blob_read(&br, p + br.pos, out->len - br.pos, &got, err);
	if (!rc)
		rc = check_digest(&br.hash, digest, "blob", err);
	blob_close(&br);
	if (rc) {
		mint_buf_reset(out);
		mint_err_set_file(err, img->path);
	}
	return rc;
}

int mint_oci_image_blob_size(struct mint_oci_image *img, const char *digest, uint64_t *size,
			     struct mint_err *err)
{
	*size = 0;
	if (is_index_digest(img, digest)) {
		*size = img->index.len;
		return 0;
	}
	struct blob_reader br;
	int rc = blob_open(img, digest, &br, err);
	if (rc)
		return rc;
	*size = br.loc.size;
	blob_close(&br);
	return 0;
}

int mint_oci_image_copy_blob(struct mint_oci_image *img, const char *digest,
			     int (*sink)(void *ctx, const void *data, size_t len,
					 struct mint_err *err),
			     void *ctx, struct mint_err *err)
{
	if (is_index_digest(img, digest))
		return sink(ctx, img->index.data, img->index.len, err);
	struct blob_reader br;
	int rc = blob_open(img, digest, &br, err);
	if (rc)
		return rc;
	unsigned char *chunk = malloc(CHUNK_BYTES);
	if (!chunk)
		rc = mint_err_set(err, MINT_ENOMEM, "out of memory copying blob %s", digest);
	for (size_t got = 1; !rc && got;) {
		rc = blob_read(&br, chunk, CHUNK_BYTES, &got, err);
		if (!rc && got)
			rc = sink(ctx, chunk, got, err);
	}
	if (!rc)
		rc = check_digest(&br.hash, digest, "blob", err);
	free(chunk);
	blob_close(&br);
	mint_err_set_file(err, rc ? img->path : NULL);
	return rc;
}

/* --- JSON fields ----------------------------------------------------------- */

static int load_json(struct doc *d, const struct mint_buf *text, json_t **out)
{
	json_error_t je;
	*out = json_loadb(text->data ? text->data : "", text->len, JSON_REJECT_DUPLICATES, &je);
	if (*out)
		return 0;
	if (je.line > 0)
		mint_err_set_pos(d->err, (unsigned)je.line, je.column > 0 ? (unsigned)je.column : 1);
	return doc_error(d, MINT_EFORMAT, "", "", "not valid JSON: %s", je.text);
}

static int get_string(struct doc *d, json_t *obj, const char *at, const char *key,
		      bool required, const char **out)
{
	json_t *v = json_object_get(obj, key);
	*out = NULL;
	if (!v)
		return required ? doc_error(d, MINT_EFORMAT, at, key, "is missing") : 0;
	if (!json_is_string(v) || strlen(json_string_value(v)) != json_string_length(v))
		return doc_error(d, MINT_EFORMAT, at, key, "is not a string");
	*out = json_string_value(v);
	return 0;
}

/* An array of at most max items; a missing one is an empty list. */
static int get_array(struct doc *d, json_t *obj, const char *at, const char *key, size_t max,
		     json_t **out)
{
	*out = json_object_get(obj, key);
	if (!*out)
		return doc_error(d, MINT_EFORMAT, at, key, "is missing");
	if (!json_is_array(*out))
		return doc_error(d, MINT_EFORMAT, at, key, "is not an array");
	if (json_array_size(*out) > max)
		return doc_error(d, MINT_ELIMIT, at, key, "has more than %zu items", max);
	return 0;
}

static int check_schema_version(struct doc *d, json_t *root)
{
	if (!json_is_object(root))
		return doc_error(d, MINT_EFORMAT, "", "", "not a JSON object");
	json_t *v = json_object_get(root, "schemaVersion");
	if (!v)
		return doc_error(d, MINT_EFORMAT, "", "schemaVersion", "is missing");
	if (!json_is_integer(v) || json_integer_value(v) != 2)
		return doc_error(d, MINT_EUNSUPPORTED, "", "schemaVersion", "is not 2");
	return 0;
}

static int check_digest_text(struct doc *d, const char *at, const char *key, const char *digest)
{
	if (mint_oci_digest_valid(digest))
		return 0;
	if (strncmp(digest, "sha256:", 7) && strchr(digest, ':'))
		return doc_error(d, MINT_EUNSUPPORTED, at, key,
				 "\"%.80s\" uses a digest algorithm mint does not read", digest);
	return doc_error(d, MINT_EFORMAT, at, key, "\"%.80s\" is not sha256:<64 lowercase hex>",
			 digest);
}

/* A platform component: letters, digits, '.', '_', '-'. */
static bool platform_word(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		      (*s >= '0' && *s <= '9') || *s == '.' || *s == '_' || *s == '-'))
			return false;
	return true;
}

/* "os/architecture[/variant]" from an object holding those fields (a
 * descriptor's platform or an image config). */
static int platform_text(struct doc *d, json_t *obj, const char *at,
			 char out[MINT_OCI_PLATFORM_MAX])
{
	const char *os, *arch, *variant;
	int rc = get_string(d, obj, at, "os", true, &os);
	if (!rc)
		rc = get_string(d, obj, at, "architecture", true, &arch);
	if (!rc)
		rc = get_string(d, obj, at, "variant", false, &variant);
	if (rc)
		return rc;
	if (!platform_word(os))
		return doc_error(d, MINT_EFORMAT, at, "os", "\"%.40s\" is not a platform name", os);
	if (!platform_word(arch))
		return doc_error(d, MINT_EFORMAT, at, "architecture",
				 "\"%.40s\" is not a platform name", arch);
	if (variant && *variant && !platform_word(variant))
		return doc_error(d, MINT_EFORMAT, at, "variant", "\"%.40s\" is not a platform name",
				 variant);
	int n = snprintf(out, MINT_OCI_PLATFORM_MAX, "%s/%s%s%s", os, arch,
			 variant && *variant ? "/" : "", variant ? variant : "");
	if (n < 0 || n >= MINT_OCI_PLATFORM_MAX)
		return doc_error(d, MINT_ELIMIT, at, "", "platform is longer than %d bytes",
				 MINT_OCI_PLATFORM_MAX - 1);
	return 0;
}

struct descriptor {
	const char *media_type;
	const char *digest;
	uint64_t size;
	json_t *platform;    /* NULL when absent */
	json_t *annotations; /* NULL when absent */
};

static int parse_descriptor(struct doc *d, json_t *obj, const char *at, struct descriptor *out)
{
	memset(out, 0, sizeof(*out));
	if (!json_is_object(obj))
		return doc_error(d, MINT_EFORMAT, at, "", "is not a JSON object");
	int rc = get_string(d, obj, at, "mediaType", true, &out->media_type);
	if (!rc)
		rc = get_string(d, obj, at, "digest", true, &out->digest);
	if (!rc)
		rc = check_digest_text(d, at, "digest", out->digest);
	if (rc)
		return rc;
	json_t *size = json_object_get(obj, "size");
	if (!size)
		return doc_error(d, MINT_EFORMAT, at, "size", "is missing");
	if (!json_is_integer(size) || json_integer_value(size) < 0)
		return doc_error(d, MINT_EFORMAT, at, "size", "is not a non-negative integer");
	out->size = (uint64_t)json_integer_value(size);
	out->platform = json_object_get(obj, "platform");
	if (out->platform && !json_is_object(out->platform))
		return doc_error(d, MINT_EFORMAT, at, "platform", "is not a JSON object");
	out->annotations = json_object_get(obj, "annotations");
	if (out->annotations && !json_is_object(out->annotations))
		return doc_error(d, MINT_EFORMAT, at, "annotations", "is not a JSON object");
	return 0;
}

static bool is_manifest_type(const char *t)
{
	return !strcmp(t, MINT_OCI_MEDIA_MANIFEST) || !strcmp(t, MEDIA_DOCKER_MANIFEST);
}

static bool is_index_type(const char *t)
{
	return !strcmp(t, MINT_OCI_MEDIA_INDEX) || !strcmp(t, MEDIA_DOCKER_LIST);
}

static bool ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);
	return n >= m && !memcmp(s + n - m, suffix, m);
}

/* Layer media types of OCI and Docker, distributable or not. */
static enum layer_kind layer_kind_of(const char *media_type)
{
	if (ends_with(media_type, ".tar+gzip") || ends_with(media_type, ".tar.gzip"))
		return LAYER_GZIP;
	if (ends_with(media_type, ".layer.v1.tar") || ends_with(media_type, ".rootfs.diff.tar") ||
	    ends_with(media_type, ".foreign.diff.tar"))
		return LAYER_TAR;
	return LAYER_OTHER;
}

/* --- the image's documents ----------------------------------------------- */

static int read_json_blob(struct doc *d, const char *digest, struct mint_buf *text, json_t **out)
{
	*out = NULL;
	int rc = mint_oci_image_read_blob(d->img, digest, MINT_OCI_IMAGE_JSON_MAX, text, d->err);
	if (rc) {
		mint_err_prefix(d->err, "%s", d->role);
		return rc;
	}
	return load_json(d, text, out);
}

/* The platform from the image config, for manifests whose descriptor has none. */
static int platform_from_config(struct mint_oci_image *img, const char *digest,
				char out[MINT_OCI_PLATFORM_MAX], struct mint_err *err)
{
	char member[MINT_OCI_DIGEST_MAX + 16];
	struct doc d = { img, "image config", blob_member(find_blob(img, digest), digest, member),
			 err };
	struct mint_buf text = MINT_BUF_INIT;
	json_t *root = NULL;
	int rc = read_json_blob(&d, digest, &text, &root);
	if (!rc && !json_is_object(root))
		rc = doc_error(&d, MINT_EFORMAT, "", "", "not a JSON object");
	if (!rc)
		rc = platform_text(&d, root, "", out);
	json_decref(root);
	mint_buf_free(&text);
	return rc;
}

static int add_layer(struct doc *d, json_t *layers, size_t i, char *digest_out)
{
	char at[48];
	snprintf(at, sizeof(at), "layers[%zu]", i);
	struct descriptor l;
	int rc = parse_descriptor(d, json_array_get(layers, i), at, &l);
	struct blob_info *b = NULL;
	if (!rc)
		rc = note_blob(d->img, l.digest, l.size, &b, d->err);
	if (rc)
		return rc;
	if (!b->is_layer) {
		b->is_layer = true;
		b->kind = layer_kind_of(l.media_type);
		b->media_type = strdup(l.media_type);
		if (!b->media_type)
			return mint_err_set(d->err, MINT_ENOMEM, "out of memory for layers");
	}
	memcpy(digest_out, l.digest, MINT_OCI_DIGEST_MAX);
	return 0;
}

/* n pointers followed by their n digests, in one allocation (one free). */
static char **digest_array(size_t n)
{
	char **v = calloc(1, n * (sizeof(char *) + MINT_OCI_DIGEST_MAX) + 1);
	if (!v)
		return NULL;
	char *text = (char *)(v + n);
	for (size_t i = 0; i < n; i++)
		v[i] = text + i * MINT_OCI_DIGEST_MAX;
	return v;
}

static int parse_manifest(struct doc *d, json_t *root, struct mint_oci_image_ref *ref)
{
	int rc = check_schema_version(d, root);
	const char *media_type = NULL;
	if (!rc)
		rc = get_string(d, root, "", "mediaType", false, &media_type);
	if (!rc && media_type && !is_manifest_type(media_type))
		rc = doc_error(d, MINT_EUNSUPPORTED, "", "mediaType",
			       "\"%.100s\" is not an image manifest", media_type);
	struct descriptor config;
	if (!rc)
		rc = parse_descriptor(d, json_object_get(root, "config"), "config", &config);
	struct blob_info *b;
	if (!rc)
		rc = note_blob(d->img, config.digest, config.size, &b, d->err);
	json_t *layers = NULL;
	if (!rc)
		rc = get_array(d, root, "", "layers", MINT_OCI_IMAGE_MAX_LAYERS, &layers);
	if (rc)
		return rc;
	snprintf(ref->config_digest, sizeof(ref->config_digest), "%s", config.digest);
	ref->n_layers = json_array_size(layers);
	ref->layer_digests = digest_array(ref->n_layers);
	if (!ref->layer_digests)
		return mint_err_set(d->err, MINT_ENOMEM, "out of memory for layers");
	for (size_t i = 0; !rc && i < ref->n_layers; i++)
		rc = add_layer(d, layers, i, ref->layer_digests[i]);
	return rc;
}

static int new_ref(struct mint_oci_image *img, struct mint_oci_image_ref **out,
		   struct mint_err *err)
{
	if (img->n_refs >= MINT_OCI_IMAGE_MAX_MANIFESTS)
		return mint_err_set(err, MINT_ELIMIT, "more than %u image manifests",
				    MINT_OCI_IMAGE_MAX_MANIFESTS);
	struct mint_oci_image_ref *v = realloc(img->refs, (img->n_refs + 1) * sizeof(*v));
	if (!v)
		return mint_err_set(err, MINT_ENOMEM, "out of memory for image manifests");
	img->refs = v;
	memset(&v[img->n_refs], 0, sizeof(*v));
	*out = &v[img->n_refs++];
	return 0;
}

/* One image manifest of the index: read, parsed, and its platform found. */
static int add_manifest(struct doc *index, const struct descriptor *desc, const char *at)
{
	struct mint_oci_image *img = index->img;
	struct blob_info *b;
	int rc = note_blob(img, desc->digest, desc->size, &b, index->err);
	if (rc)
		return rc;
	struct mint_oci_image_ref *ref = NULL;
	rc = new_ref(img, &ref, index->err);
	if (rc)
		return rc;
	snprintf(ref->manifest_digest, sizeof(ref->manifest_digest), "%s", desc->digest);
	if (desc->platform)
		rc = platform_text(index, desc->platform, at, ref->platform);
	char member[MINT_OCI_DIGEST_MAX + 16];
	struct doc d = { img, "image manifest", blob_member(b, desc->digest, member), index->err };
	struct mint_buf text = MINT_BUF_INIT;
	json_t *root = NULL;
	if (!rc)
		rc = read_json_blob(&d, desc->digest, &text, &root);
	if (!rc)
		rc = parse_manifest(&d, root, ref);
	if (!rc && !desc->platform)
		rc = platform_from_config(img, ref->config_digest, ref->platform, index->err);
	json_decref(root);
	mint_buf_free(&text);
	return rc;
}

/* Docker adds attestations to an image index as manifests of their own. */
static bool is_attestation(const struct descriptor *desc)
{
	json_t *t = desc->annotations ? json_object_get(desc->annotations,
							 "vnd.docker.reference.type") : NULL;
	return t && json_is_string(t) && !strcmp(json_string_value(t), "attestation-manifest");
}

/* The manifests of an image index, parsed into descs (n of them). */
static int parse_index(struct doc *d, json_t *root, struct descriptor **descs, size_t *n)
{
	*descs = NULL;
	*n = 0;
	int rc = check_schema_version(d, root);
	const char *media_type = NULL;
	if (!rc)
		rc = get_string(d, root, "", "mediaType", false, &media_type);
	if (!rc && media_type && !is_index_type(media_type))
		rc = doc_error(d, MINT_EUNSUPPORTED, "", "mediaType",
			       "\"%.100s\" is not an image index", media_type);
	json_t *manifests = NULL;
	if (!rc)
		rc = get_array(d, root, "", "manifests", MINT_OCI_IMAGE_MAX_MANIFESTS, &manifests);
	if (rc)
		return rc;
	size_t count = json_array_size(manifests);
	*descs = calloc(count ? count : 1, sizeof(**descs));
	if (!*descs)
		return mint_err_set(d->err, MINT_ENOMEM, "out of memory for an image index");
	for (size_t i = 0; !rc && i < count; i++) {
		char at[48];
		snprintf(at, sizeof(at), "manifests[%zu]", i);
		rc = parse_descriptor(d, json_array_get(manifests, i), at, &(*descs)[i]);
	}
	*n = count;
	return rc;
}

/* Every image manifest of the image index; other entries are skipped. */
static int add_manifests(struct doc *d, json_t *root)
{
	struct descriptor *descs;
	size_t n;
	int rc = parse_index(d, root, &descs, &n);
	for (size_t i = 0; !rc && i < n; i++) {
		char at[48];
		snprintf(at, sizeof(at), "manifests[%zu].platform", i);
		if (is_index_type(descs[i].media_type))
			rc = doc_error(d, MINT_EUNSUPPORTED, "manifests", "",
				       "an image index inside the image index");
		else if (is_manifest_type(descs[i].media_type) && !is_attestation(&descs[i]))
			rc = add_manifest(d, &descs[i], at);
	}
	if (!rc && !d->img->n_refs)
		rc = doc_error(d, MINT_ENOTFOUND, "", "manifests", "no image manifest");
	free(descs);
	return rc;
}

/* The image index index.json points at, read into img->index. */
static int read_pointed_index(struct mint_oci_image *img, const struct descriptor *desc,
			      struct mint_err *err)
{
	struct blob_info *b;
	int rc = note_blob(img, desc->digest, desc->size, &b, err);
	if (!rc)
		rc = mint_oci_image_read_blob(img, desc->digest, MINT_OCI_IMAGE_JSON_MAX,
					      &img->index, err);
	if (rc) {
		mint_err_prefix(err, "image index");
		return rc;
	}
	snprintf(img->index_digest, sizeof(img->index_digest), "%s", desc->digest);
	char member[MINT_OCI_DIGEST_MAX + 16];
	struct doc d = { img, "image index", blob_member(b, desc->digest, member), err };
	json_t *root = NULL;
	rc = load_json(&d, &img->index, &root);
	if (!rc)
		rc = add_manifests(&d, root);
	json_decref(root);
	return rc;
}

/* The entry of index.json whose ref.name is img->ref_name: an image index,
 * or one image manifest that is then the whole image. */
static int read_named_ref(struct doc *d, const struct descriptor *descs, size_t n)
{
	size_t pick = n;
	for (size_t i = 0; i < n; i++) {
		json_t *name = descs[i].annotations ? json_object_get(descs[i].annotations,
								      MINT_OCI_ANNOTATION_REF_NAME)
						    : NULL;
		if (!json_is_string(name) || strcmp(json_string_value(name), d->img->ref_name))
			continue;
		if (pick < n)
			return doc_error(d, MINT_EDUPLICATE, "", "manifests",
					 "two entries are named \"%.100s\"", d->img->ref_name);
		pick = i;
	}
	if (pick == n)
		return doc_error(d, MINT_ENOTFOUND, "", "manifests", "no entry is named \"%.100s\"",
				 d->img->ref_name);
	char at[48];
	snprintf(at, sizeof(at), "manifests[%zu].platform", pick);
	if (is_index_type(descs[pick].media_type))
		return read_pointed_index(d->img, &descs[pick], d->err);
	if (is_manifest_type(descs[pick].media_type))
		return add_manifest(d, &descs[pick], at);
	return doc_error(d, MINT_EUNSUPPORTED, at, "", "names neither an image index nor a manifest");
}

/* index.json either is the image index or names exactly one. */
static int read_layout_index(struct mint_oci_image *img, struct mint_err *err)
{
	struct mint_buf text = MINT_BUF_INIT;
	struct doc d = { img, "index.json", "index.json", err };
	json_t *root = NULL;
	struct descriptor *descs = NULL;
	size_t n = 0, n_index = 0;
	int rc = read_named(img, "index.json", MINT_OCI_IMAGE_JSON_MAX, &text, err);
	if (!rc)
		rc = load_json(&d, &text, &root);
	if (!rc)
		rc = parse_index(&d, root, &descs, &n);
	for (size_t i = 0; !rc && i < n; i++)
		n_index += is_index_type(descs[i].media_type);
	if (rc)
		goto out;
	if (img->ref_name) {
		rc = read_named_ref(&d, descs, n);
		goto out;
	}
	if (n_index == 1 && n == 1) {
		rc = read_pointed_index(img, &descs[0], err);
		goto out;
	}
	if (n_index) {
		rc = doc_error(&d, MINT_EUNSUPPORTED, "", "manifests",
			       "%zu entries, %zu of them image indexes; mint reads one image", n,
			       n_index);
		goto out;
	}
	rc = mint_oci_digest_of(text.data, text.len, img->index_digest, err);
	if (!rc)
		rc = add_manifests(&d, root);
	if (!rc) {
		img->index = text;
		text = (struct mint_buf)MINT_BUF_INIT;
	}
out:
	free(descs);
	json_decref(root);
	mint_buf_free(&text);
	return rc;
}

/* --- manifest.json-only docker archives ---------------------------------- */

/* A string item of an array. */
static int get_item_string(struct doc *d, json_t *arr, size_t i, const char *at, const char *key,
			   const char **out)
{
	json_t *v = json_array_get(arr, i);
	*out = NULL;
	if (!json_is_string(v) || strlen(json_string_value(v)) != json_string_length(v))
		return doc_error(d, MINT_EFORMAT, at, key, "item %zu is not a string", i);
	*out = json_string_value(v);
	return 0;
}

/* A member path named in manifest.json, cleaned into img->clean. */
static int clean_member_path(struct doc *d, const char *at, const char *key, const char *path)
{
	int rc = mint_path_clean(mint_span_str(path), false, &d->img->clean, NULL);
	if (!rc && !d->img->clean.len)
		rc = MINT_EUNSAFE;
	if (rc)
		return doc_error(d, rc, at, key, "\"%.200s\" is not a safe relative path", path);
	return 0;
}

/* The config a manifest.json entry names: hashed for its digest, parsed for
 * the platform and the diff_ids (into *root, which keeps them alive). */
static int legacy_config(struct doc *d, json_t *entry, const char *at,
			 struct mint_oci_image_ref *ref, json_t **root, json_t **diff_ids)
{
	struct mint_oci_image *img = d->img;
	const char *path;
	struct mint_buf text = MINT_BUF_INIT;
	struct blob_info *b = NULL;
	int rc = get_string(d, entry, at, "Config", true, &path);
	if (!rc)
		rc = clean_member_path(d, at, "Config", path);
	if (!rc)
		rc = read_named(img, mint_buf_cstr(&img->clean), MINT_OCI_IMAGE_JSON_MAX, &text,
				d->err);
	if (!rc)
		rc = mint_oci_digest_of(text.data, text.len, ref->config_digest, d->err);
	if (!rc)
		rc = note_blob(img, ref->config_digest, text.len, &b, d->err);
	if (!rc && !b->member && !(b->member = strdup(mint_buf_cstr(&img->clean))))
		rc = mint_err_set(d->err, MINT_ENOMEM, "out of memory for blobs");
	if (rc)
		goto out;
	struct doc cd = { img, "image config", b->member, d->err };
	rc = load_json(&cd, &text, root);
	if (!rc && !json_is_object(*root))
		rc = doc_error(&cd, MINT_EFORMAT, "", "", "not a JSON object");
	if (!rc)
		rc = platform_text(&cd, *root, "", ref->platform);
	if (!rc)
		rc = get_array(&cd, json_object_get(*root, "rootfs"), "rootfs", "diff_ids",
			       MINT_OCI_IMAGE_MAX_LAYERS, diff_ids);
	for (size_t i = 0; !rc && i < json_array_size(*diff_ids); i++) {
		const char *id;
		rc = get_item_string(&cd, *diff_ids, i, "rootfs", "diff_ids", &id);
		if (!rc)
			rc = check_digest_text(&cd, "rootfs", "diff_ids", id);
	}
out:
	mint_buf_free(&text);
	return rc;
}

/* A layer of a manifest.json entry: named by its diff_id, found by path. */
static int legacy_layer(struct doc *d, const char *path, const char *diff_id, char *digest_out)
{
	struct blob_info *b;
	int rc = clean_member_path(d, "", "Layers", path);
	if (!rc)
		rc = note_blob(d->img, diff_id, UNKNOWN_SIZE, &b, d->err);
	if (rc)
		return rc;
	if (!b->member && !b->is_layer) {
		b->is_layer = true;
		b->kind = LAYER_SNIFF;
		b->hash_output = true;
		b->member = strdup(mint_buf_cstr(&d->img->clean));
		if (!b->member)
			return mint_err_set(d->err, MINT_ENOMEM, "out of memory for layers");
	}
	memcpy(digest_out, diff_id, MINT_OCI_DIGEST_MAX);
	return 0;
}

static int legacy_entry(struct doc *d, json_t *entry, size_t i)
{
	char at[48];
	snprintf(at, sizeof(at), "[%zu]", i);
	if (!json_is_object(entry))
		return doc_error(d, MINT_EFORMAT, at, "", "is not a JSON object");
	struct mint_oci_image_ref *ref = NULL;
	json_t *config = NULL, *diff_ids = NULL, *layers = NULL;
	int rc = new_ref(d->img, &ref, d->err);
	if (!rc)
		rc = legacy_config(d, entry, at, ref, &config, &diff_ids);
	if (!rc)
		rc = get_array(d, entry, at, "Layers", MINT_OCI_IMAGE_MAX_LAYERS, &layers);
	size_t n = layers ? json_array_size(layers) : 0;
	if (!rc && n != json_array_size(diff_ids))
		rc = doc_error(d, MINT_EFORMAT, at, "Layers",
			       "%zu layers, but the config has %zu diff_ids", n,
			       json_array_size(diff_ids));
	if (!rc && !(ref->layer_digests = digest_array(n)))
		rc = mint_err_set(d->err, MINT_ENOMEM, "out of memory for layers");
	if (!rc)
		ref->n_layers = n;
	for (size_t k = 0; !rc && k < n; k++) {
		const char *path;
		rc = get_item_string(d, layers, k, at, "Layers", &path);
		if (!rc)
			rc = legacy_layer(d, path, json_string_value(json_array_get(diff_ids, k)),
					  ref->layer_digests[k]);
	}
	json_decref(config);
	return rc;
}

/* A docker-archive without index.json: manifest.json lists each image's
 * config and layers by member path. */
static int read_docker_manifest(struct mint_oci_image *img, struct mint_err *err)
{
	struct mint_buf text = MINT_BUF_INIT;
	struct doc d = { img, "manifest.json", "manifest.json", err };
	json_t *root = NULL;
	int rc = read_named(img, "manifest.json", MINT_OCI_IMAGE_JSON_MAX, &text, err);
	if (!rc)
		rc = load_json(&d, &text, &root);
	if (!rc && !json_is_array(root))
		rc = doc_error(&d, MINT_EFORMAT, "", "", "not a JSON array");
	if (!rc && json_array_size(root) > MINT_OCI_IMAGE_MAX_MANIFESTS)
		rc = doc_error(&d, MINT_ELIMIT, "", "", "more than %u images",
			       MINT_OCI_IMAGE_MAX_MANIFESTS);
	if (!rc && !json_array_size(root))
		rc = doc_error(&d, MINT_ENOTFOUND, "", "", "no images");
	for (size_t i = 0; !rc && i < json_array_size(root); i++)
		rc = legacy_entry(&d, json_array_get(root, i), i);
	json_decref(root);
	mint_buf_free(&text);
	return rc;
}

/* --- opening ----------------------------------------------------------------- */

/* oci-layout is optional, but when present it must say which version. */
static int check_oci_layout(struct mint_oci_image *img, struct mint_err *err)
{
	struct mint_buf text = MINT_BUF_INIT;
	struct mint_err inner = { 0 };
	struct doc d = { img, "oci-layout", "oci-layout", err };
	json_t *root = NULL;
	int rc = read_named(img, "oci-layout", 64u * 1024u, &text, &inner);
	if (rc == MINT_ENOTFOUND) {
		rc = 0;
		goto out;
	}
	if (rc) {
		if (err)
			*err = inner;
		goto out;
	}
	const char *version;
	rc = load_json(&d, &text, &root);
	if (!rc && !json_is_object(root))
		rc = doc_error(&d, MINT_EFORMAT, "", "", "not a JSON object");
	if (!rc)
		rc = get_string(&d, root, "", "imageLayoutVersion", true, &version);
out:
	json_decref(root);
	mint_buf_free(&text);
	return rc;
}

/* 1 when the image has the named file, 0 when not, or an error. */
static int has_file(struct mint_oci_image *img, const char *name, struct mint_err *err)
{
	struct location loc;
	struct mint_err inner = { 0 };
	int rc = locate(img, name, &loc, &inner);
	if (!rc) {
		location_close(&loc);
		return 1;
	}
	if (rc == MINT_ENOTFOUND)
		return 0;
	if (err)
		*err = inner;
	return rc;
}

static int read_image(struct mint_oci_image *img, struct mint_err *err)
{
	int rc = img->back == BACK_DIR ? 0 : scan_tar(img, err);
	if (!rc)
		rc = check_oci_layout(img, err);
	if (rc)
		return rc;
	rc = has_file(img, "index.json", err);
	if (rc == 1)
		return read_layout_index(img, err);
	if (rc)
		return rc;
	rc = has_file(img, "manifest.json", err);
	if (rc == 1 && img->ref_name) {
		mint_err_set_file(err, img->path);
		return mint_err_set(err, MINT_ENOTFOUND, "no index.json, so no entry named \"%.100s\"",
				    img->ref_name);
	}
	if (rc == 1)
		return read_docker_manifest(img, err);
	if (rc)
		return rc;
	mint_err_set_file(err, img->path);
	return mint_err_set(err, MINT_ENOTFOUND, "neither index.json nor manifest.json: not an "
			    "OCI layout or docker archive");
}

static int image_new(const char *path, enum backing back, struct mint_oci_image **out,
		     struct mint_err *err)
{
	struct mint_oci_image *img = calloc(1, sizeof(*img));
	if (img)
		img->path = strdup(path);
	if (!img || !img->path) {
		free(img);
		return mint_err_set(err, MINT_ENOMEM, "out of memory for an image");
	}
	img->fd = -1;
	img->back = back;
	*out = img;
	return 0;
}

/* Opens path as a tar file (BACK_FILE). */
static int open_tar_file(struct mint_oci_image *img, struct mint_err *err)
{
	img->fd = open(img->path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	struct stat st;
	if (img->fd < 0 || fstat(img->fd, &st)) {
		mint_err_set_file(err, img->path);
		return mint_err_set(err, MINT_EIO, "cannot open: %s", strerror(errno));
	}
	if (!S_ISREG(st.st_mode)) {
		mint_err_set_file(err, img->path);
		return mint_err_set(err, MINT_EFORMAT, "neither a directory nor a regular file");
	}
	img->tar_size = (uint64_t)st.st_size;
	return 0;
}

static int open_path(const char *path, const char *ref_name, struct mint_oci_image **out,
		     struct mint_err *err)
{
	*out = NULL;
	if (!path || !*path)
		return mint_err_set(err, MINT_EINVAL, "no image path");
	struct stat st;
	if (stat(path, &st)) {
		int e = errno;
		mint_err_set_file(err, path);
		return mint_err_set(err, e == ENOENT ? MINT_ENOTFOUND : MINT_EIO, "cannot open: %s",
				    strerror(e));
	}
	struct mint_oci_image *img = NULL;
	int rc = image_new(path, S_ISDIR(st.st_mode) ? BACK_DIR : BACK_FILE, &img, err);
	if (rc)
		return rc;
	img->ref_name = ref_name;
	if (img->back == BACK_FILE)
		rc = open_tar_file(img, err);
	if (!rc)
		rc = read_image(img, err);
	if (rc) {
		mint_oci_image_free(img);
		return rc;
	}
	img->ref_name = NULL;
	*out = img;
	return 0;
}

int mint_oci_image_open(const char *path, struct mint_oci_image **out, struct mint_err *err)
{
	return open_path(path, NULL, out, err);
}

int mint_oci_image_open_ref(const char *path, const char *ref_name,
			    struct mint_oci_image **out, struct mint_err *err)
{
	if (!ref_name || !*ref_name) {
		*out = NULL;
		return mint_err_set(err, MINT_EINVAL, "no reference name");
	}
	return open_path(path, ref_name, out, err);
}

int mint_oci_image_open_mem(const void *data, size_t len, struct mint_oci_image **out,
			    struct mint_err *err)
{
	*out = NULL;
	if (!data && len)
		return mint_err_set(err, MINT_EINVAL, "no image bytes");
	struct mint_oci_image *img = NULL;
	int rc = image_new("<memory>", BACK_MEM, &img, err);
	if (rc)
		return rc;
	img->mem = data ? data : "";
	img->tar_size = len;
	rc = read_image(img, err);
	if (rc) {
		mint_oci_image_free(img);
		return rc;
	}
	*out = img;
	return 0;
}

const char *mint_oci_image_index_digest(const struct mint_oci_image *img)
{
	return img->index_digest;
}

size_t mint_oci_image_count(const struct mint_oci_image *img)
{
	return img->n_refs;
}

const struct mint_oci_image_ref *mint_oci_image_get(const struct mint_oci_image *img, size_t i)
{
	return i < img->n_refs ? &img->refs[i] : NULL;
}

/* --- layers as tar streams ------------------------------------------------- */

static void layer_stream_free(struct layer_stream *ls)
{
	if (!ls)
		return;
	if (ls->z_open)
		inflateEnd(&ls->zs);
	blob_close(&ls->br);
	mint_hash_free(&ls->out_hash);
	free(ls->in);
	free(ls);
}

void mint_oci_image_layer_close(struct mint_oci_image *img)
{
	if (!img)
		return;
	layer_stream_free(img->layer);
	img->layer = NULL;
}

static bool input_done(const struct layer_stream *ls)
{
	return !ls->zs.avail_in && ls->br.pos >= ls->br.loc.size;
}

static int refill(struct layer_stream *ls, struct mint_err *err)
{
	if (ls->zs.avail_in || ls->br.pos >= ls->br.loc.size)
		return 0;
	size_t got;
	int rc = blob_read(&ls->br, ls->in, CHUNK_BYTES, &got, err);
	ls->zs.next_in = ls->in;
	ls->zs.avail_in = rc ? 0 : (uInt)got;
	return rc;
}

static int gzip_error(struct layer_stream *ls, int code, const char *what, struct mint_err *err)
{
	mint_err_set_offset(err, ls->br.pos - ls->zs.avail_in);
	return mint_err_set(err, code, "layer %s: %s", ls->br.digest, what);
}

/* Inflates until some output comes; gzip members in a row are one stream. */
static int inflate_some(struct layer_stream *ls, void *buf, size_t cap, size_t *got,
			struct mint_err *err)
{
	uInt want = cap > UINT_MAX ? UINT_MAX : (uInt)cap;
	for (;;) {
		int rc = refill(ls, err);
		if (rc)
			return rc;
		if (ls->member_done) {
			if (input_done(ls))
				return 0;
			if (inflateReset(&ls->zs) != Z_OK)
				return mint_err_set(err, MINT_ENOMEM, "zlib could not restart");
			ls->member_done = false;
		}
		ls->zs.next_out = buf;
		ls->zs.avail_out = want;
		int zrc = inflate(&ls->zs, Z_NO_FLUSH);
		*got = want - ls->zs.avail_out;
		if (zrc == Z_STREAM_END)
			ls->member_done = true;
		else if (zrc == Z_DATA_ERROR || zrc == Z_NEED_DICT)
			return gzip_error(ls, MINT_EFORMAT,
					  ls->zs.msg ? ls->zs.msg : "corrupt gzip data", err);
		else if (zrc == Z_MEM_ERROR)
			return mint_err_set(err, MINT_ENOMEM, "out of memory inflating a layer");
		else if (zrc != Z_OK && zrc != Z_BUF_ERROR)
			return gzip_error(ls, MINT_EFORMAT, "zlib stream error", err);
		else if (!*got && input_done(ls))
			return gzip_error(ls, MINT_ETRUNCATED, "input ends inside a gzip member",
					  err);
		if (*got)
			return 0;
	}
}

/* At the end: the digest names the compressed bytes, or (a diff_id) the tar. */
static int layer_finish(struct layer_stream *ls, struct mint_err *err)
{
	if (ls->info->hash_output)
		return check_digest(&ls->out_hash, ls->br.digest, "layer", err);
	return check_digest(&ls->br.hash, ls->br.digest, "layer", err);
}

static int layer_read(void *ctx, void *buf, size_t cap, size_t *got, struct mint_err *err)
{
	struct layer_stream *ls = ctx;
	*got = 0;
	if (ls->failed) {
		if (err)
			*err = ls->failed_err;
		return ls->failed;
	}
	if (ls->finished)
		return 0;
	int rc = 0;
	if (!cap)
		rc = mint_err_set(err, MINT_EINVAL, "layer read with an empty buffer");
	else if (ls->gzip)
		rc = inflate_some(ls, buf, cap, got, err);
	else
		rc = blob_read(&ls->br, buf, cap, got, err);
	if (!rc && *got && ls->info->hash_output && mint_hash_update(&ls->out_hash, buf, *got))
		rc = mint_err_set(err, MINT_ENOMEM, "out of memory hashing a layer");
	if (!rc && !*got) {
		rc = layer_finish(ls, err);
		ls->finished = !rc;
	}
	if (rc) {
		*got = 0;
		mint_err_set_file(err, ls->img->path);
		ls->failed = rc;
		if (err)
			ls->failed_err = *err;
		else
			mint_err_set(&ls->failed_err, rc, "%s", mint_strerror(rc));
	}
	return rc;
}

/* gzip or not, by media type; a manifest.json-only archive says neither. */
static int choose_decoder(struct layer_stream *ls, struct mint_err *err)
{
	ls->gzip = ls->info->kind == LAYER_GZIP;
	if (ls->info->kind == LAYER_SNIFF) {
		unsigned char magic[2];
		size_t got = 0;
		int rc = read_at(&ls->br.loc, 0, magic, 2, &got, err);
		if (rc)
			return rc;
		ls->gzip = got == 2 && magic[0] == 0x1f && magic[1] == 0x8b;
	}
	if (!ls->gzip)
		return 0;
	if (inflateInit2(&ls->zs, 15 + 16) != Z_OK)
		return mint_err_set(err, MINT_ENOMEM, "zlib could not start inflating");
	ls->z_open = true;
	return 0;
}

int mint_oci_image_layer_open(struct mint_oci_image *img, const char *digest,
			      struct mint_source *src, struct mint_err *err)
{
	mint_oci_image_layer_close(img);
	*src = (struct mint_source){ NULL, NULL };
	struct blob_info *b = digest ? find_blob(img, digest) : NULL;
	if (!b || !b->is_layer)
		return mint_err_set(err, MINT_ENOTFOUND, "\"%.80s\" is not a layer of this image",
				    digest ? digest : "(null)");
	if (b->kind == LAYER_OTHER)
		return mint_err_set(err, MINT_EUNSUPPORTED,
				    "layer %s has media type \"%.100s\"; mint reads tar and "
				    "tar+gzip layers", digest, b->media_type);
	struct layer_stream *ls = calloc(1, sizeof(*ls));
	if (!ls || !(ls->in = malloc(CHUNK_BYTES))) {
		free(ls);
		return mint_err_set(err, MINT_ENOMEM, "out of memory for a layer");
	}
	ls->img = img;
	ls->info = b;
	ls->br.loc.fd = -1;
	int rc = blob_open(img, digest, &ls->br, err);
	if (!rc && b->hash_output && mint_hash_init(&ls->out_hash, MINT_HASH_SHA256))
		rc = mint_err_set(err, MINT_ENOMEM, "out of memory for a hash");
	if (!rc)
		rc = choose_decoder(ls, err);
	if (rc) {
		mint_err_set_file(err, img->path);
		layer_stream_free(ls);
		return rc;
	}
	img->layer = ls;
	*src = (struct mint_source){ layer_read, ls };
	return 0;
}

void mint_oci_image_free(struct mint_oci_image *img)
{
	if (!img)
		return;
	mint_oci_image_layer_close(img);
	for (size_t i = 0; i < img->n_refs; i++)
		free(img->refs[i].layer_digests);
	free(img->refs);
	for (size_t i = 0; i < img->n_blobs; i++) {
		free(img->blobs[i]->media_type);
		free(img->blobs[i]->member);
		free(img->blobs[i]);
	}
	free(img->blobs);
	mint_hashmap_free(&img->blob_map);
	for (size_t i = 0; i < img->n_members; i++)
		free(img->members[i].name);
	free(img->members);
	mint_buf_free(&img->index);
	mint_buf_free(&img->clean);
	if (img->fd >= 0)
		close(img->fd);
	free(img->path);
	free(img);
}
