/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Canonical JSON for OCI image configs, manifests and indexes (see
 * mint/oci.h). Documents are built with jansson in a fixed field order
 * (jansson keeps insertion order) and dumped compact; the text is then
 * re-escaped the way Go's encoding/json escapes, because the digests of
 * apko's documents come from Go. This file writes JSON; it does not parse it.
 */
#include "mint/oci.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "mint/encode.h"

/* Builds one document; NULL with err set on failure. */
struct json_build {
	struct mint_err *err;
	int rc;
};

static json_t *failed(struct json_build *b, int rc, const char *what, const char *detail)
{
	if (!b->rc)
		b->rc = mint_err_set(b->err, rc, "%s%s", what, detail);
	return NULL;
}

static json_t *str(struct json_build *b, const char *s, const char *what)
{
	json_t *j = json_string(s);
	if (!j)
		return failed(b, MINT_EINVAL, what, " is not valid UTF-8");
	return j;
}

/* Sets key to v, which may be NULL after a failure (then nothing is set). */
static void put(struct json_build *b, json_t *obj, const char *key, json_t *v)
{
	if (!v)
		return;
	if (json_object_set_new(obj, key, v))
		failed(b, MINT_ENOMEM, "out of memory building JSON", "");
}

static void put_str(struct json_build *b, json_t *obj, const char *key, const char *s)
{
	if (s && *s)
		put(b, obj, key, str(b, s, key));
}

static json_t *str_list(struct json_build *b, const char *const *items, size_t n,
			const char *what)
{
	json_t *arr = json_array();
	if (!arr)
		return failed(b, MINT_ENOMEM, "out of memory building JSON", "");
	for (size_t i = 0; i < n && !b->rc; i++) {
		json_t *s = str(b, items[i] ? items[i] : "", what);
		if (s && json_array_append_new(arr, s))
			failed(b, MINT_ENOMEM, "out of memory building JSON", "");
	}
	return arr;
}

static void put_list(struct json_build *b, json_t *obj, const char *key,
		     const char *const *items, size_t n)
{
	if (n)
		put(b, obj, key, str_list(b, items, n, key));
}

static int kv_cmp(const void *a, const void *b)
{
	return strcmp(((const struct mint_oci_kv *)a)->key, ((const struct mint_oci_kv *)b)->key);
}

/* A map with keys sorted bytewise, as Go marshals map[string]string; with
 * empty_objects, values are {} (Go's map[string]struct{}) and only keys count. */
static json_t *sorted_map(struct json_build *b, const struct mint_oci_kv *items, size_t n,
			  bool empty_objects, const char *what)
{
	struct mint_oci_kv *sorted = malloc((n ? n : 1) * sizeof(*sorted));
	json_t *obj = json_object();
	if (!sorted || !obj) {
		free(sorted);
		json_decref(obj);
		return failed(b, MINT_ENOMEM, "out of memory building JSON", "");
	}
	for (size_t i = 0; i < n; i++) {
		sorted[i] = items[i];
		if (!sorted[i].key)
			sorted[i].key = "";
	}
	qsort(sorted, n, sizeof(*sorted), kv_cmp);
	for (size_t i = 0; i < n && !b->rc; i++) {
		if (i && !strcmp(sorted[i].key, sorted[i - 1].key)) {
			b->rc = mint_err_set(b->err, MINT_EDUPLICATE, "%s: key \"%s\" appears twice",
					     what, sorted[i].key);
			break;
		}
		json_t *key = json_string(sorted[i].key);
		if (!key) {
			failed(b, MINT_EINVAL, what, " has a key that is not valid UTF-8");
			break;
		}
		json_decref(key);
		json_t *v = empty_objects ? json_object()
			: str(b, sorted[i].value ? sorted[i].value : "", what);
		put(b, obj, sorted[i].key, v);
	}
	free(sorted);
	return obj;
}

static void put_map(struct json_build *b, json_t *obj, const char *key,
		    const struct mint_oci_kv *items, size_t n)
{
	if (n)
		put(b, obj, key, sorted_map(b, items, n, false, key));
}

/* A list of names written as a set: {"name":{}, ...}. */
static void put_set(struct json_build *b, json_t *obj, const char *key,
		    const char *const *names, size_t n)
{
	if (!n)
		return;
	struct mint_oci_kv *kv = calloc(n, sizeof(*kv));
	if (!kv) {
		failed(b, MINT_ENOMEM, "out of memory building JSON", "");
		return;
	}
	for (size_t i = 0; i < n; i++)
		kv[i].key = names[i];
	put(b, obj, key, sorted_map(b, kv, n, true, key));
	free(kv);
}

static void put_size(struct json_build *b, json_t *obj, const char *key, uint64_t v)
{
	if (v > INT64_MAX) {
		failed(b, MINT_EINVAL, key, " is larger than JSON numbers allow here");
		return;
	}
	put(b, obj, key, json_integer((json_int_t)v));
}

static json_t *new_object(struct json_build *b)
{
	json_t *o = json_object();
	if (!o)
		failed(b, MINT_ENOMEM, "out of memory building JSON", "");
	return o;
}

bool mint_oci_digest_valid(const char *digest)
{
	if (!digest || strncmp(digest, "sha256:", 7) != 0 || strlen(digest) != 7 + 64)
		return false;
	for (const char *p = digest + 7; *p; p++)
		if (!((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'f')))
			return false;
	return true;
}

static json_t *platform_json(struct json_build *b, const struct mint_oci_platform *p)
{
	if (!p->architecture || !*p->architecture || !p->os || !*p->os)
		return failed(b, MINT_EINVAL, "a platform needs an architecture and an os", "");
	json_t *o = new_object(b);
	if (!o)
		return NULL;
	put(b, o, "architecture", str(b, p->architecture, "architecture"));
	put(b, o, "os", str(b, p->os, "os"));
	put_str(b, o, "os.version", p->os_version);
	put_str(b, o, "variant", p->variant);
	return o;
}

static json_t *descriptor_json(struct json_build *b, const struct mint_oci_descriptor *d)
{
	if (!d->media_type || !*d->media_type)
		return failed(b, MINT_EINVAL, "a descriptor needs a media type", "");
	if (!mint_oci_digest_valid(d->digest)) {
		b->rc = mint_err_set(b->err, MINT_EINVAL,
				     "descriptor digest \"%.80s\" is not sha256:<64 lowercase hex>",
				     d->digest);
		return NULL;
	}
	json_t *o = new_object(b);
	if (!o)
		return NULL;
	put(b, o, "mediaType", str(b, d->media_type, "mediaType"));
	put_size(b, o, "size", d->size);
	put(b, o, "digest", str(b, d->digest, "digest"));
	put_map(b, o, "annotations", d->annotations, d->n_annotations);
	if (d->platform)
		put(b, o, "platform", platform_json(b, d->platform));
	put_str(b, o, "artifactType", d->artifact_type);
	return o;
}

static json_t *history_json(struct json_build *b, const struct mint_oci_history *h, size_t n)
{
	json_t *arr = json_array();
	if (!arr)
		return failed(b, MINT_ENOMEM, "out of memory building JSON", "");
	for (size_t i = 0; i < n && !b->rc; i++) {
		json_t *o = new_object(b);
		if (!o)
			break;
		put_str(b, o, "author", h[i].author);
		put_str(b, o, "created", h[i].created);
		put_str(b, o, "created_by", h[i].created_by);
		put_str(b, o, "comment", h[i].comment);
		if (h[i].empty_layer)
			put(b, o, "empty_layer", json_true());
		if (json_array_append_new(arr, o))
			failed(b, MINT_ENOMEM, "out of memory building JSON", "");
	}
	return arr;
}

static json_t *runtime_config_json(struct json_build *b, const struct mint_oci_image_config *c)
{
	json_t *o = new_object(b);
	if (!o)
		return NULL;
	put_list(b, o, "Cmd", c->cmd, c->n_cmd);
	put_list(b, o, "Entrypoint", c->entrypoint, c->n_entrypoint);
	put_list(b, o, "Env", c->env, c->n_env);
	put_map(b, o, "Labels", c->labels, c->n_labels);
	put_str(b, o, "User", c->user);
	put_set(b, o, "Volumes", c->volumes, c->n_volumes);
	put_str(b, o, "WorkingDir", c->working_dir);
	put_set(b, o, "ExposedPorts", c->exposed_ports, c->n_exposed_ports);
	put_str(b, o, "StopSignal", c->stop_signal);
	return o;
}

static json_t *config_json(struct json_build *b, const struct mint_oci_image_config *c)
{
	if (!c->architecture || !*c->architecture || !c->os || !*c->os)
		return failed(b, MINT_EINVAL, "an image config needs an architecture and an os", "");
	for (size_t i = 0; i < c->n_diff_ids; i++)
		if (!mint_oci_digest_valid(c->diff_ids[i])) {
			b->rc = mint_err_set(b->err, MINT_EINVAL,
					     "diff_id %zu is not sha256:<64 lowercase hex>", i);
			return NULL;
		}
	json_t *o = new_object(b);
	if (!o)
		return NULL;
	put(b, o, "architecture", str(b, c->architecture, "architecture"));
	put_str(b, o, "author", c->author);
	put_str(b, o, "created", c->created);
	if (c->n_history)
		put(b, o, "history", history_json(b, c->history, c->n_history));
	put(b, o, "os", str(b, c->os, "os"));
	json_t *rootfs = new_object(b);
	if (rootfs) {
		put(b, rootfs, "type", json_string("layers"));
		put(b, rootfs, "diff_ids", str_list(b, c->diff_ids, c->n_diff_ids, "diff_ids"));
	}
	put(b, o, "rootfs", rootfs);
	put(b, o, "config", runtime_config_json(b, c));
	put_str(b, o, "os.version", c->os_version);
	put_str(b, o, "variant", c->variant);
	return o;
}

static json_t *manifest_json(struct json_build *b, const struct mint_oci_manifest *m)
{
	json_t *o = new_object(b);
	if (!o)
		return NULL;
	put(b, o, "schemaVersion", json_integer(2));
	put(b, o, "mediaType", json_string(MINT_OCI_MEDIA_MANIFEST));
	put(b, o, "config", descriptor_json(b, &m->config));
	json_t *layers = json_array();
	for (size_t i = 0; layers && i < m->n_layers && !b->rc; i++) {
		json_t *d = descriptor_json(b, &m->layers[i]);
		if (d && json_array_append_new(layers, d))
			failed(b, MINT_ENOMEM, "out of memory building JSON", "");
	}
	put(b, o, "layers", layers);
	put_map(b, o, "annotations", m->annotations, m->n_annotations);
	return o;
}

static json_t *index_json(struct json_build *b, const struct mint_oci_index *ix)
{
	json_t *o = new_object(b);
	if (!o)
		return NULL;
	put(b, o, "schemaVersion", json_integer(2));
	put(b, o, "mediaType", json_string(MINT_OCI_MEDIA_INDEX));
	json_t *manifests = json_array();
	for (size_t i = 0; manifests && i < ix->n_manifests && !b->rc; i++) {
		json_t *d = descriptor_json(b, &ix->manifests[i]);
		if (d && json_array_append_new(manifests, d))
			failed(b, MINT_ENOMEM, "out of memory building JSON", "");
	}
	put(b, o, "manifests", manifests);
	put_map(b, o, "annotations", ix->annotations, ix->n_annotations);
	return o;
}

/* Appends jansson's compact text re-escaped as Go escapes strings: <, >, &,
 * U+2028 and U+2029 as \u escapes, and \u escapes with lowercase hex. Those
 * characters can only occur inside strings, so no string tracking is needed
 * beyond skipping over the escapes jansson wrote. */
static int append_go_escaped(struct mint_buf *out, const char *text)
{
	static const char hex[] = "0123456789abcdef";
	for (const unsigned char *p = (const unsigned char *)text; *p; p++) {
		int rc = 0;
		if (*p == '<' || *p == '>' || *p == '&') {
			char esc[7] = { '\\', 'u', '0', '0', hex[*p >> 4], hex[*p & 15], 0 };
			rc = mint_buf_append(out, esc, 6);
		} else if (p[0] == 0xe2 && p[1] == 0x80 && (p[2] == 0xa8 || p[2] == 0xa9)) {
			rc = mint_buf_puts(out, p[2] == 0xa8 ? "\\u2028" : "\\u2029");
			p += 2;
		} else if (*p == '\\' && p[1] == 'u') {
			char esc[6] = { '\\', 'u' };
			for (int i = 0; i < 4; i++)
				esc[2 + i] = (char)(p[2 + i] >= 'A' && p[2 + i] <= 'F'
						    ? p[2 + i] - 'A' + 'a' : p[2 + i]);
			rc = mint_buf_append(out, esc, 6);
			p += 5;
		} else if (*p == '\\') {
			rc = mint_buf_append(out, p, 2);
			p++;
		} else {
			rc = mint_buf_putc(out, (char)*p);
		}
		if (rc)
			return rc;
	}
	return 0;
}

static int dump(struct json_build *b, json_t *doc, struct mint_buf *out, const char *what)
{
	mint_buf_reset(out);
	if (b->rc) {
		json_decref(doc);
		mint_err_prefix(b->err, "%s", what);
		return b->rc;
	}
	if (!doc)
		return mint_err_set(b->err, MINT_ENOMEM, "out of memory building JSON");
	char *text = json_dumps(doc, JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_decref(doc);
	if (!text || append_go_escaped(out, text)) {
		free(text);
		return mint_err_set(b->err, MINT_ENOMEM, "out of memory writing JSON");
	}
	free(text);
	return 0;
}

int mint_oci_config_json(const struct mint_oci_image_config *c, struct mint_buf *out,
			 struct mint_err *err)
{
	struct json_build b = { err, 0 };
	return dump(&b, config_json(&b, c), out, "image config");
}

int mint_oci_manifest_json(const struct mint_oci_manifest *m, struct mint_buf *out,
			   struct mint_err *err)
{
	struct json_build b = { err, 0 };
	return dump(&b, manifest_json(&b, m), out, "image manifest");
}

int mint_oci_index_json(const struct mint_oci_index *ix, struct mint_buf *out,
			struct mint_err *err)
{
	struct json_build b = { err, 0 };
	return dump(&b, index_json(&b, ix), out, "image index");
}

int mint_oci_time(int64_t epoch_seconds, char out[MINT_OCI_TIME_MAX], struct mint_err *err)
{
	/* 0000-01-01T00:00:00Z and 9999-12-31T23:59:59Z */
	if (epoch_seconds < -62167219200LL || epoch_seconds > 253402300799LL)
		return mint_err_set(err, MINT_EINVAL, "time %lld is outside years 0..9999",
				    (long long)epoch_seconds);
	time_t t = (time_t)epoch_seconds;
	struct tm tm;
	if (!gmtime_r(&t, &tm))
		return mint_err_set(err, MINT_EINVAL, "time %lld cannot be represented",
				    (long long)epoch_seconds);
	char text[64]; /* roomier than needed: gmtime_r's fields are in range */
	int n = snprintf(text, sizeof(text), "%04d-%02d-%02dT%02d:%02d:%02dZ", tm.tm_year + 1900,
			 tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
	if (n != MINT_OCI_TIME_MAX - 1)
		return mint_err_set(err, MINT_EINVAL, "time %lld cannot be represented",
				    (long long)epoch_seconds);
	memcpy(out, text, MINT_OCI_TIME_MAX);
	return 0;
}

int mint_oci_digest_of(const void *data, size_t len, char out[MINT_OCI_DIGEST_MAX],
		       struct mint_err *err)
{
	unsigned char d[MINT_HASH_MAX_BYTES];
	out[0] = '\0';
	if (mint_hash_bytes(MINT_HASH_SHA256, data, len, d))
		return mint_err_set(err, MINT_ENOMEM, "out of memory hashing");
	memcpy(out, "sha256:", 7);
	mint_hex_encode(d, 32, out + 7);
	return 0;
}

/* ---- reading times back (mint_oci_time_parse) ---- */


static bool digits(const char *s, int n, int *out)
{
	int v = 0;
	for (int i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return true;
}

/* Days since 1970-01-01 of a proleptic Gregorian date. */
static int64_t days_from_civil(int64_t y, int m, int d)
{
	y -= m <= 2;
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	int64_t yoe = y - era * 400;
	int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static bool parse_offset(const char *s, int64_t *offset)
{
	int h, m;
	if ((s[0] == 'Z' || s[0] == 'z') && !s[1]) {
		*offset = 0;
		return true;
	}
	if ((s[0] != '+' && s[0] != '-') || !digits(s + 1, 2, &h) || s[3] != ':' ||
	    !digits(s + 4, 2, &m) || s[6] || h > 23 || m > 59)
		return false;
	*offset = (int64_t)(h * 3600 + m * 60) * (s[0] == '+' ? 1 : -1);
	return true;
}

bool mint_oci_time_parse(const char *s, int64_t *out)
{
	int y, mo, d, h, mi, se;
	if (strlen(s) < 20 || !digits(s, 4, &y) || s[4] != '-' || !digits(s + 5, 2, &mo) ||
	    s[7] != '-' || !digits(s + 8, 2, &d) || (s[10] != 'T' && s[10] != 't') ||
	    !digits(s + 11, 2, &h) || s[13] != ':' || !digits(s + 14, 2, &mi) || s[16] != ':' ||
	    !digits(s + 17, 2, &se))
		return false;
	if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || se > 60)
		return false;
	const char *rest = s + 19;
	if (*rest == '.') {
		rest++;
		if (*rest < '0' || *rest > '9')
			return false;
		while (*rest >= '0' && *rest <= '9')
			rest++;
	}
	int64_t offset;
	if (!parse_offset(rest, &offset))
		return false;
	*out = days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + se - offset;
	return true;
}
