/* SPDX-License-Identifier: Apache-2.0 */
/* lib/apk/db/scripts.tar: read and write (see mint/apk_scripts.h). */
#include "mint/apk_scripts.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mint/gzip.h"
#include "mint/source.h"
#include "mint/tar.h"

#define SCRIPT_MAX_BYTES (16u << 20)

static const char *const actions[] = {
	"pre-install", "post-install", "pre-deinstall", "post-deinstall",
	"pre-upgrade", "post-upgrade", "trigger",
};

static bool is_action(struct mint_span a)
{
	for (size_t i = 0; i < sizeof(actions) / sizeof(actions[0]); i++)
		if (mint_span_eq_str(a, actions[i]))
			return true;
	return false;
}

static long find_last(struct mint_span s, char c)
{
	for (size_t i = s.len; i > 0; i--)
		if (s.ptr[i - 1] == c)
			return (long)(i - 1);
	return -1;
}

/* "<pkg>.<identity>.<action>": the identity starts with Q1 or X1 and holds no '.'. */
static int split_name(struct mint_span name, struct mint_span parts[3], struct mint_err *err)
{
	long dot = find_last(name, '.');
	if (dot > 0) {
		parts[2] = mint_span_skip(name, (size_t)dot + 1);
		struct mint_span head = MINT_SPAN(name.ptr, (size_t)dot);
		long dot2 = find_last(head, '.');
		if (dot2 > 0) {
			parts[0] = MINT_SPAN(head.ptr, (size_t)dot2);
			parts[1] = mint_span_skip(head, (size_t)dot2 + 1);
			if (is_action(parts[2]) && (mint_span_starts_with(parts[1], "Q1") ||
						    mint_span_starts_with(parts[1], "X1")))
				return 0;
		}
	}
	return mint_err_set(err, MINT_EFORMAT,
			    "script entry '%.200s' is not <package>.<Q1 or X1 identity>.<action>",
			    name.ptr);
}

static int read_content(struct mint_tar_reader *tr, uint64_t size, unsigned char **data,
			struct mint_err *err)
{
	if (size > SCRIPT_MAX_BYTES)
		return mint_err_set(err, MINT_ELIMIT, "script is larger than %u bytes",
				    SCRIPT_MAX_BYTES);
	*data = malloc(size + 1);
	if (!*data)
		return mint_err_set(err, MINT_ENOMEM, "out of memory");
	size_t got, at = 0;
	do {
		int rc = mint_tar_read(tr, *data + at, size - at + 1, &got, err);
		if (rc)
			return rc;
		at += got;
	} while (got && at <= size);
	return 0;
}

static int take_entry(struct mint_apk_scripts *s, struct mint_tar_reader *tr,
		      const struct mint_tar_entry *e, struct mint_err *err)
{
	if (e->type != MINT_TAR_REG)
		return mint_err_set(err, MINT_EFORMAT, "script entry '%.200s' is not a regular file",
				    e->name);
	struct mint_span parts[3];
	int rc = split_name(mint_span_str(e->name), parts, err);
	unsigned char *data = NULL;
	if (!rc)
		rc = read_content(tr, e->size, &data, err);
	if (!rc) {
		char *pkg = mint_span_dup(parts[0]), *id = mint_span_dup(parts[1]);
		char *act = mint_span_dup(parts[2]);
		if (pkg && id && act)
			rc = mint_apk_scripts_add(s, pkg, id, act, data, e->size, e->mtime);
		else
			rc = mint_err_set(err, MINT_ENOMEM, "out of memory");
		if (rc == MINT_ENOMEM)
			mint_err_set(err, MINT_ENOMEM, "out of memory");
		free(pkg);
		free(id);
		free(act);
	}
	if (rc)
		mint_err_set_offset(err, e->header_offset);
	free(data);
	return rc;
}

static int parse_tar(struct mint_span tar, struct mint_apk_scripts *out, struct mint_err *err)
{
	struct mint_span_source ss;
	struct mint_tar_limits tl = { 4096, 1 << 20, SCRIPT_MAX_BYTES };
	struct mint_tar_reader *tr = NULL;
	int rc = mint_tar_reader_new(&tr, mint_span_source_init(&ss, tar), &tl,
				     MINT_TAR_END_OPTIONAL, err);
	const struct mint_tar_entry *e;
	while (!rc && (rc = mint_tar_next(tr, &e, err)) == 1)
		rc = take_entry(out, tr, e, err);
	mint_tar_reader_free(tr);
	return rc < 0 ? rc : 0;
}

int mint_apk_scripts_parse(struct mint_span file, struct mint_apk_scripts *out,
			   struct mint_err *err)
{
	memset(out, 0, sizeof(*out));
	int rc;
	if (file.len >= 2 && (unsigned char)file.ptr[0] == 0x1f && (unsigned char)file.ptr[1] == 0x8b) {
		struct mint_gzip_limits gl = { 256u << 20, 1030 };
		struct mint_buf tar = MINT_BUF_INIT;
		size_t used;
		rc = mint_gunzip_member(file, &gl, &tar, &used, err);
		if (!rc)
			rc = parse_tar(mint_buf_span(&tar), out, err);
		mint_buf_free(&tar);
	} else {
		rc = parse_tar(file, out, err);
	}
	if (rc)
		mint_apk_scripts_free(out);
	return rc;
}

int mint_apk_scripts_add(struct mint_apk_scripts *s, const char *package, const char *identity,
			 const char *action, const void *data, size_t len, int64_t mtime)
{
	struct mint_apk_script_entry *grown = realloc(s->items, (s->n + 1) * sizeof(*grown));
	if (!grown)
		return MINT_ENOMEM;
	s->items = grown;
	struct mint_apk_script_entry *e = &s->items[s->n];
	*e = (struct mint_apk_script_entry){ strdup(package), strdup(identity), strdup(action),
					     malloc(len ? len : 1), len, mtime };
	s->n++;
	if (!e->package || !e->identity || !e->action || !e->data)
		return MINT_ENOMEM;
	if (len)
		memcpy(e->data, data, len);
	return 0;
}

static int buf_sink(void *ctx, const void *data, size_t len, struct mint_err *err)
{
	if (mint_buf_append(ctx, data, len))
		return mint_err_set(err, MINT_ENOMEM, "out of memory");
	return 0;
}

int mint_apk_scripts_write(const struct mint_apk_scripts *s, struct mint_buf *out,
			   struct mint_err *err)
{
	struct mint_tar_writer w = { .sink = buf_sink, .ctx = out };
	for (size_t i = 0; i < s->n; i++) {
		const struct mint_apk_script_entry *e = &s->items[i];
		struct mint_buf name = MINT_BUF_INIT;
		if (mint_buf_printf(&name, "%s.%s.%s", e->package, e->identity, e->action))
			return mint_err_set(err, MINT_ENOMEM, "out of memory");
		struct mint_tar_entry te = {
			.name = name.data, .type = MINT_TAR_REG, .mode = 0755,
			.uname = "root", .gname = "root", .size = e->len, .mtime = e->mtime,
		};
		int rc = mint_tar_write_entry(&w, &te, e->data, err);
		mint_buf_free(&name);
		if (rc)
			return rc;
	}
	return mint_tar_write_end(&w, err);
}

void mint_apk_scripts_free(struct mint_apk_scripts *s)
{
	for (size_t i = 0; i < s->n; i++) {
		free(s->items[i].package);
		free(s->items[i].identity);
		free(s->items[i].action);
		free(s->items[i].data);
	}
	free(s->items);
	memset(s, 0, sizeof(*s));
}
