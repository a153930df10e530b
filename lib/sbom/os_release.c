/* SPDX-License-Identifier: Apache-2.0 */
/*
 * os-release (etc/os-release, usr/lib/os-release) as the SBOM needs it: the
 * operating system's ID, NAME, VERSION_ID, PRETTY_NAME and HOME_URL.
 *
 * The file is a list of shell variable assignments (os-release(5)): a value
 * may be unquoted, in double quotes (where \" \\ \$ and \` are escapes) or
 * in single quotes, and pieces may follow each other ("a"'b'c). Lines that
 * are empty, comments or not KEY=value are skipped, since an SBOM should
 * not fail over a cosmetic mistake in an image's os-release; the last
 * assignment of a key wins, as when a shell sources the file. Nothing here
 * expands variables or runs anything.
 */
#include "mint/sbom.h"

#include <stdlib.h>
#include <string.h>

static bool is_space(char ch)
{
	return ch == ' ' || ch == '\t' || ch == '\r' || ch == '\v' || ch == '\f';
}

static bool is_key_char(char ch, bool first)
{
	if ((ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') || ch == '_')
		return true;
	return !first && ch >= '0' && ch <= '9';
}

/* Length of the KEY before '=' at the start of line, or 0. */
static size_t key_length(struct mint_span line)
{
	size_t n = 0;
	while (n < line.len && is_key_char(line.ptr[n], n == 0))
		n++;
	return n < line.len && line.ptr[n] == '=' ? n : 0;
}

/* The shell word at the start of v, unquoted into out. An unterminated
 * quote takes the rest of the line. */
static int unquote(struct mint_span v, struct mint_buf *out)
{
	char quote = 0;
	mint_buf_reset(out);
	for (size_t i = 0; i < v.len; i++) {
		char ch = v.ptr[i];
		bool escaped_next = i + 1 < v.len && ch == '\\';
		if (quote == '\'') {
			if (ch == '\'')
				quote = 0;
			else if (mint_buf_putc(out, ch))
				return MINT_ENOMEM;
			continue;
		}
		if (quote == '"') {
			if (ch == '"') {
				quote = 0;
				continue;
			}
			if (escaped_next && strchr("\"\\$`", v.ptr[i + 1]))
				ch = v.ptr[++i];
			if (mint_buf_putc(out, ch))
				return MINT_ENOMEM;
			continue;
		}
		if (ch == '"' || ch == '\'') {
			quote = ch;
			continue;
		}
		if (is_space(ch))
			break;
		if (escaped_next)
			ch = v.ptr[++i];
		if (mint_buf_putc(out, ch))
			return MINT_ENOMEM;
	}
	return mint_buf_cstr(out) ? 0 : MINT_ENOMEM;
}

/* The field of os a key fills, or NULL for keys the SBOM does not use. */
static char **field_for(struct mint_sbom_os *os, struct mint_span key)
{
	if (mint_span_eq_str(key, "ID"))
		return &os->id;
	if (mint_span_eq_str(key, "NAME"))
		return &os->name;
	if (mint_span_eq_str(key, "VERSION_ID"))
		return &os->version_id;
	if (mint_span_eq_str(key, "PRETTY_NAME"))
		return &os->pretty_name;
	if (mint_span_eq_str(key, "HOME_URL"))
		return &os->home_url;
	return NULL;
}

static int take_line(struct mint_sbom_os *os, struct mint_span line, struct mint_buf *value)
{
	while (line.len && is_space(line.ptr[0]))
		line = mint_span_skip(line, 1);
	size_t key_len = key_length(line);
	if (!key_len)
		return 0;
	char **field = field_for(os, MINT_SPAN(line.ptr, key_len));
	if (!field)
		return 0;
	if (unquote(mint_span_skip(line, key_len + 1), value))
		return MINT_ENOMEM;
	char *copy = strdup(mint_buf_cstr(value));
	if (!copy)
		return MINT_ENOMEM;
	free(*field);
	*field = copy;
	return 0;
}

int mint_sbom_os_release_parse(struct mint_span text, struct mint_sbom_os *out)
{
	struct mint_buf value = MINT_BUF_INIT;
	struct mint_span rest = text, line;
	int rc = 0;
	memset(out, 0, sizeof(*out));
	out->present = true;
	while (!rc && rest.len && mint_span_split(&rest, '\n', &line))
		rc = take_line(out, line, &value);
	mint_buf_free(&value);
	if (rc)
		mint_sbom_os_free(out);
	return rc;
}

void mint_sbom_os_free(struct mint_sbom_os *os)
{
	if (!os)
		return;
	free(os->id);
	free(os->name);
	free(os->version_id);
	free(os->pretty_name);
	free(os->home_url);
	memset(os, 0, sizeof(*os));
}
