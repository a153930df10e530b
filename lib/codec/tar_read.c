/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Streaming tar reader (see mint/tar.h). It pulls 512-byte blocks from a
 * mint_source, folds PAX 'x' and GNU 'L'/'K' headers into the entry that
 * follows them, and keeps the stream offset of every header and content byte
 * so that callers can point at exact byte ranges. It never seeks and never
 * extracts anything.
 *
 * Content in the stream, per type flag, as GNU tar 1.34 reads it (checked by
 * listing archives whose non-regular headers carry size 512):
 *   regular ('0', '\0', '7')          size bytes of content
 *   hardlink ('1'), directory ('5')   none, whatever the size field says
 *   symlink, devices, fifo (2,3,4,6)  size bytes, skipped and never exposed
 * Only regular files report a non-zero entry->size.
 *
 * End of archive: a zero block must be followed by a second one; after that
 * only zero bytes may follow to EOF. A lone zero block is an error either way.
 */
#include "mint/tar.h"

#include <stdlib.h>
#include <string.h>

#include "mint/buf.h"
#include "mint/encode.h"
#include "mint/span.h"

#define DEFAULT_MAX_NAME_BYTES 4096
#define DEFAULT_MAX_PAX_BYTES (1u << 20)
#define SKIP_CHUNK 4096
#define XATTR_PREFIX "SCHILY.xattr."
#define APK_SHA1_KEY "APK-TOOLS.checksum.SHA1"

/* Header layout (POSIX ustar; GNU shares everything up to the magic). */
enum {
	OFF_NAME = 0, LEN_NAME = 100,
	OFF_MODE = 100, LEN_MODE = 8,
	OFF_UID = 108, LEN_UID = 8,
	OFF_GID = 116, LEN_GID = 8,
	OFF_SIZE = 124, LEN_SIZE = 12,
	OFF_MTIME = 136, LEN_MTIME = 12,
	OFF_CHKSUM = 148, LEN_CHKSUM = 8,
	OFF_TYPE = 156,
	OFF_LINK = 157, LEN_LINK = 100,
	OFF_MAGIC = 257,
	OFF_UNAME = 265, LEN_UNAME = 32,
	OFF_GNAME = 297, LEN_GNAME = 32,
	OFF_DEVMAJOR = 329, LEN_DEVMAJOR = 8,
	OFF_DEVMINOR = 337, LEN_DEVMINOR = 8,
	OFF_PREFIX = 345, LEN_PREFIX = 155,
};

struct pax_xattr {
	char *name;
	unsigned char *value;
	size_t value_len;
	size_t seq; /* record order: a later record for the same name wins */
};

/* What the PAX and GNU headers before an entry say about it. */
struct pending {
	bool any;
	uint64_t first_offset;
	bool seen_pax, seen_long_name, seen_long_link;
	char *long_name, *long_link; /* GNU 'L' and 'K' */
	char *path, *linkpath;       /* PAX; NULL when not given */
	bool has_size, has_uid, has_gid, has_mtime, has_uname, has_gname;
	uint64_t size, uid, gid;
	int64_t mtime;
	char uname[33], gname[33];
	struct pax_xattr *xattrs;
	size_t n_xattrs, cap_xattrs;
	bool has_apk_sha1;
	unsigned char apk_sha1[20];
};

struct raw_header {
	char type;
	const char *block;
	uint64_t offset;
	uint32_t mode;
	uint64_t uid, gid, size;
	int64_t mtime;
};

struct mint_tar_reader {
	struct mint_source src;
	struct mint_tar_limits limits;
	enum mint_tar_end end;
	uint64_t offset;
	int failed;
	bool at_end;
	bool has_entry;
	uint64_t body_left;     /* content bytes of the current entry still in the stream */
	uint64_t readable_left; /* of which the caller may still read */
	uint64_t pad_left;
	struct mint_tar_entry entry;
	struct pending p;
	unsigned char block[MINT_TAR_BLOCK];
};

static void pending_free(struct pending *p)
{
	free(p->long_name);
	free(p->long_link);
	free(p->path);
	free(p->linkpath);
	for (size_t i = 0; i < p->n_xattrs; i++) {
		free(p->xattrs[i].name);
		free(p->xattrs[i].value);
	}
	free(p->xattrs);
	memset(p, 0, sizeof(*p));
}

static void entry_free(struct mint_tar_entry *e)
{
	free(e->name);
	free(e->link_target);
	for (size_t i = 0; i < e->n_xattrs; i++) {
		free(e->xattrs[i].name);
		free(e->xattrs[i].value);
	}
	free(e->xattrs);
	memset(e, 0, sizeof(*e));
}

int mint_tar_reader_new(struct mint_tar_reader **out, struct mint_source src,
			const struct mint_tar_limits *limits, enum mint_tar_end end,
			struct mint_err *err)
{
	*out = NULL;
	if (!src.read)
		return mint_err_set(err, MINT_EINVAL, "tar reader needs a source");
	struct mint_tar_reader *r = calloc(1, sizeof(*r));
	if (!r)
		return mint_err_set(err, MINT_ENOMEM, "out of memory for a tar reader");
	r->src = src;
	r->end = end;
	if (limits)
		r->limits = *limits;
	if (!r->limits.max_name_bytes)
		r->limits.max_name_bytes = DEFAULT_MAX_NAME_BYTES;
	if (!r->limits.max_pax_bytes)
		r->limits.max_pax_bytes = DEFAULT_MAX_PAX_BYTES;
	*out = r;
	return 0;
}

void mint_tar_reader_free(struct mint_tar_reader *r)
{
	if (!r)
		return;
	entry_free(&r->entry);
	pending_free(&r->p);
	free(r);
}

uint64_t mint_tar_offset(const struct mint_tar_reader *r)
{
	return r->offset;
}

static int fail_at(struct mint_tar_reader *r, struct mint_err *err, int code, uint64_t offset)
{
	r->failed = code;
	mint_err_set_offset(err, offset);
	return code;
}

/* Reads up to len bytes, fewer only at the end of the input. */
static int read_upto(struct mint_tar_reader *r, void *buf, size_t len, size_t *got,
		     struct mint_err *err)
{
	size_t have = 0;
	int rc = 0;
	while (have < len) {
		size_t n = 0;
		rc = r->src.read(r->src.ctx, (char *)buf + have, len - have, &n, err);
		if (rc || !n)
			break;
		have += n;
	}
	r->offset += have;
	*got = have;
	if (rc)
		return fail_at(r, err, rc, r->offset);
	return 0;
}

static int truncated(struct mint_tar_reader *r, struct mint_err *err, const char *what,
		     uint64_t started)
{
	mint_err_set(err, MINT_ETRUNCATED, "input ends inside %s that starts at offset %llu",
		     what, (unsigned long long)started);
	return fail_at(r, err, MINT_ETRUNCATED, r->offset);
}

/* Consumes n bytes that nobody looks at. */
static int skip_bytes(struct mint_tar_reader *r, uint64_t n, const char *what, uint64_t started,
		      struct mint_err *err)
{
	char scratch[SKIP_CHUNK];
	while (n) {
		size_t want = n < sizeof(scratch) ? (size_t)n : sizeof(scratch);
		size_t got = 0;
		int rc = read_upto(r, scratch, want, &got, err);
		if (rc)
			return rc;
		if (got < want)
			return truncated(r, err, what, started);
		n -= got;
	}
	return 0;
}

static uint64_t padding_for(uint64_t n)
{
	return (MINT_TAR_BLOCK - n % MINT_TAR_BLOCK) % MINT_TAR_BLOCK;
}

static bool is_zero(const void *p, size_t len)
{
	const unsigned char *b = p;
	for (size_t i = 0; i < len; i++)
		if (b[i])
			return false;
	return true;
}

static struct mint_span cstr_field(const char *block, size_t off, size_t len)
{
	const char *p = block + off;
	const char *nul = memchr(p, '\0', len);
	return MINT_SPAN(p, nul ? (size_t)(nul - p) : len);
}

/* GNU base-256: the high bit of the first byte is set, bit 6 is the sign,
 * the rest is a big-endian two's complement number. */
static bool parse_base256(const unsigned char *f, size_t len, int64_t *out)
{
	unsigned char first = f[0] & 0x7f;
	bool negative = first & 0x40;
	if (negative)
		first |= 0x80;
	uint64_t v = negative ? UINT64_MAX : 0;
	for (size_t i = 0; i < len; i++) {
		if ((v >> 56) != (negative ? 0xffu : 0u))
			return false;
		v = (v << 8) | (i ? f[i] : first);
	}
	if (negative != ((v >> 63) != 0))
		return false;
	*out = (int64_t)v;
	return true;
}

static bool parse_signed_field(const char *block, size_t off, size_t len, int64_t *out)
{
	const unsigned char *f = (const unsigned char *)block + off;
	if (f[0] & 0x80)
		return parse_base256(f, len, out);
	uint64_t v;
	if (!mint_span_octal_to_u64(MINT_SPAN(f, len), &v) || v > INT64_MAX)
		return false;
	*out = (int64_t)v;
	return true;
}

static bool parse_unsigned_field(const char *block, size_t off, size_t len, uint64_t *out)
{
	const unsigned char *f = (const unsigned char *)block + off;
	if (!(f[0] & 0x80))
		return mint_span_octal_to_u64(MINT_SPAN(f, len), out);
	int64_t v;
	if (!parse_base256(f, len, &v) || v < 0)
		return false;
	*out = (uint64_t)v;
	return true;
}

static int bad_field(struct mint_tar_reader *r, struct mint_err *err, uint64_t at, size_t off,
		     const char *field)
{
	mint_err_set(err, MINT_EFORMAT, "tar header at offset %llu: bad %s field",
		     (unsigned long long)at, field);
	return fail_at(r, err, MINT_EFORMAT, at + off);
}

/* The checksum counts the header bytes with its own field read as spaces;
 * some old writers summed signed chars, which is accepted too. */
static int check_checksum(struct mint_tar_reader *r, const char *block, uint64_t at,
			  struct mint_err *err)
{
	uint64_t stored;
	if (!mint_span_octal_to_u64(MINT_SPAN(block + OFF_CHKSUM, LEN_CHKSUM), &stored))
		return bad_field(r, err, at, OFF_CHKSUM, "checksum");
	uint64_t sum_unsigned = 0;
	int64_t sum_signed = 0;
	for (size_t i = 0; i < MINT_TAR_BLOCK; i++) {
		bool in_field = i >= OFF_CHKSUM && i < OFF_CHKSUM + LEN_CHKSUM;
		unsigned char c = in_field ? ' ' : (unsigned char)block[i];
		sum_unsigned += c;
		sum_signed += in_field ? ' ' : (signed char)block[i];
	}
	if (stored == sum_unsigned || (int64_t)stored == sum_signed)
		return 0;
	mint_err_set(err, MINT_EFORMAT,
		     "tar header at offset %llu: checksum %llo does not match the header (%llo)",
		     (unsigned long long)at, (unsigned long long)stored,
		     (unsigned long long)sum_unsigned);
	return fail_at(r, err, MINT_EFORMAT, at + OFF_CHKSUM);
}

static int parse_header(struct mint_tar_reader *r, uint64_t at, struct raw_header *h,
			struct mint_err *err)
{
	const char *b = (const char *)r->block;
	if (memcmp(b + OFF_MAGIC, "ustar", 5) != 0) {
		mint_err_set(err, MINT_EFORMAT,
			     "block at offset %llu is not a tar header (no \"ustar\" magic)",
			     (unsigned long long)at);
		return fail_at(r, err, MINT_EFORMAT, at + OFF_MAGIC);
	}
	int rc = check_checksum(r, b, at, err);
	if (rc)
		return rc;
	memset(h, 0, sizeof(*h));
	h->block = b;
	h->offset = at;
	h->type = b[OFF_TYPE];
	uint64_t mode;
	if (!parse_unsigned_field(b, OFF_MODE, LEN_MODE, &mode))
		return bad_field(r, err, at, OFF_MODE, "mode");
	h->mode = (uint32_t)(mode & 07777);
	if (!parse_unsigned_field(b, OFF_UID, LEN_UID, &h->uid))
		return bad_field(r, err, at, OFF_UID, "uid");
	if (!parse_unsigned_field(b, OFF_GID, LEN_GID, &h->gid))
		return bad_field(r, err, at, OFF_GID, "gid");
	if (!parse_unsigned_field(b, OFF_SIZE, LEN_SIZE, &h->size))
		return bad_field(r, err, at, OFF_SIZE, "size");
	if (!parse_signed_field(b, OFF_MTIME, LEN_MTIME, &h->mtime))
		return bad_field(r, err, at, OFF_MTIME, "mtime");
	return 0;
}

/* Reads a PAX or GNU long-name payload (size bytes plus padding). */
static int read_payload(struct mint_tar_reader *r, const struct raw_header *h,
			struct mint_buf *out, struct mint_err *err)
{
	if (h->size > r->limits.max_pax_bytes) {
		mint_err_set(err, MINT_ELIMIT,
			     "'%c' header at offset %llu: payload of %llu bytes exceeds the limit of %zu",
			     h->type, (unsigned long long)h->offset, (unsigned long long)h->size,
			     r->limits.max_pax_bytes);
		return fail_at(r, err, MINT_ELIMIT, h->offset + OFF_SIZE);
	}
	if (mint_buf_reserve(out, (size_t)h->size)) {
		mint_err_set(err, MINT_ENOMEM, "out of memory for a tar header payload");
		return fail_at(r, err, MINT_ENOMEM, r->offset);
	}
	size_t got = 0;
	int rc = read_upto(r, out->data, (size_t)h->size, &got, err);
	if (rc)
		return rc;
	out->len = got;
	out->data[got] = '\0';
	if (got < h->size)
		return truncated(r, err, "a tar header payload", h->offset);
	return skip_bytes(r, padding_for(h->size), "a tar header payload", h->offset, err);
}

static int pax_error(struct mint_tar_reader *r, struct mint_err *err, int code, uint64_t at,
		     const char *what)
{
	mint_err_set(err, code, "PAX record at offset %llu: %s", (unsigned long long)at, what);
	return fail_at(r, err, code, at);
}

static int set_pax_string(struct mint_tar_reader *r, char **dst, struct mint_span value,
			  uint64_t at, struct mint_err *err)
{
	if (memchr(value.ptr, '\0', value.len))
		return pax_error(r, err, MINT_EFORMAT, at, "path contains a NUL byte");
	if (value.len > r->limits.max_name_bytes)
		return pax_error(r, err, MINT_ELIMIT, at, "path is longer than the name limit");
	free(*dst);
	*dst = NULL;
	if (!value.len)
		return 0; /* an empty value cancels the override */
	*dst = mint_span_dup(value);
	if (!*dst)
		return pax_error(r, err, MINT_ENOMEM, at, "out of memory");
	return 0;
}

static int set_pax_u64(struct mint_tar_reader *r, bool *has, uint64_t *dst,
		       struct mint_span value, uint64_t at, struct mint_err *err)
{
	*has = value.len != 0;
	if (*has && !mint_span_to_u64(value, dst))
		return pax_error(r, err, MINT_EFORMAT, at, "value is not a decimal number");
	return 0;
}

static int set_pax_owner(struct mint_tar_reader *r, bool *has, char dst[33],
			 struct mint_span value, uint64_t at, struct mint_err *err)
{
	if (value.len > 32)
		return pax_error(r, err, MINT_ELIMIT, at, "owner name is longer than 32 bytes");
	if (memchr(value.ptr, '\0', value.len))
		return pax_error(r, err, MINT_EFORMAT, at, "owner name contains a NUL byte");
	*has = true;
	memcpy(dst, value.ptr, value.len);
	dst[value.len] = '\0';
	return 0;
}

/* mtime is "[-]seconds[.fraction]"; the fraction is checked and dropped. */
static int set_pax_mtime(struct mint_tar_reader *r, struct pending *p, struct mint_span value,
			 uint64_t at, struct mint_err *err)
{
	if (!value.len) {
		p->has_mtime = false;
		return 0;
	}
	bool negative = value.ptr[0] == '-';
	struct mint_span digits = mint_span_skip(value, negative ? 1 : 0);
	struct mint_span secs = digits;
	long dot = mint_span_find(digits, '.');
	if (dot >= 0) {
		struct mint_span frac = mint_span_skip(digits, (size_t)dot + 1);
		uint64_t ignored;
		secs.len = (size_t)dot;
		if (frac.len && (frac.len > 19 || !mint_span_to_u64(frac, &ignored)))
			return pax_error(r, err, MINT_EFORMAT, at, "bad fraction in mtime");
	}
	uint64_t v;
	uint64_t max = (uint64_t)INT64_MAX + (negative ? 1 : 0);
	if (!mint_span_to_u64(secs, &v) || v > max)
		return pax_error(r, err, MINT_EFORMAT, at, "mtime is not a number of seconds");
	p->mtime = negative ? (int64_t)(0 - v) : (int64_t)v;
	p->has_mtime = true;
	return 0;
}

static int add_pax_xattr(struct mint_tar_reader *r, struct pending *p, struct mint_span name,
			 struct mint_span value, uint64_t at, struct mint_err *err)
{
	if (!name.len || memchr(name.ptr, '\0', name.len))
		return pax_error(r, err, MINT_EFORMAT, at, "bad xattr name");
	if (p->n_xattrs == p->cap_xattrs) {
		size_t cap = p->cap_xattrs ? p->cap_xattrs * 2 : 4;
		struct pax_xattr *x = realloc(p->xattrs, cap * sizeof(*x));
		if (!x)
			return pax_error(r, err, MINT_ENOMEM, at, "out of memory");
		p->xattrs = x;
		p->cap_xattrs = cap;
	}
	struct pax_xattr *x = &p->xattrs[p->n_xattrs];
	x->name = mint_span_dup(name);
	x->value = malloc(value.len ? value.len : 1);
	if (!x->name || !x->value) {
		free(x->name);
		free(x->value);
		return pax_error(r, err, MINT_ENOMEM, at, "out of memory");
	}
	if (value.len)
		memcpy(x->value, value.ptr, value.len);
	x->value_len = value.len;
	x->seq = p->n_xattrs++;
	return 0;
}

static int set_pax_apk_sha1(struct mint_tar_reader *r, struct pending *p, struct mint_span value,
			    uint64_t at, struct mint_err *err)
{
	size_t n = 0;
	if (value.len != 40 || mint_hex_decode(value, p->apk_sha1, sizeof(p->apk_sha1), &n) ||
	    n != sizeof(p->apk_sha1))
		return pax_error(r, err, MINT_EFORMAT, at,
				 "APK-TOOLS.checksum.SHA1 is not 40 hex digits");
	p->has_apk_sha1 = true;
	return 0;
}

static int apply_pax_record(struct mint_tar_reader *r, struct mint_span key,
			    struct mint_span value, uint64_t at, struct mint_err *err)
{
	struct pending *p = &r->p;
	if (mint_span_eq_str(key, "path"))
		return set_pax_string(r, &p->path, value, at, err);
	if (mint_span_eq_str(key, "linkpath"))
		return set_pax_string(r, &p->linkpath, value, at, err);
	if (mint_span_eq_str(key, "size"))
		return set_pax_u64(r, &p->has_size, &p->size, value, at, err);
	if (mint_span_eq_str(key, "uid"))
		return set_pax_u64(r, &p->has_uid, &p->uid, value, at, err);
	if (mint_span_eq_str(key, "gid"))
		return set_pax_u64(r, &p->has_gid, &p->gid, value, at, err);
	if (mint_span_eq_str(key, "uname"))
		return set_pax_owner(r, &p->has_uname, p->uname, value, at, err);
	if (mint_span_eq_str(key, "gname"))
		return set_pax_owner(r, &p->has_gname, p->gname, value, at, err);
	if (mint_span_eq_str(key, "mtime"))
		return set_pax_mtime(r, p, value, at, err);
	if (mint_span_starts_with(key, XATTR_PREFIX))
		return add_pax_xattr(r, p, mint_span_skip(key, strlen(XATTR_PREFIX)), value, at,
				     err);
	if (mint_span_eq_str(key, APK_SHA1_KEY))
		return set_pax_apk_sha1(r, p, value, at, err);
	return 0;
}

/* Records are "<len> <key>=<value>\n" where len counts the whole record in
 * decimal without leading zeros; values may hold any byte. */
static int parse_pax_records(struct mint_tar_reader *r, struct mint_span data, uint64_t base,
			     struct mint_err *err)
{
	size_t pos = 0;
	while (pos < data.len) {
		struct mint_span rest = mint_span_skip(data, pos);
		uint64_t at = base + pos;
		long sp = mint_span_find(rest, ' ');
		uint64_t n;
		if (sp <= 0 || rest.ptr[0] == '0' ||
		    !mint_span_to_u64(MINT_SPAN(rest.ptr, (size_t)sp), &n))
			return pax_error(r, err, MINT_EFORMAT, at, "bad record length");
		if (n > rest.len)
			return pax_error(r, err, MINT_EFORMAT, at, "record runs past the PAX data");
		if (n < (uint64_t)sp + 4 || rest.ptr[n - 1] != '\n')
			return pax_error(r, err, MINT_EFORMAT, at,
					 "record length does not end at its newline");
		struct mint_span kv = MINT_SPAN(rest.ptr + sp + 1, (size_t)n - (size_t)sp - 2);
		long eq = mint_span_find(kv, '=');
		if (eq <= 0)
			return pax_error(r, err, MINT_EFORMAT, at, "record has no key=value");
		struct mint_span key = MINT_SPAN(kv.ptr, (size_t)eq);
		struct mint_span value = mint_span_skip(kv, (size_t)eq + 1);
		int rc = apply_pax_record(r, key, value, at, err);
		if (rc)
			return rc;
		pos += (size_t)n;
	}
	return 0;
}

static void note_meta_header(struct pending *p, uint64_t at)
{
	if (!p->any)
		p->first_offset = at;
	p->any = true;
}

static int once_per_entry(struct mint_tar_reader *r, bool *seen, const struct raw_header *h,
			  struct mint_err *err)
{
	if (!*seen) {
		*seen = true;
		return 0;
	}
	mint_err_set(err, MINT_EFORMAT, "second '%c' header for one entry at offset %llu",
		     h->type, (unsigned long long)h->offset);
	return fail_at(r, err, MINT_EFORMAT, h->offset);
}

static int read_pax_header(struct mint_tar_reader *r, const struct raw_header *h,
			   struct mint_err *err)
{
	struct mint_buf payload = MINT_BUF_INIT;
	int rc = once_per_entry(r, &r->p.seen_pax, h, err);
	if (rc)
		return rc;
	note_meta_header(&r->p, h->offset);
	rc = read_payload(r, h, &payload, err);
	if (!rc)
		rc = parse_pax_records(r, mint_buf_span(&payload), h->offset + MINT_TAR_BLOCK,
				       err);
	mint_buf_free(&payload);
	return rc;
}

/* GNU 'L'/'K': the payload is the name, NUL-terminated. */
static int read_gnu_long(struct mint_tar_reader *r, const struct raw_header *h, bool *seen,
			 char **dst, struct mint_err *err)
{
	struct mint_buf payload = MINT_BUF_INIT;
	int rc = once_per_entry(r, seen, h, err);
	if (rc)
		return rc;
	note_meta_header(&r->p, h->offset);
	rc = read_payload(r, h, &payload, err);
	if (rc)
		goto out;
	struct mint_span name = cstr_field(payload.data ? payload.data : "", 0, payload.len);
	if (name.len > r->limits.max_name_bytes) {
		mint_err_set(err, MINT_ELIMIT, "GNU long name at offset %llu exceeds %zu bytes",
			     (unsigned long long)h->offset, r->limits.max_name_bytes);
		rc = fail_at(r, err, MINT_ELIMIT, h->offset);
		goto out;
	}
	*dst = mint_span_dup(name);
	if (!*dst) {
		mint_err_set(err, MINT_ENOMEM, "out of memory for a GNU long name");
		rc = fail_at(r, err, MINT_ENOMEM, h->offset);
	}
out:
	mint_buf_free(&payload);
	return rc;
}

static bool map_type(char flag, enum mint_tar_type *out)
{
	switch (flag) {
	case '0': case '\0': case '7':
		*out = MINT_TAR_REG;
		return true;
	case '1': case '2': case '3': case '4': case '5': case '6':
		*out = (enum mint_tar_type)flag;
		return true;
	}
	return false;
}

static uint64_t content_in_stream(enum mint_tar_type type, uint64_t size)
{
	if (type == MINT_TAR_HARDLINK || type == MINT_TAR_DIR)
		return 0;
	return size;
}

static int header_name(struct mint_tar_reader *r, const struct raw_header *h, char **out,
		       struct mint_err *err)
{
	struct mint_span name = cstr_field(h->block, OFF_NAME, LEN_NAME);
	struct mint_span prefix = MINT_SPAN_NULL;
	/* POSIX "ustar\0" has a prefix field; GNU "ustar  \0" keeps other data there. */
	if (h->block[OFF_MAGIC + 5] == '\0')
		prefix = cstr_field(h->block, OFF_PREFIX, LEN_PREFIX);
	struct mint_buf b = MINT_BUF_INIT;
	bool joined = !prefix.len ||
		      (!mint_buf_append_span(&b, prefix) && !mint_buf_putc(&b, '/'));
	if (joined && !mint_buf_append_span(&b, name))
		*out = mint_buf_detach(&b, NULL);
	mint_buf_free(&b);
	if (*out)
		return 0;
	mint_err_set(err, MINT_ENOMEM, "out of memory for an entry name");
	return fail_at(r, err, MINT_ENOMEM, h->offset);
}

static int take_name(struct mint_tar_reader *r, const struct raw_header *h, char **out,
		     struct mint_err *err)
{
	struct pending *p = &r->p;
	char **src = p->path ? &p->path : p->long_name ? &p->long_name : NULL;
	if (src) {
		*out = *src;
		*src = NULL;
		return 0;
	}
	return header_name(r, h, out, err);
}

static int take_link(struct mint_tar_reader *r, const struct raw_header *h, char **out,
		     struct mint_err *err)
{
	struct pending *p = &r->p;
	char **src = p->linkpath ? &p->linkpath : p->long_link ? &p->long_link : NULL;
	if (src) {
		*out = *src;
		*src = NULL;
		return 0;
	}
	*out = mint_span_dup(cstr_field(h->block, OFF_LINK, LEN_LINK));
	if (*out)
		return 0;
	mint_err_set(err, MINT_ENOMEM, "out of memory for a link target");
	return fail_at(r, err, MINT_ENOMEM, h->offset);
}

static int cmp_pax_xattr(const void *a, const void *b)
{
	const struct pax_xattr *x = a, *y = b;
	int c = strcmp(x->name, y->name);
	if (c)
		return c;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* Sorted by name; of repeated names the last record wins. */
static int take_xattrs(struct mint_tar_reader *r, struct mint_tar_entry *e, struct mint_err *err)
{
	struct pending *p = &r->p;
	if (!p->n_xattrs)
		return 0;
	qsort(p->xattrs, p->n_xattrs, sizeof(*p->xattrs), cmp_pax_xattr);
	e->xattrs = calloc(p->n_xattrs, sizeof(*e->xattrs));
	if (!e->xattrs) {
		mint_err_set(err, MINT_ENOMEM, "out of memory for xattrs");
		return fail_at(r, err, MINT_ENOMEM, r->offset);
	}
	for (size_t i = 0; i < p->n_xattrs; i++) {
		struct pax_xattr *x = &p->xattrs[i];
		bool superseded = i + 1 < p->n_xattrs && !strcmp(x->name, p->xattrs[i + 1].name);
		if (superseded)
			continue;
		e->xattrs[e->n_xattrs++] = (struct mint_xattr){ x->name, x->value, x->value_len };
		x->name = NULL;
		x->value = NULL;
	}
	return 0;
}

static int check_name(struct mint_tar_reader *r, const struct raw_header *h, const char *name,
		      const char *what, struct mint_err *err)
{
	if (!*name) {
		mint_err_set(err, MINT_EFORMAT, "entry at offset %llu has an empty %s",
			     (unsigned long long)h->offset, what);
		return fail_at(r, err, MINT_EFORMAT, h->offset);
	}
	if (strlen(name) > r->limits.max_name_bytes) {
		mint_err_set(err, MINT_ELIMIT, "entry at offset %llu: %s exceeds %zu bytes",
			     (unsigned long long)h->offset, what, r->limits.max_name_bytes);
		return fail_at(r, err, MINT_ELIMIT, h->offset);
	}
	return 0;
}

static int parse_devices(struct mint_tar_reader *r, const struct raw_header *h,
			 struct mint_tar_entry *e, struct mint_err *err)
{
	uint64_t major, minor;
	if (!parse_unsigned_field(h->block, OFF_DEVMAJOR, LEN_DEVMAJOR, &major) ||
	    major > UINT32_MAX)
		return bad_field(r, err, h->offset, OFF_DEVMAJOR, "devmajor");
	if (!parse_unsigned_field(h->block, OFF_DEVMINOR, LEN_DEVMINOR, &minor) ||
	    minor > UINT32_MAX)
		return bad_field(r, err, h->offset, OFF_DEVMINOR, "devminor");
	e->devmajor = (uint32_t)major;
	e->devminor = (uint32_t)minor;
	return 0;
}

static void copy_owner(char dst[33], const char *block, size_t off)
{
	struct mint_span s = cstr_field(block, off, 32);
	memcpy(dst, s.ptr, s.len);
	dst[s.len] = '\0';
}

static int build_entry(struct mint_tar_reader *r, const struct raw_header *h,
		       enum mint_tar_type type, struct mint_err *err)
{
	struct pending *p = &r->p;
	struct mint_tar_entry *e = &r->entry;
	e->type = type;
	e->mode = h->mode;
	e->uid = p->has_uid ? p->uid : h->uid;
	e->gid = p->has_gid ? p->gid : h->gid;
	e->mtime = p->has_mtime ? p->mtime : h->mtime;
	if (p->has_uname)
		memcpy(e->uname, p->uname, sizeof(e->uname));
	else
		copy_owner(e->uname, h->block, OFF_UNAME);
	if (p->has_gname)
		memcpy(e->gname, p->gname, sizeof(e->gname));
	else
		copy_owner(e->gname, h->block, OFF_GNAME);
	e->has_apk_sha1 = p->has_apk_sha1;
	memcpy(e->apk_sha1, p->apk_sha1, sizeof(e->apk_sha1));
	e->header_offset = p->any ? p->first_offset : h->offset;
	e->data_offset = h->offset + MINT_TAR_BLOCK;
	int rc = take_name(r, h, &e->name, err);
	if (!rc)
		rc = check_name(r, h, e->name, "name", err);
	if (!rc && (type == MINT_TAR_HARDLINK || type == MINT_TAR_SYMLINK)) {
		rc = take_link(r, h, &e->link_target, err);
		if (!rc)
			rc = check_name(r, h, e->link_target, "link target", err);
	}
	if (!rc && (type == MINT_TAR_CHAR || type == MINT_TAR_BLOCKDEV))
		rc = parse_devices(r, h, e, err);
	if (!rc)
		rc = take_xattrs(r, e, err);
	return rc;
}

static int start_content(struct mint_tar_reader *r, const struct raw_header *h,
			 struct mint_err *err)
{
	struct mint_tar_entry *e = &r->entry;
	uint64_t size = r->p.has_size ? r->p.size : h->size;
	uint64_t body = content_in_stream(e->type, size);
	uint64_t cap = r->limits.max_entry_bytes;
	if (cap && body > cap) {
		mint_err_set(err, MINT_ELIMIT,
			     "entry at offset %llu has %llu content bytes, over the limit of %llu",
			     (unsigned long long)h->offset, (unsigned long long)body,
			     (unsigned long long)cap);
		return fail_at(r, err, MINT_ELIMIT, h->offset + OFF_SIZE);
	}
	e->size = e->type == MINT_TAR_REG ? size : 0;
	r->body_left = body;
	r->readable_left = e->size;
	r->pad_left = padding_for(body);
	r->has_entry = true;
	return 0;
}

static int unsupported_type(struct mint_tar_reader *r, const struct raw_header *h,
			    struct mint_err *err)
{
	unsigned char t = (unsigned char)h->type;
	if (t > ' ' && t < 0x7f)
		mint_err_set(err, MINT_EUNSUPPORTED, "tar entry at offset %llu has type '%c'",
			     (unsigned long long)h->offset, t);
	else
		mint_err_set(err, MINT_EUNSUPPORTED, "tar entry at offset %llu has type 0x%02x",
			     (unsigned long long)h->offset, t);
	return fail_at(r, err, MINT_EUNSUPPORTED, h->offset + OFF_TYPE);
}

/* After the first zero block: the second one, then only zeros to EOF. */
static int read_end_of_archive(struct mint_tar_reader *r, uint64_t first_zero,
			       struct mint_err *err)
{
	unsigned char buf[SKIP_CHUNK];
	size_t got = 0;
	int rc = read_upto(r, buf, MINT_TAR_BLOCK, &got, err);
	if (rc)
		return rc;
	if (got < MINT_TAR_BLOCK && is_zero(buf, got)) {
		mint_err_set(err, MINT_ETRUNCATED,
			     "input ends after one zero block at offset %llu; the end of archive needs two",
			     (unsigned long long)first_zero);
		return fail_at(r, err, MINT_ETRUNCATED, r->offset);
	}
	if (!is_zero(buf, got)) {
		mint_err_set(err, MINT_EFORMAT,
			     "lone zero block at offset %llu is followed by data",
			     (unsigned long long)first_zero);
		return fail_at(r, err, MINT_EFORMAT, first_zero + MINT_TAR_BLOCK);
	}
	for (;;) {
		uint64_t at = r->offset;
		rc = read_upto(r, buf, sizeof(buf), &got, err);
		if (rc)
			return rc;
		if (!got)
			break;
		for (size_t i = 0; i < got; i++) {
			if (buf[i]) {
				mint_err_set(err, MINT_EFORMAT,
					     "non-zero byte after the end of the tar archive");
				return fail_at(r, err, MINT_EFORMAT, at + i);
			}
		}
	}
	r->at_end = true;
	return 0;
}

/* The input stopped where a header block would start. */
static int input_ended(struct mint_tar_reader *r, uint64_t at, struct mint_err *err)
{
	if (r->p.any) {
		mint_err_set(err, MINT_ETRUNCATED,
			     "input ends after the extended header at offset %llu, before its entry",
			     (unsigned long long)r->p.first_offset);
		return fail_at(r, err, MINT_ETRUNCATED, at);
	}
	if (r->end == MINT_TAR_END_OPTIONAL) {
		r->at_end = true;
		return 0;
	}
	mint_err_set(err, MINT_ETRUNCATED, "tar archive ends without its two zero blocks");
	return fail_at(r, err, MINT_ETRUNCATED, at);
}

static int on_zero_block(struct mint_tar_reader *r, uint64_t at, struct mint_err *err)
{
	if (!r->p.any)
		return read_end_of_archive(r, at, err);
	mint_err_set(err, MINT_EFORMAT,
		     "extended header at offset %llu is followed by the end of archive, not an entry",
		     (unsigned long long)r->p.first_offset);
	return fail_at(r, err, MINT_EFORMAT, at);
}

static int start_entry(struct mint_tar_reader *r, const struct raw_header *h,
		       enum mint_tar_type type, struct mint_err *err)
{
	int rc = build_entry(r, h, type, err);
	if (!rc)
		rc = start_content(r, h, err);
	return rc ? rc : 1;
}

/* PAX, GNU long-name and global headers: they describe the next entry (or,
 * for 'g', nothing we keep). */
static int read_meta_header(struct mint_tar_reader *r, const struct raw_header *h,
			    struct mint_err *err)
{
	struct pending *p = &r->p;
	switch (h->type) {
	case 'x':
		return read_pax_header(r, h, err);
	case 'g':
		return skip_bytes(r, h->size + padding_for(h->size), "a PAX global header",
				  h->offset, err);
	case 'L':
		return read_gnu_long(r, h, &p->seen_long_name, &p->long_name, err);
	case 'K':
		return read_gnu_long(r, h, &p->seen_long_link, &p->long_link, err);
	}
	return unsupported_type(r, h, err);
}

/* Header blocks up to and including the next entry's own header. Returns 1
 * with r->entry filled, 0 at the end of the archive. */
static int read_next_entry(struct mint_tar_reader *r, struct mint_err *err)
{
	for (;;) {
		uint64_t at = r->offset;
		size_t got = 0;
		int rc = read_upto(r, r->block, MINT_TAR_BLOCK, &got, err);
		if (rc)
			return rc;
		if (!got)
			return input_ended(r, at, err);
		if (got < MINT_TAR_BLOCK)
			return truncated(r, err, "a tar header", at);
		if (is_zero(r->block, MINT_TAR_BLOCK))
			return on_zero_block(r, at, err);
		struct raw_header h;
		rc = parse_header(r, at, &h, err);
		if (rc)
			return rc;
		enum mint_tar_type type;
		if (map_type(h.type, &type))
			return start_entry(r, &h, type, err);
		rc = read_meta_header(r, &h, err);
		if (rc)
			return rc;
	}
}

static int finish_current(struct mint_tar_reader *r, struct mint_err *err)
{
	uint64_t started = r->entry.header_offset;
	int rc = skip_bytes(r, r->body_left, "the content of the entry", started, err);
	if (!rc)
		rc = skip_bytes(r, r->pad_left, "the padding of the entry", started, err);
	r->body_left = r->readable_left = r->pad_left = 0;
	return rc;
}

int mint_tar_next(struct mint_tar_reader *r, const struct mint_tar_entry **entry,
		  struct mint_err *err)
{
	*entry = NULL;
	if (r->failed)
		return mint_err_set(err, r->failed, "tar reader already failed");
	if (r->at_end)
		return 0;
	int rc = 0;
	if (r->has_entry)
		rc = finish_current(r, err);
	entry_free(&r->entry);
	pending_free(&r->p);
	r->has_entry = false;
	if (rc)
		return rc;
	rc = read_next_entry(r, err);
	pending_free(&r->p);
	if (rc == 1)
		*entry = &r->entry;
	return rc;
}

int mint_tar_read(struct mint_tar_reader *r, void *buf, size_t cap, size_t *got,
		  struct mint_err *err)
{
	*got = 0;
	if (r->failed)
		return mint_err_set(err, r->failed, "tar reader already failed");
	if (!r->has_entry || !r->readable_left || !cap)
		return 0;
	size_t want = cap < r->readable_left ? cap : (size_t)r->readable_left;
	size_t n = 0;
	int rc = r->src.read(r->src.ctx, buf, want, &n, err);
	if (rc)
		return fail_at(r, err, rc, r->offset);
	if (!n)
		return truncated(r, err, "the content of the entry", r->entry.header_offset);
	r->offset += n;
	r->readable_left -= n;
	r->body_left -= n;
	*got = n;
	return 0;
}
