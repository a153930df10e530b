/* SPDX-License-Identifier: Apache-2.0 */
/* Error values: the only place error text is assembled (see mint/err.h). */
#include "mint/err.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

int mint_err_set(struct mint_err *err, int code, const char *fmt, ...)
{
	if (!err)
		return code;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	va_end(ap);
	err->code = code;
	return code;
}

void mint_err_prefix(struct mint_err *err, const char *fmt, ...)
{
	if (!err)
		return;
	char head[MINT_ERR_MSG_MAX];
	char old[MINT_ERR_MSG_MAX];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(head, sizeof(head), fmt, ap);
	va_end(ap);
	memcpy(old, err->msg, sizeof(old));
	/* Truncation is acceptable: the message keeps its beginning. */
	if (snprintf(err->msg, sizeof(err->msg), "%s: %s", head, old) < 0)
		err->msg[0] = '\0';
}

void mint_err_set_file(struct mint_err *err, const char *file)
{
	if (!err || err->file[0] || !file)
		return;
	snprintf(err->file, sizeof(err->file), "%s", file);
}

void mint_err_set_offset(struct mint_err *err, uint64_t offset)
{
	if (!err || err->has_offset)
		return;
	err->has_offset = true;
	err->offset = offset;
}

void mint_err_set_pos(struct mint_err *err, unsigned line, unsigned column)
{
	if (!err || err->line)
		return;
	err->line = line;
	err->column = column;
}

void mint_err_clear(struct mint_err *err)
{
	if (err)
		memset(err, 0, sizeof(*err));
}

size_t mint_err_format(const struct mint_err *err, char *out, size_t cap)
{
	const char *file = err->file[0] ? err->file : NULL;
	int n;
	if (file && err->line)
		n = snprintf(out, cap, "%s:%u:%u: %s", file, err->line, err->column, err->msg);
	else if (file && err->has_offset)
		n = snprintf(out, cap, "%s: at offset %llu: %s", file,
			     (unsigned long long)err->offset, err->msg);
	else if (err->has_offset)
		n = snprintf(out, cap, "at offset %llu: %s", (unsigned long long)err->offset, err->msg);
	else if (file)
		n = snprintf(out, cap, "%s: %s", file, err->msg);
	else
		n = snprintf(out, cap, "%s", err->msg);
	return n < 0 ? 0 : (size_t)n;
}

const char *mint_strerror(int code)
{
	switch (code) {
	case MINT_OK: return "ok";
	case MINT_ENOMEM: return "out of memory";
	case MINT_EIO: return "I/O error";
	case MINT_EFORMAT: return "format error";
	case MINT_ETRUNCATED: return "truncated input";
	case MINT_ESIGNATURE: return "bad signature";
	case MINT_EUNTRUSTED: return "untrusted";
	case MINT_EINTEGRITY: return "integrity error";
	case MINT_ELIMIT: return "limit exceeded";
	case MINT_EINVAL: return "invalid argument";
	case MINT_ENOTFOUND: return "not found";
	case MINT_EUNSAFE: return "unsafe path";
	case MINT_EUNSUPPORTED: return "unsupported";
	case MINT_EDUPLICATE: return "duplicate";
	}
	return "unknown error";
}
