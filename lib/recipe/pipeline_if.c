/* SPDX-License-Identifier: Apache-2.0 */
/*
 * melange's `if:` conditions, evaluated after substitution:
 *
 *   expr    := and ('||' and)*
 *   and     := unary ('&&' unary)*
 *   unary   := '!' unary | '(' expr ')' | operand [('==' | '!=') operand]
 *   operand := 'single quoted' | "double quoted" | bare word
 *
 * A bare word runs until blank space or one of ( ) ! = & | ' "; so
 * `/home/build/melange-out/x != /home/build/melange-out/y` compares two
 * paths. An operand standing alone must be true or false. Anything else
 * is MINT_EFORMAT naming the byte offset. Nesting is bounded so hostile
 * text cannot exhaust the stack.
 */
#include <string.h>

#include "mint/pipeline.h"

#define IF_MAX_DEPTH 64

struct if_parser {
	const char *s;
	size_t at;
	unsigned depth;
	struct mint_err *err;
};

static int parse_or(struct if_parser *p, bool *out);

static void skip_blanks(struct if_parser *p)
{
	while (p->s[p->at] == ' ' || p->s[p->at] == '\t' || p->s[p->at] == '\n' ||
	       p->s[p->at] == '\r')
		p->at++;
}

static bool accept(struct if_parser *p, const char *tok)
{
	skip_blanks(p);
	size_t n = strlen(tok);
	if (strncmp(p->s + p->at, tok, n))
		return false;
	p->at += n;
	return true;
}

static int fail(struct if_parser *p, const char *what)
{
	return mint_err_set(p->err, MINT_EFORMAT, "if '%s': %s at offset %zu", p->s, what, p->at);
}

static bool word_char(char ch)
{
	return ch && !strchr(" \t\r\n()!=&|'\"", ch);
}

/* An operand as a span into the text. */
static int parse_operand(struct if_parser *p, struct mint_span *out)
{
	skip_blanks(p);
	char q = p->s[p->at];
	if (q == '\'' || q == '"') {
		const char *end = strchr(p->s + p->at + 1, q);
		if (!end)
			return fail(p, "unterminated quoted string");
		*out = MINT_SPAN(p->s + p->at + 1, (size_t)(end - (p->s + p->at + 1)));
		p->at = (size_t)(end - p->s) + 1;
		return 0;
	}
	size_t start = p->at;
	while (word_char(p->s[p->at]))
		p->at++;
	if (p->at == start)
		return fail(p, p->s[p->at] ? "expected a value" : "expected a value, found the end");
	*out = MINT_SPAN(p->s + start, p->at - start);
	return 0;
}

static int parse_comparison(struct if_parser *p, bool *out)
{
	struct mint_span a, b;
	int rc = parse_operand(p, &a);
	if (rc)
		return rc;
	bool eq = accept(p, "==");
	if (!eq && !accept(p, "!=")) {
		if (mint_span_eq_str(a, "true") || mint_span_eq_str(a, "false")) {
			*out = mint_span_eq_str(a, "true");
			return 0;
		}
		return fail(p, "expected '==' or '!='");
	}
	if ((rc = parse_operand(p, &b)))
		return rc;
	*out = mint_span_eq(a, b) == eq;
	return 0;
}

static int parse_unary(struct if_parser *p, bool *out)
{
	int rc;
	if (++p->depth > IF_MAX_DEPTH)
		return fail(p, "nested too deeply");
	skip_blanks(p);
	if (p->s[p->at] == '!' && p->s[p->at + 1] != '=') {
		p->at++;
		if (!(rc = parse_unary(p, out)))
			*out = !*out;
	} else if (accept(p, "(")) {
		if (!(rc = parse_or(p, out)) && !accept(p, ")"))
			rc = fail(p, "expected ')'");
	} else {
		rc = parse_comparison(p, out);
	}
	p->depth--;
	return rc;
}

static int parse_and(struct if_parser *p, bool *out)
{
	int rc = parse_unary(p, out);
	while (!rc && accept(p, "&&")) {
		bool rhs;
		if (!(rc = parse_unary(p, &rhs)))
			*out = *out && rhs;
	}
	return rc;
}

static int parse_or(struct if_parser *p, bool *out)
{
	int rc = parse_and(p, out);
	while (!rc && accept(p, "||")) {
		bool rhs;
		if (!(rc = parse_and(p, &rhs)))
			*out = *out || rhs;
	}
	return rc;
}

int mint_pipeline_eval_if(const char *expr, bool *out, struct mint_err *err)
{
	struct if_parser p = { expr, 0, 0, err };
	bool v = false;
	int rc = parse_or(&p, &v);
	if (rc)
		return rc;
	skip_blanks(&p);
	if (expr[p.at])
		return fail(&p, "unexpected text");
	*out = v;
	return 0;
}
