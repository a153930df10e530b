/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Our own tar codec: we need exact bytes and offsets, which general archive
 * libraries hide.
 *
 * The reader understands ustar and GNU headers, PAX 'x' records (path,
 * linkpath, size, uid, gid, uname, gname, mtime, SCHILY.xattr.*,
 * APK-TOOLS.checksum.SHA1; 'g' global headers are skipped), GNU 'L'/'K' long
 * names, and reports for each entry the offset of its first header block and
 * of its content inside the (uncompressed) stream. Names are returned raw;
 * callers clean them with mint_path_clean before use.
 *
 * The writer emits ustar headers, with a PAX header in front only when a
 * field does not fit ustar (or is not ASCII) or the entry carries xattrs or
 * an apk checksum, and pads to 512-byte blocks. Its bytes depend only on the
 * entries given; the layout follows Go's archive/tar as melange uses it (PAX
 * records sorted by key, PAX header blocks with mode, owner and mtime 0).
 */
#ifndef MINT_TAR_H
#define MINT_TAR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mint/err.h"
#include "mint/source.h"

#define MINT_TAR_BLOCK 512

enum mint_tar_type {
	MINT_TAR_REG = '0',
	MINT_TAR_HARDLINK = '1',
	MINT_TAR_SYMLINK = '2',
	MINT_TAR_CHAR = '3',
	MINT_TAR_BLOCKDEV = '4',
	MINT_TAR_DIR = '5',
	MINT_TAR_FIFO = '6',
};

struct mint_xattr {
	char *name;            /* without the SCHILY.xattr. prefix */
	unsigned char *value;
	size_t value_len;
};

struct mint_tar_entry {
	char *name;           /* raw; '7' (contiguous) is reported as MINT_TAR_REG */
	char *link_target;    /* hardlink/symlink target, else NULL */
	enum mint_tar_type type;
	uint32_t mode;        /* permission and special bits only (& 07777) */
	uint64_t uid, gid;
	char uname[33], gname[33];
	uint64_t size;        /* content bytes (0 for non-regular entries) */
	int64_t mtime;
	uint32_t devmajor, devminor;
	struct mint_xattr *xattrs; /* sorted by name */
	size_t n_xattrs;
	bool has_apk_sha1;    /* PAX APK-TOOLS.checksum.SHA1 */
	unsigned char apk_sha1[20];
	uint64_t header_offset; /* first header block of this entry (PAX/GNU header included) */
	uint64_t data_offset;   /* first content byte */
};

struct mint_tar_limits {
	size_t max_name_bytes;   /* default 4096 */
	size_t max_pax_bytes;    /* one PAX/GNU long-name payload; default 1 MiB */
	uint64_t max_entry_bytes; /* one entry's content; 0: no cap */
};

/* How an archive may end. */
enum mint_tar_end {
	MINT_TAR_END_REQUIRED,  /* two zero blocks must come (data tars, indexes) */
	MINT_TAR_END_OPTIONAL,  /* input may stop at an entry boundary instead
				 * (apk signature and control members have no end) */
};

struct mint_tar_reader;

int mint_tar_reader_new(struct mint_tar_reader **out, struct mint_source src,
			const struct mint_tar_limits *limits, enum mint_tar_end end,
			struct mint_err *err);
/* 1: *entry filled (valid until the next call); 0: end of archive; <0 error.
 * Content not read by the caller is skipped. After the end-of-archive blocks
 * only zero bytes may follow (MINT_EFORMAT otherwise); a lone zero block
 * followed by anything else is MINT_EFORMAT too. Input that ends inside a
 * header, a PAX/GNU header's entry or content is MINT_ETRUNCATED with the
 * offset where it ended. Only regular files expose content; the size field
 * of other types is handled as GNU tar does (see lib/codec/tar_read.c).
 * After an error every call returns it again. */
int mint_tar_next(struct mint_tar_reader *r, const struct mint_tar_entry **entry,
		  struct mint_err *err);
/* Reads the current entry's content; *got == 0 at its end. */
int mint_tar_read(struct mint_tar_reader *r, void *buf, size_t cap, size_t *got,
		  struct mint_err *err);
/* Bytes of the stream consumed so far. */
uint64_t mint_tar_offset(const struct mint_tar_reader *r);
void mint_tar_reader_free(struct mint_tar_reader *r);

/* Writer: bytes go to sink. */
struct mint_tar_writer {
	int (*sink)(void *ctx, const void *data, size_t len, struct mint_err *err);
	void *ctx;
	uint64_t offset; /* bytes written so far */
	/* PAX headers are named <entry's directory>/ + pax_prefix + <entry's
	 * basename> (cut to 100 bytes), e.g. "usr/bin/PaxHeaders.0/hello"; NULL
	 * means "PaxHeaders.0/", as melange writes them. */
	const char *pax_prefix;
	uint64_t data_left; /* content still owed for the last header; start at 0 */
};

/* Writes the header(s) for e; content follows with mint_tar_write_data and
 * mint_tar_write_pad. e->header_offset and data_offset are ignored. Only
 * regular files may have e->size != 0. MINT_EINVAL when the previous entry's
 * content or padding is missing, or e cannot be written. */
int mint_tar_write_header(struct mint_tar_writer *w, const struct mint_tar_entry *e,
			  struct mint_err *err);
/* MINT_EINVAL when len goes past the size given in the header. */
int mint_tar_write_data(struct mint_tar_writer *w, const void *data, size_t len,
			struct mint_err *err);
/* Pads the current content to a block boundary (after all of it). */
int mint_tar_write_pad(struct mint_tar_writer *w, struct mint_err *err);
/* Header, content (e->size bytes) and padding in one call. */
int mint_tar_write_entry(struct mint_tar_writer *w, const struct mint_tar_entry *e,
			 const void *content, struct mint_err *err);
/* Two zero blocks. */
int mint_tar_write_end(struct mint_tar_writer *w, struct mint_err *err);

#endif
