/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Errors as values. Every fallible libmint function returns 0 or a negative
 * MINT_E* code and fills a caller-owned struct mint_err with what failed,
 * where (file, byte offset, or line:column) and why. The library never
 * prints; the CLI formats the error as one line.
 */
#ifndef MINT_ERR_H
#define MINT_ERR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum mint_errcode {
	MINT_OK = 0,
	MINT_ENOMEM = -1,      /* allocation failed */
	MINT_EIO = -2,         /* the operating system refused a read or write */
	MINT_EFORMAT = -3,     /* bytes do not follow the expected format */
	MINT_ETRUNCATED = -4,  /* input ended early */
	MINT_ESIGNATURE = -5,  /* a signature does not verify */
	MINT_EUNTRUSTED = -6,  /* no signature by a trusted key */
	MINT_EINTEGRITY = -7,  /* a digest does not match */
	MINT_ELIMIT = -8,      /* a configured size limit was exceeded */
	MINT_EINVAL = -9,      /* a caller passed an invalid argument */
	MINT_ENOTFOUND = -10,  /* a named thing does not exist */
	MINT_EUNSAFE = -11,    /* a path would leave its root */
	MINT_EUNSUPPORTED = -12, /* valid, but not something mint handles */
	MINT_EDUPLICATE = -13, /* the same name appears twice */
};

#define MINT_ERR_FILE_MAX 512
#define MINT_ERR_MSG_MAX 768

struct mint_err {
	int code;
	char file[MINT_ERR_FILE_MAX];  /* the input that failed, or "" */
	bool has_offset;
	uint64_t offset;               /* byte offset inside file */
	unsigned line, column;         /* 1-based; 0 when unknown */
	char msg[MINT_ERR_MSG_MAX];
};

/* Records code and message; returns code so callers can `return mint_err_set(...)`.
 * err may be NULL. Location fields already set are kept. */
int mint_err_set(struct mint_err *err, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Adds "context: " in front of the current message (e.g. "control member"). */
void mint_err_prefix(struct mint_err *err, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Location setters keep an inner (more precise) location that is already set. */
void mint_err_set_file(struct mint_err *err, const char *file);
void mint_err_set_offset(struct mint_err *err, uint64_t offset);
void mint_err_set_pos(struct mint_err *err, unsigned line, unsigned column);

void mint_err_clear(struct mint_err *err);

/* "file:line:col: msg", "file: at offset N: msg" or "msg". Returns the length
 * the full text needs, as snprintf does. */
size_t mint_err_format(const struct mint_err *err, char *out, size_t cap);

/* A short fixed name for a code, e.g. "format error". */
const char *mint_strerror(int code);

#endif
