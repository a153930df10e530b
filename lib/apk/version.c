/* SPDX-License-Identifier: Apache-2.0 */
/*
 * apk version strings: a tokenizer shared by validation and comparison, and
 * the token-by-token ordering apk-tools uses (see mint/apk_version.h).
 * Dependency parsing lives in dep.c; this file only knows versions and the
 * operator bits it is asked to match.
 */
#include "mint/apk_version.h"

#include <string.h>

#include "mint/apk_dep.h"

/*
 * Token kinds in grammar order. The order matters twice: a token may only
 * follow kinds that come before it (checked in next_token), and when two
 * versions disagree on the kind of their next token the later kind is the
 * lesser version (END sorts below any further token, INVALID below END).
 */
enum token_kind {
	TOKEN_FIRST_NUMBER,
	TOKEN_NUMBER,
	TOKEN_LETTER,
	TOKEN_SUFFIX,
	TOKEN_SUFFIX_NUMBER,
	TOKEN_HASH,
	TOKEN_REVISION,
	TOKEN_END,
	TOKEN_INVALID,
};

/* Suffix ranks; a bare version sits at SUFFIX_RANK_NONE. */
enum {
	SUFFIX_RANK_INVALID = 0,
	SUFFIX_RANK_NONE = 5,
};

static const char *const suffix_names[] = {
	[1] = "alpha", [2] = "beta", [3] = "pre", [4] = "rc",
	[6] = "cvs", [7] = "svn", [8] = "git", [9] = "hg", [10] = "p",
};

struct tokenizer {
	struct mint_span rest; /* what is not tokenized yet */
	enum token_kind kind;  /* the current token */
	struct mint_span text; /* its digits, letter, suffix name or hex */
	int suffix_rank;       /* for TOKEN_SUFFIX */
};

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static bool is_lower(char c)
{
	return c >= 'a' && c <= 'z';
}

static bool is_lower_hex(char c)
{
	return is_digit(c) || (c >= 'a' && c <= 'f');
}

/* Takes the longest prefix of t->rest whose bytes satisfy pred as t->text. */
static void take_run(struct tokenizer *t, bool (*pred)(char))
{
	size_t n = 0;
	while (n < t->rest.len && pred(t->rest.ptr[n]))
		n++;
	t->text = MINT_SPAN(t->rest.ptr, n);
	t->rest = mint_span_skip(t->rest, n);
}

static void skip_byte(struct tokenizer *t)
{
	t->rest = mint_span_skip(t->rest, 1);
}

static int suffix_rank(struct mint_span name)
{
	for (size_t i = 0; i < sizeof(suffix_names) / sizeof(suffix_names[0]); i++)
		if (suffix_names[i] && mint_span_eq_str(name, suffix_names[i]))
			return (int)i;
	return SUFFIX_RANK_INVALID;
}

/* Reads a digit run as a token of kind; no digits makes it invalid. */
static void take_number(struct tokenizer *t, enum token_kind kind)
{
	take_run(t, is_digit);
	t->kind = t->text.len ? kind : TOKEN_INVALID;
}

static void first_token(struct tokenizer *t, struct mint_span v)
{
	if (!v.ptr)
		v = MINT_SPAN("", 0);
	t->rest = v;
	t->suffix_rank = SUFFIX_RANK_INVALID;
	take_number(t, TOKEN_FIRST_NUMBER);
}

static void next_letter(struct tokenizer *t)
{
	if (t->kind > TOKEN_NUMBER) {
		t->kind = TOKEN_INVALID;
		return;
	}
	t->text = MINT_SPAN(t->rest.ptr, 1);
	skip_byte(t);
	t->kind = TOKEN_LETTER;
}

static void next_dot_number(struct tokenizer *t)
{
	if (t->kind > TOKEN_NUMBER) {
		t->kind = TOKEN_INVALID;
		return;
	}
	skip_byte(t);
	take_number(t, TOKEN_NUMBER);
}

/* Digits right after a suffix name are the suffix's number. */
static void next_suffix_number(struct tokenizer *t)
{
	if (t->kind != TOKEN_SUFFIX) {
		t->kind = TOKEN_INVALID;
		return;
	}
	take_number(t, TOKEN_SUFFIX_NUMBER);
}

static void next_suffix(struct tokenizer *t)
{
	if (t->kind > TOKEN_SUFFIX_NUMBER) {
		t->kind = TOKEN_INVALID;
		return;
	}
	skip_byte(t);
	take_run(t, is_lower);
	t->suffix_rank = suffix_rank(t->text);
	t->kind = t->suffix_rank == SUFFIX_RANK_INVALID ? TOKEN_INVALID : TOKEN_SUFFIX;
}

static void next_hash(struct tokenizer *t)
{
	if (t->kind >= TOKEN_HASH) {
		t->kind = TOKEN_INVALID;
		return;
	}
	skip_byte(t);
	take_run(t, is_lower_hex);
	t->kind = t->text.len ? TOKEN_HASH : TOKEN_INVALID;
}

static void next_revision(struct tokenizer *t)
{
	if (t->kind >= TOKEN_REVISION || !mint_span_starts_with(t->rest, "-r")) {
		t->kind = TOKEN_INVALID;
		return;
	}
	t->rest = mint_span_skip(t->rest, 2);
	take_number(t, TOKEN_REVISION);
}

/* Advances to the next token; the caller stops at END or INVALID. */
static void next_token(struct tokenizer *t)
{
	if (!t->rest.len) {
		t->kind = TOKEN_END;
		return;
	}
	char c = t->rest.ptr[0];
	if (is_lower(c))
		next_letter(t);
	else if (c == '.')
		next_dot_number(t);
	else if (is_digit(c))
		next_suffix_number(t);
	else if (c == '_')
		next_suffix(t);
	else if (c == '~')
		next_hash(t);
	else if (c == '-')
		next_revision(t);
	else
		t->kind = TOKEN_INVALID;
}

bool mint_apk_version_valid(struct mint_span v)
{
	struct tokenizer t;
	for (first_token(&t, v); t.kind < TOKEN_END; next_token(&t))
		;
	return t.kind == TOKEN_END;
}

static int order(int cmp)
{
	if (cmp < 0)
		return MINT_APK_VERSION_LESS;
	if (cmp > 0)
		return MINT_APK_VERSION_GREATER;
	return MINT_APK_VERSION_EQUAL;
}

/* Byte-wise, a proper prefix first. */
static int compare_text(struct mint_span a, struct mint_span b)
{
	size_t n = a.len < b.len ? a.len : b.len;
	int r = n ? memcmp(a.ptr, b.ptr, n) : 0;
	if (r)
		return order(r);
	return order((a.len > b.len) - (a.len < b.len));
}

static struct mint_span strip_zeros(struct mint_span s)
{
	while (s.len && s.ptr[0] == '0')
		s = mint_span_skip(s, 1);
	return s;
}

/* Digit strings by value, whatever their length. */
static int compare_number(struct mint_span a, struct mint_span b)
{
	a = strip_zeros(a);
	b = strip_zeros(b);
	if (a.len != b.len)
		return order(a.len < b.len ? -1 : 1);
	return compare_text(a, b);
}

/* Two tokens of the same kind. */
static int compare_token(const struct tokenizer *a, const struct tokenizer *b)
{
	switch (a->kind) {
	case TOKEN_NUMBER:
		/* Gentoo rule: a leading zero on either side means "compare
		 * as a decimal fraction", i.e. as text (1.001 < 1.01). */
		if (a->text.ptr[0] == '0' || b->text.ptr[0] == '0')
			return compare_text(a->text, b->text);
		return compare_number(a->text, b->text);
	case TOKEN_FIRST_NUMBER:
	case TOKEN_SUFFIX_NUMBER:
	case TOKEN_REVISION:
		return compare_number(a->text, b->text);
	case TOKEN_SUFFIX:
		return order(a->suffix_rank - b->suffix_rank);
	default:
		/* a letter or a hash */
		return compare_text(a->text, b->text);
	}
}

static bool is_pre_release(const struct tokenizer *t)
{
	return t->kind == TOKEN_SUFFIX && t->suffix_rank < SUFFIX_RANK_NONE;
}

static int compare(struct mint_span va, struct mint_span vb, bool fuzzy)
{
	struct tokenizer a, b;
	first_token(&a, va);
	first_token(&b, vb);
	while (a.kind == b.kind && a.kind < TOKEN_END) {
		int r = compare_token(&a, &b);
		if (r != MINT_APK_VERSION_EQUAL)
			return r;
		next_token(&a);
		next_token(&b);
	}
	if (a.kind == b.kind)
		return MINT_APK_VERSION_EQUAL;
	if (fuzzy && b.kind == TOKEN_END)
		return MINT_APK_VERSION_EQUAL;
	/* Same so far: whoever goes on is greater, unless what follows is a
	 * pre-release suffix (1.0_rc1 < 1.0). */
	if (is_pre_release(&a))
		return MINT_APK_VERSION_LESS;
	if (is_pre_release(&b))
		return MINT_APK_VERSION_GREATER;
	return a.kind > b.kind ? MINT_APK_VERSION_LESS : MINT_APK_VERSION_GREATER;
}

int mint_apk_version_compare(struct mint_span a, struct mint_span b)
{
	return compare(a, b, false);
}

int mint_apk_version_compare_fuzzy(struct mint_span a, struct mint_span b)
{
	return compare(a, b, true);
}

bool mint_apk_version_match(struct mint_span a, unsigned op, struct mint_span b)
{
	bool ok;
	if ((op & MINT_APK_DEP_ANY) == MINT_APK_DEP_ANY)
		ok = true;
	else
		ok = (unsigned)compare(a, b, op & MINT_APK_DEP_FUZZY) & op;
	return (op & MINT_APK_DEP_CONFLICT) ? !ok : ok;
}
