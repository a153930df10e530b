/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Reading YAML nodes as typed values (see mint/yaml.h): scalar resolution
 * as gopkg.in/yaml.v3 does it for typed Go fields, and accessors whose
 * errors name the file, line, column and field. Parsing is in yaml.c.
 */
#include "mint/yaml.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mint/encode.h"

#define CORE_TAG "tag:yaml.org,2002:"
/* How much of a scalar an error message quotes. */
#define QUOTE_MAX 60
/* Field names longer than this get no "did you mean". */
#define SUGGEST_MAX 64

static bool text_is(const struct mint_yaml_node *n, const char *const *words)
{
	for (; *words; words++)
		if (strlen(*words) == n->len && !memcmp(*words, n->value, n->len))
			return true;
	return false;
}

static const char *const null_words[] = { "", "~", "null", "Null", "NULL", NULL };
static const char *const true_words[] = { "true", "True", "TRUE", NULL };
static const char *const false_words[] = { "false", "False", "FALSE", NULL };
static const char *const special_floats[] = {
	".nan", ".NaN", ".NAN", ".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF",
	"-.inf", "-.Inf", "-.INF", NULL,
};


/* The text without '_' (yaml.v3 drops them before parsing numbers); false
 * when it is too long to be a number anyway. */
static bool strip_underscores(const struct mint_yaml_node *n, char *out, size_t cap)
{
	size_t k = 0;
	for (size_t i = 0; i < n->len; i++) {
		if (n->value[i] == '_')
			continue;
		if (k + 1 >= cap)
			return false;
		out[k++] = n->value[i];
	}
	out[k] = '\0';
	return true;
}

struct int_value {
	bool neg;
	uint64_t mag;
	bool overflow;
};

/* Go's strconv.ParseInt(s, 0, 64) / ParseUint, as yaml.v3 calls them:
 * an optional sign, then 0x / 0o / 0b, a leading 0 (octal), or decimal. */
static bool parse_int_text(const char *s, struct int_value *v)
{
	memset(v, 0, sizeof(*v));
	if (*s == '+' || *s == '-')
		v->neg = *s++ == '-';
	unsigned base = 10;
	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
		base = 16, s += 2;
	else if (s[0] == '0' && (s[1] == 'o' || s[1] == 'O'))
		base = 8, s += 2;
	else if (s[0] == '0' && (s[1] == 'b' || s[1] == 'B'))
		base = 2, s += 2;
	else if (s[0] == '0' && s[1])
		base = 8, s += 1;
	if (!*s)
		return false;
	for (; *s; s++) {
		/* -1 for a non-digit becomes a huge unsigned value: never < base */
		unsigned d = (unsigned)mint_hex_digit(*s);
		if (d >= base)
			return false;
		if (v->mag > (UINT64_MAX - d) / base)
			v->overflow = true;
		else
			v->mag = v->mag * base + d;
	}
	return true;
}

/* yaml.v3's float pattern: [-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)? */
static bool is_float_text(const char *s)
{
	if (*s == '+' || *s == '-')
		s++;
	size_t int_digits = strspn(s, "0123456789");
	s += int_digits;
	if (*s == '.') {
		size_t frac = strspn(s + 1, "0123456789");
		if (!int_digits && !frac)
			return false;
		s += 1 + frac;
	} else if (!int_digits) {
		return false;
	}
	if (*s == 'e' || *s == 'E') {
		s++;
		if (*s == '+' || *s == '-')
			s++;
		size_t exp = strspn(s, "0123456789");
		if (!exp)
			return false;
		s += exp;
	}
	return *s == '\0';
}

/* How a plain, untagged scalar resolves. */
static enum mint_yaml_scalar_type resolve_plain(const struct mint_yaml_node *n)
{
	if (text_is(n, null_words))
		return MINT_YAML_NULL;
	if (text_is(n, true_words) || text_is(n, false_words))
		return MINT_YAML_BOOL;
	if (text_is(n, special_floats))
		return MINT_YAML_FLOAT;
	char c = n->value[0];
	if (!(c == '+' || c == '-' || c == '.' || (c >= '0' && c <= '9')))
		return MINT_YAML_STR;
	char text[128];
	if (memchr(n->value, '\0', n->len) || !strip_underscores(n, text, sizeof(text)))
		return MINT_YAML_STR;
	struct int_value v;
	if (c != '.' && parse_int_text(text, &v))
		return MINT_YAML_INT;
	return is_float_text(text) ? MINT_YAML_FLOAT : MINT_YAML_STR;
}

static enum mint_yaml_scalar_type tag_type(const char *tag)
{
	static const struct {
		const char *name;
		enum mint_yaml_scalar_type type;
	} core[] = {
		{ "str", MINT_YAML_STR },     { "binary", MINT_YAML_STR }, { "null", MINT_YAML_NULL },
		{ "bool", MINT_YAML_BOOL },   { "int", MINT_YAML_INT },    { "float", MINT_YAML_FLOAT },
	};
	if (!strcmp(tag, "!"))
		return MINT_YAML_STR;
	if (strncmp(tag, CORE_TAG, strlen(CORE_TAG)))
		return MINT_YAML_OTHER_TAG;
	for (size_t i = 0; i < sizeof(core) / sizeof(core[0]); i++)
		if (!strcmp(tag + strlen(CORE_TAG), core[i].name))
			return core[i].type;
	return MINT_YAML_OTHER_TAG;
}

enum mint_yaml_scalar_type mint_yaml_scalar_type(const struct mint_yaml_node *n)
{
	if (!n || n->kind != MINT_YAML_SCALAR)
		return MINT_YAML_OTHER_TAG;
	if (n->tag) {
		enum mint_yaml_scalar_type want = tag_type(n->tag);
		if (want == MINT_YAML_STR || want == MINT_YAML_OTHER_TAG)
			return want;
		/* A core tag on text that does not read as that type. */
		return resolve_plain(n) == want ? want : MINT_YAML_OTHER_TAG;
	}
	if (n->style != MINT_YAML_PLAIN)
		return MINT_YAML_STR;
	return resolve_plain(n);
}

bool mint_yaml_is_null(const struct mint_yaml_node *n)
{
	return !n || (n->kind == MINT_YAML_SCALAR && mint_yaml_scalar_type(n) == MINT_YAML_NULL);
}

const char *mint_yaml_describe(const struct mint_yaml_node *n)
{
	if (!n)
		return "null";
	if (n->kind == MINT_YAML_MAPPING)
		return "a mapping";
	if (n->kind == MINT_YAML_SEQUENCE)
		return "a sequence";
	switch (mint_yaml_scalar_type(n)) {
	case MINT_YAML_NULL:
		return "null";
	case MINT_YAML_BOOL:
		return "a boolean";
	case MINT_YAML_INT:
		return "an integer";
	case MINT_YAML_FLOAT:
		return "a number";
	case MINT_YAML_STR:
		return "a string";
	default:
		return "a tagged value";
	}
}

const struct mint_yaml_node *mint_yaml_map_get(const struct mint_yaml_node *map, const char *key)
{
	if (!map || map->kind != MINT_YAML_MAPPING)
		return NULL;
	size_t len = strlen(key);
	for (size_t i = 0; i < map->n; i++) {
		const struct mint_yaml_node *k = map->pairs[i].key;
		if (k->kind == MINT_YAML_SCALAR && k->len == len && !memcmp(k->value, key, len))
			return map->pairs[i].value;
	}
	return NULL;
}

int mint_yaml_fail(const struct mint_yaml_doc *doc, const struct mint_yaml_node *n,
		   struct mint_err *err, int code, const char *fmt, ...)
{
	if (!err)
		return code;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	va_end(ap);
	err->code = code;
	if (n)
		mint_err_set_pos(err, n->line, n->column);
	if (doc)
		mint_err_set_file(err, doc->name);
	return code;
}

/* " 'text'" for a scalar (shortened), "" for anything else: appended to a
 * description in messages. */
static void quote_scalar(const struct mint_yaml_node *n, char *out, size_t cap)
{
	out[0] = '\0';
	if (!n || n->kind != MINT_YAML_SCALAR)
		return;
	size_t len = strnlen(n->value, n->len);
	if (len > QUOTE_MAX)
		snprintf(out, cap, " '%.*s...'", QUOTE_MAX, n->value);
	else
		snprintf(out, cap, " '%.*s'", (int)len, n->value);
}

static int wrong_type(const struct mint_yaml_doc *doc, const struct mint_yaml_node *n,
		      const char *field, const char *want, const char *hint, struct mint_err *err)
{
	char quoted[QUOTE_MAX + 16];
	quote_scalar(n, quoted, sizeof(quoted));
	return mint_yaml_fail(doc, n, err, MINT_EFORMAT, "field '%s' must be %s, not %s%s%s", field,
			      want, mint_yaml_describe(n), quoted, hint ? hint : "");
}

static void set_present(bool *present, bool v)
{
	if (present)
		*present = v;
}

int mint_yaml_get_string(const struct mint_yaml_doc *doc, const struct mint_yaml_node *n,
			 const char *field, char **out, bool *present, struct mint_err *err)
{
	set_present(present, false);
	if (mint_yaml_is_null(n))
		return 0;
	if (n->kind != MINT_YAML_SCALAR)
		return wrong_type(doc, n, field, "a string", NULL, err);
	if (memchr(n->value, '\0', n->len))
		return mint_yaml_fail(doc, n, err, MINT_EFORMAT,
				      "field '%s' holds a NUL character", field);
	char *s = mint_span_dup(MINT_SPAN(n->value, n->len));
	if (!s)
		return mint_yaml_fail(doc, n, err, MINT_ENOMEM, "out of memory reading '%s'", field);
	free(*out);
	*out = s;
	set_present(present, true);
	return 0;
}

/* Reads an integer scalar into v, or fails naming the field. */
static int read_int(const struct mint_yaml_doc *doc, const struct mint_yaml_node *n,
		    const char *field, struct int_value *v, struct mint_err *err)
{
	if (n->kind != MINT_YAML_SCALAR || mint_yaml_scalar_type(n) != MINT_YAML_INT) {
		const char *hint = NULL;
		if (n->kind == MINT_YAML_SCALAR && n->style != MINT_YAML_PLAIN &&
		    resolve_plain(n) == MINT_YAML_INT)
			hint = " (write it without quotes)";
		return wrong_type(doc, n, field, "an integer", hint, err);
	}
	char text[128];
	strip_underscores(n, text, sizeof(text));
	parse_int_text(text, v);
	return 0;
}

static int out_of_range(const struct mint_yaml_doc *doc, const struct mint_yaml_node *n,
			const char *field, const char *range, struct mint_err *err)
{
	char quoted[QUOTE_MAX + 16];
	quote_scalar(n, quoted, sizeof(quoted));
	return mint_yaml_fail(doc, n, err, MINT_EFORMAT, "field '%s' is out of range%s: want %s",
			      field, quoted, range);
}

int mint_yaml_get_uint(const struct mint_yaml_doc *doc, const struct mint_yaml_node *n,
		       const char *field, uint64_t max, uint64_t *out, bool *present,
		       struct mint_err *err)
{
	set_present(present, false);
	if (mint_yaml_is_null(n))
		return 0;
	struct int_value v;
	int rc = read_int(doc, n, field, &v, err);
	if (rc)
		return rc;
	if (v.overflow || (v.neg && v.mag) || v.mag > max) {
		char range[64];
		snprintf(range, sizeof(range), "0 to %llu", (unsigned long long)max);
		return out_of_range(doc, n, field, range, err);
	}
	*out = v.mag;
	set_present(present, true);
	return 0;
}

int mint_yaml_get_int(const struct mint_yaml_doc *doc, const struct mint_yaml_node *n,
		      const char *field, int64_t min, int64_t max, int64_t *out, bool *present,
		      struct mint_err *err)
{
	set_present(present, false);
	if (mint_yaml_is_null(n))
		return 0;
	struct int_value v;
	int rc = read_int(doc, n, field, &v, err);
	if (rc)
		return rc;
	bool ok = !v.overflow;
	int64_t x = 0;
	if (ok && v.neg) {
		ok = v.mag <= (uint64_t)INT64_MAX + 1;
		x = ok ? (int64_t)(0 - v.mag) : 0;
	} else if (ok) {
		ok = v.mag <= (uint64_t)INT64_MAX;
		x = (int64_t)v.mag;
	}
	if (!ok || x < min || x > max) {
		char range[64];
		snprintf(range, sizeof(range), "%lld to %lld", (long long)min, (long long)max);
		return out_of_range(doc, n, field, range, err);
	}
	*out = x;
	set_present(present, true);
	return 0;
}

int mint_yaml_get_bool(const struct mint_yaml_doc *doc, const struct mint_yaml_node *n,
		       const char *field, bool *out, bool *present, struct mint_err *err)
{
	static const char *const yes_words[] = { "y", "Y", "yes", "Yes", "YES", "on", "On", "ON",
						 NULL };
	static const char *const no_words[] = { "n", "N", "no", "No", "NO", "off", "Off", "OFF",
						NULL };
	set_present(present, false);
	if (mint_yaml_is_null(n))
		return 0;
	bool v;
	if (n->kind != MINT_YAML_SCALAR)
		return wrong_type(doc, n, field, "true or false", NULL, err);
	if (mint_yaml_scalar_type(n) == MINT_YAML_BOOL)
		v = text_is(n, true_words);
	else if (text_is(n, yes_words))
		v = true;
	else if (text_is(n, no_words))
		v = false;
	else
		return wrong_type(doc, n, field, "true or false", NULL, err);
	*out = v;
	set_present(present, true);
	return 0;
}

static int want_kind(const struct mint_yaml_doc *doc, const struct mint_yaml_node *n,
		     const char *field, enum mint_yaml_kind kind, const char *what,
		     struct mint_err *err)
{
	if (mint_yaml_is_null(n))
		return 1;
	if (n->kind == kind)
		return 0;
	if (!*field)
		return mint_yaml_fail(doc, n, err, MINT_EFORMAT, "the document must be %s, not %s",
				      what, mint_yaml_describe(n));
	return wrong_type(doc, n, field, what, NULL, err);
}

int mint_yaml_want_mapping(const struct mint_yaml_doc *doc, const struct mint_yaml_node *n,
			   const char *field, struct mint_err *err)
{
	return want_kind(doc, n, field, MINT_YAML_MAPPING, "a mapping", err);
}

int mint_yaml_want_sequence(const struct mint_yaml_doc *doc, const struct mint_yaml_node *n,
			    const char *field, struct mint_err *err)
{
	return want_kind(doc, n, field, MINT_YAML_SEQUENCE, "a sequence", err);
}

/* Levenshtein distance, for names up to SUGGEST_MAX bytes. */
static size_t edit_distance(const char *a, size_t la, const char *b, size_t lb)
{
	size_t row[SUGGEST_MAX + 1];
	for (size_t j = 0; j <= lb; j++)
		row[j] = j;
	for (size_t i = 1; i <= la; i++) {
		size_t diag = row[0];
		row[0] = i;
		for (size_t j = 1; j <= lb; j++) {
			size_t up = row[j];
			size_t best = diag + (a[i - 1] != b[j - 1]);
			if (up + 1 < best)
				best = up + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			row[j] = best;
			diag = up;
		}
	}
	return row[lb];
}

static const char *closest(const struct mint_yaml_node *key, const char *const *known)
{
	const char *best = NULL;
	size_t best_d = 3; /* suggest only within two edits */
	if (key->len > SUGGEST_MAX)
		return NULL;
	for (; *known; known++) {
		size_t lk = strlen(*known);
		if (lk > SUGGEST_MAX)
			continue;
		size_t d = edit_distance(key->value, key->len, *known, lk);
		if (d < best_d && d < lk) {
			best = *known;
			best_d = d;
		}
	}
	return best;
}

int mint_yaml_unknown_field(const struct mint_yaml_doc *doc, const struct mint_yaml_node *key,
			    const char *where, const char *const *known, struct mint_err *err)
{
	char list[512];
	size_t used = 0;
	list[0] = '\0';
	for (const char *const *k = known; *k && used < sizeof(list); k++) {
		int w = snprintf(list + used, sizeof(list) - used, "%s%s", used ? ", " : "", *k);
		if (w < 0)
			break;
		used += (size_t)w;
	}
	if (key->kind != MINT_YAML_SCALAR)
		return mint_yaml_fail(doc, key, err, MINT_EFORMAT,
				      "a field name must be a string, not %s (known fields: %s)",
				      mint_yaml_describe(key), list);
	char in[128] = "";
	if (*where)
		snprintf(in, sizeof(in), " in '%s'", where);
	const char *near = closest(key, known);
	char hint[96] = "";
	if (near)
		snprintf(hint, sizeof(hint), "; did you mean '%s'?", near);
	size_t shown = strnlen(key->value, key->len);
	int len = (int)(shown > QUOTE_MAX ? QUOTE_MAX : shown);
	return mint_yaml_fail(doc, key, err, MINT_EFORMAT, "unknown field '%.*s'%s (known fields: %s)%s",
			      len, key->value, in, list, hint);
}
