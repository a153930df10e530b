/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Recipe variables: `vars:` and `var-transforms:` read at load time, and
 * the variables of a package for one arch (mint_recipe_vars).
 *
 * melange's var-transforms run Go RE2 regular expressions. mint runs them
 * with POSIX extended regular expressions (<regex.h>) after translating
 * what RE2 writes differently: \d \w \s and their negations, escaped
 * punctuation inside brackets, \t and \n. Constructs ERE cannot express
 * (groups with (?...), non-greedy repeats, \b, \A, \z, \p{...}) are
 * refused with MINT_EUNSUPPORTED naming them. One difference stays: POSIX
 * picks the longest of alternatives where RE2 picks the first, which only
 * matters for patterns like (a|ab). The replacement follows Go's Expand:
 * $1 and ${1} are groups, $$ is a '$', any other $name is empty.
 */
#include "recipe_internal.h"

#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_GROUPS 10

int rcp_fail(struct cfg_ctx *c, const struct mint_yaml_node *at, const char *path, int rc)
{
	if (rc == MINT_ELIMIT)
		return mint_yaml_fail(c->doc, at, c->err, rc,
				      "'%s' grows past %u KiB once ${{...}} are substituted", path,
				      RCP_MAX_SUBST_BYTES >> 10);
	return mint_yaml_fail(c->doc, at, c->err, rc, "out of memory reading '%s'", path);
}

int rcp_subst_known(const char *text, const struct mint_image_kvs *vars, struct mint_buf *out)
{
	return rcp_subst(text, vars, true, RCP_MAX_SUBST_BYTES, out, NULL);
}

int rcp_subst_in_place(char **s, const struct mint_image_kvs *vars)
{
	struct mint_buf b = MINT_BUF_INIT;
	if (!*s || !strstr(*s, "${{"))
		return 0;
	int rc = rcp_subst_known(*s, vars, &b);
	if (!rc && mint_buf_putc(&b, '\0'))
		rc = MINT_ENOMEM;
	if (rc) {
		mint_buf_free(&b);
		return rc;
	}
	free(*s);
	*s = mint_buf_detach(&b, NULL);
	return 0;
}

/* --- RE2 to ERE ------------------------------------------------------------ */

struct re_tr {
	const char *re;
	size_t i;
	struct mint_buf *out;
	const char *unsupported; /* the construct, when refused */
};

static bool is_re_punct(char ch)
{
	return ch && strchr(".[]{}()\\*+?^$|-/#&~!@%=:;,<>'\"`_ ", ch);
}

/* An escape outside brackets. */
static int tr_escape(struct re_tr *t)
{
	char ch = t->re[t->i + 1];
	const char *rep = NULL;
	char lit[3] = { '\\', ch, '\0' };
	switch (ch) {
	case 'd': rep = "[0-9]"; break;
	case 'D': rep = "[^0-9]"; break;
	case 'w': rep = "[0-9A-Za-z_]"; break;
	case 'W': rep = "[^0-9A-Za-z_]"; break;
	case 's': rep = "[[:space:]]"; break;
	case 'S': rep = "[^[:space:]]"; break;
	case 't': rep = "\t"; break;
	case 'n': rep = "\n"; break;
	default:
		if (!is_re_punct(ch)) {
			t->unsupported = ch == 'b' || ch == 'B' ? "word boundaries (\\b, \\B)"
				       : ch == 'p' || ch == 'P' ? "Unicode classes (\\p, \\P)"
				       : "this escape";
			return MINT_EUNSUPPORTED;
		}
		rep = lit;
		/* ERE leaves an escaped ordinary character undefined. */
		if (!strchr(".[]{}()\\*+?^$|", ch)) {
			lit[0] = ch;
			lit[1] = '\0';
		}
	}
	t->i += 2;
	return mint_buf_puts(t->out, rep);
}

/* An escape inside brackets: a backslash is literal there in ERE. */
static int tr_bracket_escape(struct re_tr *t)
{
	char ch = t->re[t->i + 1];
	const char *rep;
	char lit[2] = { ch, '\0' };
	switch (ch) {
	case 'd': rep = "0-9"; break;
	case 'w': rep = "0-9A-Za-z_"; break;
	case 's': rep = "[:space:]"; break;
	case 't': rep = "\t"; break;
	case 'n': rep = "\n"; break;
	case '\\': rep = "\\"; break;
	default:
		if (!is_re_punct(ch) || ch == ']' || ch == '-' || ch == '^' || ch == '[') {
			t->unsupported = "this escape inside brackets";
			return MINT_EUNSUPPORTED;
		}
		rep = lit;
	}
	t->i += 2;
	return mint_buf_puts(t->out, rep);
}

static int tr_bracket(struct re_tr *t)
{
	int rc = mint_buf_putc(t->out, '[');
	t->i++;
	if (!rc && t->re[t->i] == '^')
		rc = mint_buf_putc(t->out, t->re[t->i++]);
	if (!rc && t->re[t->i] == ']')
		rc = mint_buf_putc(t->out, t->re[t->i++]);
	while (!rc && t->re[t->i] && t->re[t->i] != ']') {
		const char *p = t->re + t->i;
		if (p[0] == '[' && p[1] == ':') {
			const char *end = strstr(p + 2, ":]");
			if (!end)
				break;
			rc = mint_buf_append(t->out, p, (size_t)(end + 2 - p));
			t->i += (size_t)(end + 2 - p);
		} else if (p[0] == '\\' && p[1]) {
			rc = tr_bracket_escape(t);
		} else {
			rc = mint_buf_putc(t->out, t->re[t->i++]);
		}
	}
	if (!rc && t->re[t->i] == ']')
		rc = mint_buf_putc(t->out, t->re[t->i++]);
	return rc;
}

static bool is_quantifier(char ch)
{
	return ch == '*' || ch == '+' || ch == '?' || ch == '}';
}

static int translate(struct re_tr *t)
{
	int rc = 0;
	while (!rc && t->re[t->i]) {
		const char *p = t->re + t->i;
		if (p[0] == '\\' && p[1]) {
			rc = tr_escape(t);
		} else if (p[0] == '[') {
			rc = tr_bracket(t);
		} else if (p[0] == '(' && p[1] == '?') {
			t->unsupported = "groups with options or names ((?...))";
			rc = MINT_EUNSUPPORTED;
		} else if (is_quantifier(p[0]) && p[1] == '?') {
			t->unsupported = "non-greedy repeats (*?, +?, ?\?)";
			rc = MINT_EUNSUPPORTED;
		} else {
			rc = mint_buf_putc(t->out, t->re[t->i++]);
		}
	}
	if (!rc && mint_buf_putc(t->out, '\0'))
		rc = MINT_ENOMEM;
	return rc;
}

static int compile(struct cfg_ctx *c, const struct mint_yaml_node *at, const char *path,
		   const char *re, regex_t *out)
{
	struct mint_buf ere = MINT_BUF_INIT;
	struct re_tr t = { re, 0, &ere, NULL };
	int rc = translate(&t);
	if (rc == MINT_EUNSUPPORTED)
		rc = mint_yaml_fail(c->doc, at, c->err, rc,
				    "'%s': %s in a regular expression are not supported by mint "
				    "(POSIX extended regular expressions)",
				    path, t.unsupported);
	else if (rc)
		rc = mint_yaml_fail(c->doc, at, c->err, rc, "out of memory");
	else if (regcomp(out, ere.data, REG_EXTENDED))
		rc = mint_yaml_fail(c->doc, at, c->err, MINT_EFORMAT,
				    "'%s': \"%s\" is not a valid regular expression", path, re);
	mint_buf_free(&ere);
	return rc;
}

/* --- Go's Expand and ReplaceAllString ---------------------------------------- */

static bool is_name_char(char ch)
{
	return (ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
	       ch == '_';
}

/* The group a "$..." at p names: -1 for a name that is no group number.
 * *len is how much of the template it takes; 0 when p is no reference. */
static long template_group(const char *p, size_t *len)
{
	size_t start = 1, end;
	bool braced = p[1] == '{';
	*len = 0;
	if (braced)
		start = 2;
	for (end = start; is_name_char(p[end]); end++)
		;
	if (end == start || (braced && p[end] != '}'))
		return -1;
	*len = end + (braced ? 1 : 0);
	long group = 0;
	for (size_t i = start; i < end; i++) {
		if (p[i] < '0' || p[i] > '9' || group > 1000)
			return -1;
		group = group * 10 + (p[i] - '0');
	}
	return group;
}

static int expand(const char *tmpl, const char *src, const regmatch_t *m, struct mint_buf *out)
{
	int rc = 0;
	for (const char *p = tmpl; *p && !rc;) {
		size_t len;
		if (p[0] != '$') {
			rc = mint_buf_putc(out, *p++);
		} else if (p[1] == '$') {
			rc = mint_buf_putc(out, '$');
			p += 2;
		} else {
			long g = template_group(p, &len);
			if (!len) {
				rc = mint_buf_putc(out, *p++);
				continue;
			}
			if (g >= 0 && g < MAX_GROUPS && m[g].rm_so >= 0)
				rc = mint_buf_append(out, src + m[g].rm_so,
						     (size_t)(m[g].rm_eo - m[g].rm_so));
			p += len;
		}
	}
	return rc;
}

static int replace_all(const regex_t *re, const char *src, const char *tmpl,
		       struct mint_buf *out)
{
	size_t n = strlen(src), search = 0, last_end = 0;
	int rc = 0;
	while (!rc && search <= n) {
		regmatch_t m[MAX_GROUPS];
		if (regexec(re, src + search, MAX_GROUPS, m, search ? REG_NOTBOL : 0))
			break;
		for (size_t g = 0; g < MAX_GROUPS; g++)
			if (m[g].rm_so >= 0) {
				m[g].rm_so += (regoff_t)search;
				m[g].rm_eo += (regoff_t)search;
			}
		size_t a = (size_t)m[0].rm_so, b = (size_t)m[0].rm_eo;
		rc = mint_buf_append(out, src + last_end, a - last_end);
		/* An empty match right after the previous match is not replaced. */
		if (!rc && (b > last_end || a == 0))
			rc = expand(tmpl, src, m, out);
		last_end = b;
		search = search + 1 > b ? search + 1 : b;
	}
	if (!rc)
		rc = mint_buf_puts(out, src + last_end);
	return rc;
}

/* --- vars: and var-transforms: --------------------------------------------------- */

/* The ${{package.*}} values a transform or a var may start from. */
static int package_vars(const struct mint_recipe *r, struct mint_image_kvs *kv)
{
	const struct mint_recipe_package *p = &r->package;
	char epoch[24];
	char *full = mint_recipe_full_version(r);
	snprintf(epoch, sizeof(epoch), "%llu", (unsigned long long)p->epoch);
	int rc = full ? 0 : MINT_ENOMEM;
	if (!rc)
		rc = cfg_kvs_set(kv, "package.name", p->meta.name ? p->meta.name : "");
	if (!rc)
		rc = cfg_kvs_set(kv, "package.version", p->version ? p->version : "");
	if (!rc)
		rc = cfg_kvs_set(kv, "package.epoch", epoch);
	if (!rc)
		rc = cfg_kvs_set(kv, "package.full-version", full);
	if (!rc)
		rc = cfg_kvs_set(kv, "package.description",
				 p->meta.description ? p->meta.description : "");
	free(full);
	return rc;
}

/* Adds "vars.<key>" for every var. */
static int add_prefixed_vars(const struct mint_image_kvs *vars, struct mint_image_kvs *kv)
{
	int rc = 0;
	for (size_t i = 0; i < vars->n && !rc; i++) {
		char key[CFG_PATH_MAX];
		snprintf(key, sizeof(key), "vars.%s", vars->v[i].key);
		rc = cfg_kvs_set(kv, key, vars->v[i].value);
	}
	return rc;
}

struct transform {
	char *from, *match, *replace, *to;
};

#define TR(obj) ((struct transform *)(obj))

static int tr_from(struct cfg_ctx *c, const struct mint_yaml_node *v, const char *path,
		   void *obj)
{
	return cfg_decode_str(c, v, path, &TR(obj)->from);
}

static int tr_match(struct cfg_ctx *c, const struct mint_yaml_node *v, const char *path,
		    void *obj)
{
	return cfg_decode_str(c, v, path, &TR(obj)->match);
}

static int tr_replace(struct cfg_ctx *c, const struct mint_yaml_node *v, const char *path,
		      void *obj)
{
	return cfg_decode_str(c, v, path, &TR(obj)->replace);
}

static int tr_to(struct cfg_ctx *c, const struct mint_yaml_node *v, const char *path,
		 void *obj)
{
	return cfg_decode_str(c, v, path, &TR(obj)->to);
}

static int missing(struct cfg_ctx *c, const struct mint_yaml_node *at, const char *path,
		   const struct transform *t)
{
	const char *what = !t->from ? "from" : !t->match ? "match" : !t->replace ? "replace"
			 : cfg_empty(t->to) ? "to" : NULL;
	if (!what)
		return 0;
	return mint_yaml_fail(c->doc, at, c->err, MINT_EFORMAT, "'%s.%s' is required", path,
			      what);
}

/* Runs one transform: vars[to] = from (substituted) with match replaced. */
static int run_transform(struct cfg_ctx *c, const struct mint_yaml_node *at, const char *path,
			 const struct transform *t, struct mint_recipe *r)
{
	struct mint_image_kvs known = { 0 };
	struct mint_buf from = MINT_BUF_INIT, result = MINT_BUF_INIT;
	regex_t re;
	char sub[CFG_PATH_MAX];
	cfg_path_field(sub, path, "match");
	int rc = compile(c, mint_yaml_map_get(at, "match"), sub, t->match, &re);
	if (rc)
		return rc;
	rc = package_vars(r, &known);
	if (!rc)
		rc = add_prefixed_vars(&r->vars, &known);
	if (!rc)
		rc = rcp_subst_known(t->from, &known, &from);
	if (!rc && mint_buf_putc(&from, '\0'))
		rc = MINT_ENOMEM;
	if (!rc)
		rc = replace_all(&re, from.data, t->replace, &result);
	if (!rc && result.len > RCP_MAX_VAR_BYTES)
		rc = MINT_ELIMIT;
	if (!rc && mint_buf_putc(&result, '\0'))
		rc = MINT_ENOMEM;
	if (!rc)
		rc = cfg_kvs_set(&r->vars, t->to, result.data);
	if (rc == MINT_ELIMIT)
		rc = mint_yaml_fail(c->doc, at, c->err, rc, "'%s': the result is longer than %u KiB",
				    path, RCP_MAX_VAR_BYTES >> 10);
	else if (rc)
		rc = rcp_fail(c, at, path, rc);
	regfree(&re);
	cfg_kvs_free(&known);
	mint_buf_free(&from);
	mint_buf_free(&result);
	return rc;
}

static int decode_transforms(struct cfg_ctx *c, const struct mint_yaml_node *seq,
			     struct mint_recipe *r)
{
	static const struct cfg_field fields[] = {
		{ "from", tr_from },
		{ "match", tr_match },
		{ "replace", tr_replace },
		{ "to", tr_to },
	};
	int rc = mint_yaml_want_sequence(c->doc, seq, "var-transforms", c->err);
	if (rc)
		return rc > 0 ? 0 : rc;
	if (seq->n > RCP_MAX_TRANSFORMS)
		return mint_yaml_fail(c->doc, seq, c->err, MINT_ELIMIT,
				      "more than %d var-transforms", RCP_MAX_TRANSFORMS);
	for (size_t i = 0; i < seq->n && !rc; i++) {
		char sub[CFG_PATH_MAX];
		struct transform t = { 0 };
		cfg_path_index(sub, "var-transforms", i);
		rc = cfg_decode_fields(c, seq->items[i], sub, fields, N(fields), &t);
		if (!rc)
			rc = missing(c, seq->items[i], sub, &t);
		if (!rc)
			rc = run_transform(c, seq->items[i], sub, &t, r);
		free(t.from);
		free(t.match);
		free(t.replace);
		free(t.to);
	}
	return rc;
}

int rcp_decode_vars(struct cfg_ctx *c, const struct mint_yaml_node *root, struct mint_recipe *r)
{
	struct mint_image_kvs known = { 0 };
	int rc = cfg_decode_kvs(c, mint_yaml_map_get(root, "vars"), "vars", &r->vars);
	if (rc)
		return rc;
	rc = package_vars(r, &known);
	for (size_t i = 0; i < r->vars.n && !rc; i++)
		rc = rcp_subst_in_place(&r->vars.v[i].value, &known);
	cfg_kvs_free(&known);
	if (rc)
		return rcp_fail(c, mint_yaml_map_get(root, "vars"), "vars", rc);
	return decode_transforms(c, mint_yaml_map_get(root, "var-transforms"), r);
}

int rcp_load_vars(const struct mint_recipe *r, struct mint_image_kvs *kv)
{
	int rc = package_vars(r, kv);
	if (!rc)
		rc = add_prefixed_vars(&r->vars, kv);
	return rc;
}

/* --- the variables of a package for one arch --------------------------------- */

struct arch_triplets {
	const char *apk, *gnu, *rust;
};

static const struct arch_triplets triplets[] = {
	{ "aarch64", "aarch64-unknown-linux-gnu", "aarch64-unknown-linux-gnu" },
	{ "armhf", "arm-unknown-linux-gnueabihf", "arm-unknown-linux-gnueabihf" },
	{ "armv7", "armv7-unknown-linux-gnueabihf", "armv7-unknown-linux-gnueabihf" },
	{ "loongarch64", "loongarch64-unknown-linux-gnu", "loongarch64-unknown-linux-gnu" },
	{ "ppc64le", "powerpc64le-unknown-linux-gnu", "powerpc64le-unknown-linux-gnu" },
	{ "riscv64", "riscv64-unknown-linux-gnu", "riscv64gc-unknown-linux-gnu" },
	{ "s390x", "s390x-ibm-linux-gnu", "s390x-unknown-linux-gnu" },
	{ "x86", "i686-pc-linux-gnu", "i686-unknown-linux-gnu" },
	{ "x86_64", "x86_64-pc-linux-gnu", "x86_64-unknown-linux-gnu" },
};

/* "...-gnu" / "...-gnueabihf" with gnu made musl. */
static int set_musl(struct mint_image_kvs *kv, const char *key, const char *gnu)
{
	char musl[64];
	const char *at = strstr(gnu, "-gnu");
	if (!at)
		return cfg_kvs_set(kv, key, gnu);
	snprintf(musl, sizeof(musl), "%.*s-musl%s", (int)(at - gnu), gnu, at + 4);
	return cfg_kvs_set(kv, key, musl);
}

static int arch_vars(const struct arch_triplets *t, enum mint_arch a, struct mint_image_kvs *kv)
{
	const char *goarch, *variant;
	mint_arch_oci_platform(a, &goarch, &variant);
	int rc = cfg_kvs_set(kv, "build.arch", t->apk);
	if (!rc)
		rc = cfg_kvs_set(kv, "build.goarch", goarch);
	if (!rc)
		rc = cfg_kvs_set(kv, "host.triplet.gnu", t->gnu);
	if (!rc)
		rc = cfg_kvs_set(kv, "host.triplet.rust", t->rust);
	if (!rc)
		rc = cfg_kvs_set(kv, "cross.triplet.gnu.glibc", t->gnu);
	if (!rc)
		rc = set_musl(kv, "cross.triplet.gnu.musl", t->gnu);
	if (!rc)
		rc = cfg_kvs_set(kv, "cross.triplet.rust.glibc", t->rust);
	if (!rc)
		rc = set_musl(kv, "cross.triplet.rust.musl", t->rust);
	return rc;
}

static int dir_vars(const struct mint_recipe *r, struct mint_image_kvs *kv)
{
	char destdir[CFG_PATH_MAX + 32];
	snprintf(destdir, sizeof(destdir), "/home/build/melange-out/%s",
		 r->package.meta.name ? r->package.meta.name : "");
	int rc = cfg_kvs_set(kv, "package.srcdir", "/home/build");
	if (!rc)
		rc = cfg_kvs_set(kv, "targets.outdir", "/home/build/melange-out");
	if (!rc)
		rc = cfg_kvs_set(kv, "targets.destdir", destdir);
	if (!rc)
		rc = cfg_kvs_set(kv, "targets.contextdir", destdir);
	return rc;
}

int mint_recipe_vars(const struct mint_recipe *r, const char *arch, struct mint_image_kvs *out,
		     struct mint_err *err)
{
	enum mint_arch a = MINT_ARCH_AMD64;
	const struct arch_triplets *t = NULL;
	memset(out, 0, sizeof(*out));
	if (arch && mint_arch_parse(arch, &a))
		for (size_t i = 0; i < N(triplets) && !t; i++)
			if (!strcmp(triplets[i].apk, mint_arch_to_apk(a)))
				t = &triplets[i];
	if (!t)
		return mint_err_set(err, MINT_EINVAL, "unknown architecture \"%s\"",
				    arch ? arch : "(none)");
	int rc = package_vars(r, out);
	if (!rc)
		rc = dir_vars(r, out);
	if (!rc)
		rc = arch_vars(t, a, out);
	if (!rc)
		rc = add_prefixed_vars(&r->vars, out);
	if (rc) {
		cfg_kvs_free(out);
		return mint_err_set(err, rc, "out of memory");
	}
	return 0;
}
