/* SPDX-License-Identifier: Apache-2.0 */
/* The files apko writes under etc/apk: world, repositories, arch, key names. */
#include <stdlib.h>
#include <string.h>

#include "mint/apk_dep.h"
#include "mint/image_files.h"

struct line_set {
	char **items;
	size_t n;
};

static void line_set_free(struct line_set *s)
{
	for (size_t i = 0; i < s->n; i++)
		free(s->items[i]);
	free(s->items);
	s->items = NULL;
	s->n = 0;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Sorted, each distinct line once, each followed by a newline. */
static int put_sorted_lines(struct line_set *s, struct mint_buf *out)
{
	qsort(s->items, s->n, sizeof(*s->items), cmp_str);
	for (size_t i = 0; i < s->n; i++) {
		if (i && !strcmp(s->items[i], s->items[i - 1]))
			continue;
		if (mint_buf_puts(out, s->items[i]) || mint_buf_putc(out, '\n'))
			return MINT_ENOMEM;
	}
	return 0;
}

static bool has_line_break(const char *s)
{
	return strpbrk(s, "\n\r") != NULL;
}

static int world_item(const char *text, size_t idx, char **line, struct mint_err *err)
{
	struct mint_apk_dep d;
	struct mint_buf b = MINT_BUF_INIT;
	int rc = mint_apk_dep_parse(mint_span_str(text), &d, err);
	if (rc) {
		mint_err_prefix(err, "world constraint %zu \"%s\"", idx + 1, text);
		return rc;
	}
	rc = mint_apk_dep_format(&d, &b);
	mint_apk_dep_free(&d);
	if (rc) {
		mint_buf_free(&b);
		return mint_err_set(err, rc, "out of memory");
	}
	*line = mint_buf_detach(&b, NULL);
	if (!*line)
		*line = strdup("");
	return *line ? 0 : mint_err_set(err, MINT_ENOMEM, "out of memory");
}

/* Each item through make_line, then the lines sorted, once each. */
static int sorted_lines(const char *const *items, size_t n,
			int (*make_line)(const char *text, size_t idx, char **line,
					 struct mint_err *err),
			struct mint_buf *out, struct mint_err *err)
{
	struct line_set s = { calloc(n ? n : 1, sizeof(char *)), 0 };
	int rc = 0;
	if (!s.items)
		return mint_err_set(err, MINT_ENOMEM, "out of memory");
	for (; s.n < n; s.n++) {
		if ((rc = make_line(items[s.n], s.n, &s.items[s.n], err)))
			goto out;
	}
	if ((rc = put_sorted_lines(&s, out)))
		mint_err_set(err, rc, "out of memory");
out:
	line_set_free(&s);
	return rc;
}

int mint_image_world(const char *const *constraints, size_t n, struct mint_buf *out,
		     struct mint_err *err)
{
	return sorted_lines(constraints, n, world_item, out, err);
}

/* "url" or "@tag url" with the url's trailing slashes trimmed. */
static int repository_line(const char *text, size_t idx, char **line, struct mint_err *err)
{
	(void)idx;
	size_t len = strlen(text);
	const char *url = text;
	if (has_line_break(text))
		return mint_err_set(err, MINT_EINVAL, "repository \"%s\" holds a line break", text);
	if (text[0] == '@') {
		const char *sp = strchr(text, ' ');
		if (!sp || sp == text + 1)
			return mint_err_set(err, MINT_EINVAL,
					    "repository \"%s\": expected \"@tag url\"", text);
		url = sp + 1;
	}
	while (len > (size_t)(url - text) + 1 && text[len - 1] == '/')
		len--;
	if (len == (size_t)(url - text) || strchr(url, ' '))
		return mint_err_set(err, MINT_EINVAL, "repository \"%s\": bad url", text);
	*line = strndup(text, len);
	return *line ? 0 : mint_err_set(err, MINT_ENOMEM, "out of memory");
}

int mint_image_repositories(const char *const *repos, size_t n, struct mint_buf *out,
			    struct mint_err *err)
{
	return sorted_lines(repos, n, repository_line, out, err);
}

int mint_image_arch(const char *arch, struct mint_buf *out, struct mint_err *err)
{
	if (!arch || !arch[0] || strpbrk(arch, " \t\n\r/"))
		return mint_err_set(err, MINT_EINVAL, "bad apk arch \"%s\"", arch ? arch : "");
	if (mint_buf_puts(out, arch) || mint_buf_putc(out, '\n'))
		return mint_err_set(err, MINT_ENOMEM, "out of memory");
	return 0;
}

int mint_image_key_path(const char *key_path, struct mint_buf *out, struct mint_err *err)
{
	const char *slash = strrchr(key_path, '/');
	const char *base = slash ? slash + 1 : key_path;
	if (!base[0] || !strcmp(base, ".") || !strcmp(base, "..") || has_line_break(base))
		return mint_err_set(err, MINT_EINVAL, "key path \"%s\" names no file", key_path);
	if (mint_buf_puts(out, "etc/apk/keys/") || mint_buf_puts(out, base))
		return mint_err_set(err, MINT_ENOMEM, "out of memory");
	return 0;
}
