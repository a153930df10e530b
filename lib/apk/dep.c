/* SPDX-License-Identifier: Apache-2.0 */
/*
 * apk dependency items: parsing "[!]name[@tag][op version]" and lists of
 * them, the canonical text form, and matching a dependency against a
 * package name and version (see mint/apk_dep.h). Version ordering itself is
 * in version.c.
 */
#include "mint/apk_dep.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define QUOTE_MAX 64 /* bytes of input repeated in an error message */
#define QUOTE_CAP (QUOTE_MAX * 4 + 4)

static const struct {
	const char *text;
	unsigned op;
} dep_ops[] = {
	{ "=", MINT_APK_DEP_EQUAL },
	{ "<", MINT_APK_DEP_LESS },
	{ ">", MINT_APK_DEP_GREATER },
	{ "<=", MINT_APK_DEP_LESS | MINT_APK_DEP_EQUAL },
	{ ">=", MINT_APK_DEP_GREATER | MINT_APK_DEP_EQUAL },
	{ "~", MINT_APK_DEP_FUZZY | MINT_APK_DEP_EQUAL },
	{ "<~", MINT_APK_DEP_LESS | MINT_APK_DEP_EQUAL | MINT_APK_DEP_FUZZY },
	{ ">~", MINT_APK_DEP_GREATER | MINT_APK_DEP_EQUAL | MINT_APK_DEP_FUZZY },
	{ "><", MINT_APK_DEP_CHECKSUM },
	/* melange writes "=~"; it means the same as "~", which comes first
	 * so that formatting picks the apk spelling. */
	{ "=~", MINT_APK_DEP_FUZZY | MINT_APK_DEP_EQUAL },
};

#define N_DEP_OPS (sizeof(dep_ops) / sizeof(dep_ops[0]))

const char *mint_apk_dep_op_string(unsigned op)
{
	op &= ~(unsigned)MINT_APK_DEP_CONFLICT;
	if (op == MINT_APK_DEP_ANY)
		return "";
	for (size_t i = 0; i < N_DEP_OPS; i++)
		if (dep_ops[i].op == op)
			return dep_ops[i].text;
	return NULL;
}

bool mint_apk_dep_op_parse(struct mint_span text, unsigned *op)
{
	for (size_t i = 0; i < N_DEP_OPS; i++) {
		if (mint_span_eq_str(text, dep_ops[i].text)) {
			*op = dep_ops[i].op;
			return true;
		}
	}
	return false;
}

static bool is_alnum(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

/* Package, provided and tag names: so:…, cmd:…, pc:…, /bin/sh, py3.12-foo. */
static bool is_name_char(char c)
{
	return is_alnum(c) || (c && strchr("._+-:/,[]", c));
}

static bool is_op_char(char c)
{
	return c == '<' || c == '>' || c == '=' || c == '~';
}

static bool is_separator(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static bool is_base64_char(char c)
{
	return is_alnum(c) || c == '+' || c == '/' || c == '=';
}

/* One byte for an error message: printable as is, others as \xNN. */
static void describe_byte(char c, char out[8])
{
	unsigned char u = (unsigned char)c;
	if (u >= 0x20 && u < 0x7f)
		snprintf(out, 8, "%c", c);
	else
		snprintf(out, 8, "\\x%02x", u);
}

/* Input text, escaped and cut short, for error messages. */
static const char *quote(struct mint_span s, char out[QUOTE_CAP])
{
	size_t used = 0, cap = QUOTE_CAP;
	out[0] = '\0';
	for (size_t i = 0; i < s.len && i < QUOTE_MAX; i++) {
		char b[8];
		describe_byte(s.ptr[i], b);
		size_t n = strlen(b);
		if (used + n + 1 > cap)
			break;
		memcpy(out + used, b, n + 1);
		used += n;
	}
	if (s.len > QUOTE_MAX && used + 4 <= cap)
		memcpy(out + used, "...", 4);
	return out;
}

/* Where an item sits: its text and its offset within the caller's input. */
struct item {
	struct mint_span text;
	size_t base;
	struct mint_err *err;
};

/* Reports a format error at byte `at` of the item. */
__attribute__((format(printf, 3, 4)))
static int item_fail(const struct item *it, size_t at, const char *fmt, ...)
{
	char what[MINT_ERR_MSG_MAX / 2];
	char q[QUOTE_CAP];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	mint_err_set(it->err, MINT_EFORMAT, "dependency '%s': %s", quote(it->text, q), what);
	mint_err_set_offset(it->err, it->base + at);
	return MINT_EFORMAT;
}

static size_t span_while(struct mint_span s, size_t pos, bool (*pred)(char))
{
	while (pos < s.len && pred(s.ptr[pos]))
		pos++;
	return pos;
}

static bool is_not_separator(char c)
{
	return !is_separator(c);
}

/* What stops a name or tag: the expected next part, or a bad byte. */
static int bad_name_end(const struct item *it, size_t pos, const char *what)
{
	char c = it->text.ptr[pos];
	char b[8];
	if (is_separator(c))
		return item_fail(it, pos, "unexpected text after the dependency");
	describe_byte(c, b);
	return item_fail(it, pos, "invalid character '%s' in %s", b, what);
}

/* An identity as written after "><": Q1 or Q2, then base64. */
static bool is_identity(struct mint_span v)
{
	if (v.len < 3 || v.ptr[0] != 'Q' || (v.ptr[1] != '1' && v.ptr[1] != '2'))
		return false;
	return span_while(v, 2, is_base64_char) == v.len;
}

static int check_version(const struct item *it, size_t at, struct mint_span v, unsigned op,
			 struct mint_span op_text)
{
	char q[QUOTE_CAP];
	if (!v.len)
		return item_fail(it, at, "missing version after '%s'", quote(op_text, q));
	if (op == MINT_APK_DEP_CHECKSUM) {
		if (!is_identity(v))
			return item_fail(it, at,
					 "'><' wants a package identity (Q1 or Q2 and base64), not '%s'",
					 quote(v, q));
		return 0;
	}
	if (!mint_apk_version_valid(v))
		return item_fail(it, at, "invalid version '%s'", quote(v, q));
	return 0;
}

static int copy_part(struct mint_span s, char **out, struct mint_err *err)
{
	*out = mint_span_dup(s);
	return *out ? 0 : mint_err_set(err, MINT_ENOMEM, "out of memory");
}

/* The parts of an item, as spans into it. */
struct dep_parts {
	struct mint_span name, tag, version;
	bool has_tag;
	unsigned op;
};

static int split_name_and_tag(const struct item *it, size_t *pos, struct dep_parts *p)
{
	struct mint_span s = it->text;
	size_t start = *pos, end = span_while(s, start, is_name_char);
	p->name = MINT_SPAN(s.ptr + start, end - start);
	if (!p->name.len) {
		char c = end < s.len ? s.ptr[end] : '@';
		if (c != '@' && !is_op_char(c) && !is_separator(c))
			return bad_name_end(it, end, "package name");
		return item_fail(it, end, "missing package name");
	}
	if (end < s.len && s.ptr[end] == '@') {
		start = end + 1;
		end = span_while(s, start, is_name_char);
		p->has_tag = true;
		p->tag = MINT_SPAN(s.ptr + start, end - start);
		if (!p->tag.len)
			return item_fail(it, end, "empty repository tag after '@'");
		if (end < s.len && !is_op_char(s.ptr[end]))
			return bad_name_end(it, end, "repository tag");
	} else if (end < s.len && !is_op_char(s.ptr[end])) {
		return bad_name_end(it, end, "package name");
	}
	*pos = end;
	return 0;
}

static int split_op_and_version(const struct item *it, size_t pos, struct dep_parts *p)
{
	struct mint_span s = it->text;
	size_t op_end = span_while(s, pos, is_op_char);
	struct mint_span op_text = MINT_SPAN(s.ptr + pos, op_end - pos);
	unsigned op;
	char q[QUOTE_CAP];
	if (!mint_apk_dep_op_parse(op_text, &op))
		return item_fail(it, pos, "unknown operator '%s'", quote(op_text, q));
	size_t ver_end = span_while(s, op_end, is_not_separator);
	p->version = MINT_SPAN(s.ptr + op_end, ver_end - op_end);
	int rc = check_version(it, op_end, p->version, op, op_text);
	if (rc)
		return rc;
	if (ver_end < s.len)
		return item_fail(it, ver_end, "unexpected text after the dependency");
	p->op |= op;
	return 0;
}

static int split_item(const struct item *it, struct dep_parts *p)
{
	struct mint_span s = it->text;
	size_t pos = 0;
	memset(p, 0, sizeof(*p));
	if (!s.len)
		return item_fail(it, 0, "empty dependency");
	if (s.ptr[0] == '!') {
		p->op = MINT_APK_DEP_CONFLICT;
		pos = 1;
	}
	int rc = split_name_and_tag(it, &pos, p);
	if (rc)
		return rc;
	if (pos == s.len) {
		p->op |= MINT_APK_DEP_ANY;
		return 0;
	}
	return split_op_and_version(it, pos, p);
}

static int parse_item(const struct item *it, struct mint_apk_dep *out)
{
	struct dep_parts p;
	int rc;
	memset(out, 0, sizeof(*out));
	rc = split_item(it, &p);
	if (rc)
		return rc;
	rc = copy_part(p.name, &out->name, it->err);
	if (!rc && p.has_tag)
		rc = copy_part(p.tag, &out->tag, it->err);
	if (!rc && p.version.len)
		rc = copy_part(p.version, &out->version, it->err);
	if (rc) {
		mint_apk_dep_free(out);
		return rc;
	}
	out->op = p.op;
	return 0;
}

int mint_apk_dep_parse(struct mint_span s, struct mint_apk_dep *out, struct mint_err *err)
{
	struct item it = { s.ptr ? s : MINT_SPAN("", 0), 0, err };
	return parse_item(&it, out);
}

static int append_dep(struct mint_apk_dep **deps, size_t *n, size_t *cap, struct mint_err *err)
{
	if (*n < *cap)
		return 0;
	size_t want = *cap ? *cap * 2 : 8;
	struct mint_apk_dep *grown = realloc(*deps, want * sizeof(**deps));
	if (!grown)
		return mint_err_set(err, MINT_ENOMEM, "out of memory");
	*deps = grown;
	*cap = want;
	return 0;
}

int mint_apk_deps_parse(struct mint_span list, struct mint_apk_dep **deps, size_t *n,
			struct mint_err *err)
{
	struct mint_apk_dep *out = NULL;
	size_t count = 0, cap = 0, pos = 0;
	int rc = 0;
	while (pos < list.len) {
		pos = span_while(list, pos, is_separator);
		if (pos == list.len)
			break;
		size_t end = span_while(list, pos, is_not_separator);
		struct item it = { MINT_SPAN(list.ptr + pos, end - pos), pos, err };
		rc = append_dep(&out, &count, &cap, err);
		if (rc)
			goto out;
		rc = parse_item(&it, &out[count]);
		if (rc)
			goto out;
		count++;
		pos = end;
	}
out:
	if (rc) {
		mint_apk_deps_free(out, count);
		out = NULL;
		count = 0;
	}
	*deps = out;
	*n = count;
	return rc;
}

int mint_apk_dep_format(const struct mint_apk_dep *d, struct mint_buf *out)
{
	const char *op = mint_apk_dep_op_string(d->op);
	bool versioned = (d->op & MINT_APK_DEP_ANY) != MINT_APK_DEP_ANY;
	int rc;
	if (!d->name || !op || (versioned && !d->version))
		return MINT_EINVAL;
	rc = (d->op & MINT_APK_DEP_CONFLICT) ? mint_buf_putc(out, '!') : 0;
	if (!rc)
		rc = mint_buf_puts(out, d->name);
	if (!rc && d->tag)
		rc = mint_buf_printf(out, "@%s", d->tag);
	if (!rc && versioned)
		rc = mint_buf_printf(out, "%s%s", op, d->version);
	return rc;
}

bool mint_apk_dep_satisfied_by(const struct mint_apk_dep *d, struct mint_span name,
			       struct mint_span version)
{
	struct mint_span want = mint_span_str(d->version);
	if (!d->name || !mint_span_eq_str(name, d->name))
		return false;
	if ((d->op & ~(unsigned)MINT_APK_DEP_CONFLICT) == MINT_APK_DEP_CHECKSUM) {
		bool same = mint_span_eq(version, want);
		return (d->op & MINT_APK_DEP_CONFLICT) ? !same : same;
	}
	return mint_apk_version_match(version, d->op, want);
}

void mint_apk_dep_free(struct mint_apk_dep *d)
{
	if (!d)
		return;
	free(d->name);
	free(d->tag);
	free(d->version);
	memset(d, 0, sizeof(*d));
}

void mint_apk_deps_free(struct mint_apk_dep *deps, size_t n)
{
	for (size_t i = 0; i < n; i++)
		mint_apk_dep_free(&deps[i]);
	free(deps);
}
