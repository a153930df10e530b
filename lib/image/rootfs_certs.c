/* SPDX-License-Identifier: Apache-2.0 */
/*
 * apko's certificates step (installCertificates) and the bundle checksum
 * sidecars (writeCABundleChecksums), over the plan.
 *
 * Certificates are read the way Go's encoding/pem reads them (a block starts
 * with "-----BEGIN " at the start of a line, optional "Key: value" headers,
 * base64 with blanks and line breaks ignored, a matching "-----END ...-----"
 * line; a block that does not hold is skipped and the search goes on after
 * its first line) and written back as pem.Encode writes them (headers with
 * Proc-Type first, then sorted, a blank line, base64 in 64-column lines).
 * The DER must be one X.509 certificate (OpenSSL's d2i_X509, every byte
 * used).
 *
 * The Java truststore (etc/ssl/certs/java/cacerts), to which apko adds the
 * same certificates, is left as the packages made it: mint writes no JKS.
 */
#include "mint/image_rootfs.h"

#include <limits.h>
#include <openssl/x509.h>
#include <stdlib.h>
#include <string.h>

#include "mint/encode.h"
#include "mint/hash.h"
#include "rootfs_internal.h"

#define CA_DIR "usr/local/share/ca-certificates"
#define SYSTEM_CA_DIR "usr/share/ca-certificates/"
#define CA_CONF "etc/ca-certificates.conf"
#define FILE_MAX (256u << 20)

static const char *const bundle_paths[] = {
	"etc/ssl/certs/ca-certificates.crt",
	"var/lib/ecs/deps/execute-command/certs/tls-ca-bundle.pem",
	"kaniko/ssl/certs/ca-certificates.crt",
};
static const char java_truststore[] = "etc/ssl/certs/java/cacerts";

/* ---- PEM, as Go's encoding/pem ---- */

struct pem_header {
	struct mint_span key, value;
};

struct pem_block {
	struct mint_span type;
	struct pem_header *headers;
	size_t n_headers;
	unsigned char *der;
	size_t der_len;
};

static void pem_block_free(struct pem_block *b)
{
	free(b->headers);
	free(b->der);
	memset(b, 0, sizeof(*b));
}

static bool starts(struct mint_span s, const char *prefix)
{
	return mint_span_starts_with(s, prefix);
}

static long find(struct mint_span s, const char *needle)
{
	size_t n = strlen(needle);
	for (size_t i = 0; n <= s.len && i <= s.len - n; i++)
		if (memcmp(s.ptr + i, needle, n) == 0)
			return (long)i;
	return -1;
}

/* Go's getLine: up to '\n', trailing " \t\r" dropped. */
static struct mint_span get_line(struct mint_span *rest)
{
	struct mint_span line = *rest;
	long nl = mint_span_find(*rest, '\n');
	if (nl >= 0) {
		line.len = (size_t)nl;
		*rest = mint_span_skip(*rest, (size_t)nl + 1);
	} else {
		*rest = MINT_SPAN(rest->ptr + rest->len, 0);
	}
	while (line.len && strchr(" \t\r", line.ptr[line.len - 1]))
		line.len--;
	return line;
}

static int add_header(struct pem_block *b, struct mint_span key, struct mint_span value)
{
	for (size_t i = 0; i < b->n_headers; i++) {
		if (mint_span_eq(b->headers[i].key, key)) {
			b->headers[i].value = value;
			return 0;
		}
	}
	struct pem_header *h = realloc(b->headers, (b->n_headers + 1) * sizeof(*h));
	if (!h)
		return MINT_ENOMEM;
	b->headers = h;
	h[b->n_headers++] = (struct pem_header){ key, value };
	return 0;
}

/* 1: headers read, *rest after them; 0: the input ended inside them. */
static int read_headers(struct pem_block *b, struct mint_span *rest)
{
	for (;;) {
		if (!rest->len)
			return 0;
		struct mint_span next = *rest, line = get_line(&next);
		long colon = mint_span_find(line, ':');
		if (colon < 0)
			return 1;
		int rc = add_header(b, mint_span_trim(MINT_SPAN(line.ptr, (size_t)colon)),
				    mint_span_trim(mint_span_skip(line, (size_t)colon + 1)));
		if (rc)
			return rc;
		*rest = next;
	}
}

static int decode_body(struct pem_block *b, struct mint_span body)
{
	char *clean = malloc(body.len + 1);
	size_t n = 0;
	if (!clean)
		return MINT_ENOMEM;
	for (size_t i = 0; i < body.len; i++)
		if (!strchr(" \t\r\n", body.ptr[i]) || !body.ptr[i])
			clean[n++] = body.ptr[i];
	b->der = malloc(n / 4 * 3 + 1);
	int rc = b->der ? mint_base64_decode(MINT_SPAN(clean, n), b->der, n / 4 * 3 + 1,
					     &b->der_len)
			: MINT_ENOMEM;
	free(clean);
	return rc;
}

/* The end of a block whose body starts at rest: 1 found (body and the
 * rest after the END line set), 0 not there. */
static int find_end(const struct pem_block *b, struct mint_span rest, struct mint_span *body,
		    struct mint_span *after)
{
	long end, trailer;
	if (!b->n_headers && starts(rest, "-----END ")) {
		end = 0;
		trailer = 9;
	} else {
		end = find(rest, "\n-----END ");
		trailer = end + 10;
	}
	if (end < 0)
		return 0;
	struct mint_span t = mint_span_skip(rest, (size_t)trailer);
	size_t tlen = b->type.len + 5;
	if (t.len < tlen || memcmp(t.ptr, b->type.ptr, b->type.len) != 0 ||
	    memcmp(t.ptr + b->type.len, "-----", 5) != 0)
		return 0;
	struct mint_span tail = mint_span_skip(t, tlen);
	if (get_line(&tail).len)
		return 0;
	*body = MINT_SPAN(rest.ptr, (size_t)end);
	*after = mint_span_skip(rest, (size_t)end + 9);
	get_line(after);
	return 1;
}

/* The next block in *rest: 1 found, 0 none, or MINT_ENOMEM. */
static int pem_decode(struct mint_span *rest, struct pem_block *b)
{
	struct mint_span r = *rest, body, after;
	memset(b, 0, sizeof(*b));
	for (;;) {
		pem_block_free(b);
		long at;
		if (starts(r, "-----BEGIN "))
			r = mint_span_skip(r, 11);
		else if ((at = find(r, "\n-----BEGIN ")) >= 0)
			r = mint_span_skip(r, (size_t)at + 12);
		else
			return 0;
		struct mint_span type = get_line(&r);
		if (type.len < 5 || memcmp(type.ptr + type.len - 5, "-----", 5) != 0)
			continue;
		b->type = MINT_SPAN(type.ptr, type.len - 5);
		int rc = read_headers(b, &r);
		if (rc <= 0) {
			pem_block_free(b);
			return rc;
		}
		if (!find_end(b, r, &body, &after))
			continue;
		rc = decode_body(b, body);
		if (rc == MINT_ENOMEM) {
			pem_block_free(b);
			return rc;
		}
		if (rc)
			continue;
		*rest = after;
		return 1;
	}
}

static int header_order(const void *x, const void *y)
{
	const struct pem_header *a = x, *b = y;
	bool pa = mint_span_eq_str(a->key, "Proc-Type"), pb = mint_span_eq_str(b->key, "Proc-Type");
	if (pa != pb)
		return pa ? -1 : 1;
	size_t n = a->key.len < b->key.len ? a->key.len : b->key.len;
	int c = memcmp(a->key.ptr, b->key.ptr, n);
	return c ? c : (a->key.len > b->key.len) - (a->key.len < b->key.len);
}

static int pem_encode(struct pem_block *b, struct mint_buf *out)
{
	char *text = malloc(mint_base64_size(b->der_len));
	if (!text)
		return MINT_ENOMEM;
	mint_base64_encode(b->der, b->der_len, text);
	size_t tlen = strlen(text);
	int rc = mint_buf_printf(out, "-----BEGIN %.*s-----\n", (int)b->type.len, b->type.ptr);
	if (b->n_headers)
		qsort(b->headers, b->n_headers, sizeof(*b->headers), header_order);
	for (size_t i = 0; !rc && i < b->n_headers; i++)
		rc = mint_buf_printf(out, "%.*s: %.*s\n", (int)b->headers[i].key.len,
				     b->headers[i].key.ptr, (int)b->headers[i].value.len,
				     b->headers[i].value.ptr);
	if (!rc && b->n_headers)
		rc = mint_buf_putc(out, '\n');
	for (size_t i = 0; !rc && i < tlen; i += 64) {
		rc = mint_buf_append(out, text + i, tlen - i < 64 ? tlen - i : 64);
		if (!rc)
			rc = mint_buf_putc(out, '\n');
	}
	if (!rc)
		rc = mint_buf_printf(out, "-----END %.*s-----\n", (int)b->type.len, b->type.ptr);
	free(text);
	return rc ? MINT_ENOMEM : 0;
}

/* ---- certificates ---- */

struct cert {
	struct mint_buf pem;
	char fingerprint[65];
};

struct cert_list {
	struct cert *v;
	size_t n;
};

static void certs_free(struct cert_list *l)
{
	for (size_t i = 0; i < l->n; i++)
		mint_buf_free(&l->v[i].pem);
	free(l->v);
	l->v = NULL;
	l->n = 0;
}

static bool is_x509(const unsigned char *der, size_t len)
{
	const unsigned char *p = der;
	if (len > LONG_MAX)
		return false;
	X509 *x = d2i_X509(NULL, &p, (long)len);
	bool ok = x && p == der + len;
	X509_free(x);
	return ok;
}

/* apko's parseCertificates: exactly one CERTIFICATE block. */
static int parse_one(struct mint_span text, struct cert *out, struct mint_err *err)
{
	struct pem_block b;
	struct mint_span rest = text;
	bool found = false;
	int rc = 0;
	if (!text.len)
		return mint_err_set(err, MINT_EFORMAT, "no certificate data provided");
	while (!rc && (rc = pem_decode(&rest, &b)) == 1) {
		rc = 0;
		if (found)
			rc = mint_err_set(err, MINT_EFORMAT,
					  "multiple certificates found; only one is allowed");
		else if (!mint_span_eq_str(b.type, "CERTIFICATE"))
			rc = mint_err_set(err, MINT_EFORMAT, "expected CERTIFICATE block, got %.*s",
					  (int)b.type.len, b.type.ptr);
		else if (!is_x509(b.der, b.der_len))
			rc = mint_err_set(err, MINT_EFORMAT, "not a valid X.509 certificate");
		if (!rc) {
			unsigned char md[MINT_HASH_MAX_BYTES];
			found = true;
			rc = mint_hash_bytes(MINT_HASH_SHA256, b.der, b.der_len, md);
			if (!rc)
				mint_hex_encode(md, 32, out->fingerprint);
			if (!rc)
				rc = pem_encode(&b, &out->pem);
			if (rc)
				mint_err_set(err, rc, "out of memory");
		}
		pem_block_free(&b);
	}
	if (rc == MINT_ENOMEM)
		return mint_err_set(err, rc, "out of memory");
	if (!rc && !found)
		rc = mint_err_set(err, MINT_EFORMAT, "no certificates found in PEM data");
	return rc;
}

static int cert_add(struct cert_list *l, struct cert **out, struct mint_err *err)
{
	struct cert *v = realloc(l->v, (l->n + 1) * sizeof(*v));
	if (!v)
		return mint_err_set(err, MINT_ENOMEM, "out of memory");
	l->v = v;
	*out = memset(&v[l->n], 0, sizeof(*v));
	return 0;
}

static int write_additional(struct mint_image_plan *p, const struct mint_image_config *cfg,
			    int64_t epoch, struct cert_list *certs, struct mint_err *err)
{
	struct mint_buf path = MINT_BUF_INIT;
	int rc = 0;
	if (!cfg->n_certificates_additional)
		return 0;
	rc = rootfs_mkdir_all(p, CA_DIR, 0755, 0, err);
	for (size_t i = 0; !rc && i < cfg->n_certificates_additional; i++) {
		const struct mint_image_named_pem *a = &cfg->certificates_additional[i];
		struct cert *c = NULL;
		const char *name = a->name ? a->name : "";
		if ((rc = cert_add(certs, &c, err)))
			break;
		rc = parse_one(mint_span_str(a->content ? a->content : ""), c, err);
		if (rc) {
			mint_buf_free(&c->pem);
			mint_err_prefix(err, "certificates.additional[%zu] (%s)", i, name);
			break;
		}
		certs->n++;
		if (strchr(name, '/') || !name[0] || strcmp(name, ".") == 0 ||
		    strcmp(name, "..") == 0) {
			rc = mint_err_set(err, MINT_EUNSAFE,
					  "certificates.additional[%zu]: bad name \"%s\"", i, name);
			break;
		}
		mint_buf_reset(&path);
		if (mint_buf_printf(&path, CA_DIR "/%s-%s.crt", name, c->fingerprint)) {
			rc = mint_err_set(err, MINT_ENOMEM, "out of memory");
			break;
		}
		rc = rootfs_write_file(p, path.data, c->pem.data, c->pem.len, 0644, false, epoch,
				       false, err);
	}
	mint_buf_free(&path);
	return rc;
}

static bool is_provider(const struct mint_image_plan *p, size_t pkg,
			const struct mint_image_config *cfg)
{
	for (size_t i = 0; i < cfg->certificates_providers.n; i++)
		if (mint_image_plan_package_provides(p, pkg, cfg->certificates_providers.v[i]))
			return true;
	return false;
}

struct provider_walk {
	const struct mint_image_config *cfg;
	const struct mint_image_plan *p;
	bool *providers;
	size_t n_pkgs;
	char **paths;
	size_t n_paths;
};

static bool has_cert_ext(const char *name)
{
	const char *dot = strrchr(name, '.');
	return dot && (strcmp(dot, ".crt") == 0 || strcmp(dot, ".pem") == 0);
}

static int collect_provided(void *ctx, const struct mint_plan_node *n, struct mint_err *err)
{
	struct provider_walk *w = ctx;
	if (n->type == MINT_TAR_DIR || n->owner >= w->n_pkgs || !w->providers[n->owner] ||
	    !has_cert_ext(n->name))
		return 0;
	char **v = realloc(w->paths, (w->n_paths + 1) * sizeof(*v));
	if (!v)
		return mint_err_set(err, MINT_ENOMEM, "out of memory");
	w->paths = v;
	if (!(v[w->n_paths] = strdup(n->path)))
		return mint_err_set(err, MINT_ENOMEM, "out of memory");
	w->n_paths++;
	return 0;
}

static int by_bytes(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Appends "entry\n" lines to etc/ca-certificates.conf (made 0644 when
 * missing). */
static int register_conf(struct mint_image_plan *p, const struct mint_buf *lines,
			 const struct mint_plan_content_reader *reader, int64_t epoch,
			 struct mint_err *err)
{
	struct mint_buf conf = MINT_BUF_INIT;
	const struct mint_plan_node *n;
	int rc = 0;
	if (!mint_image_plan_resolve(p, CA_CONF, &n, NULL))
		rc = mint_image_plan_read_file(p, CA_CONF, reader, FILE_MAX, &conf, err);
	if (!rc && mint_buf_append(&conf, lines->data, lines->len))
		rc = mint_err_set(err, MINT_ENOMEM, "out of memory");
	if (!rc)
		rc = rootfs_write_file(p, CA_CONF, conf.data, conf.len, 0644, false, epoch, false,
				       err);
	mint_buf_free(&conf);
	return rc;
}

static int read_provided(struct mint_image_plan *p, const struct mint_plan_content_reader *reader,
			 const struct mint_image_config *cfg, int64_t epoch,
			 struct cert_list *certs, struct mint_err *err)
{
	size_t n_pkgs = mint_image_plan_package_count(p);
	struct provider_walk w = { cfg, p, NULL, n_pkgs, NULL, 0 };
	struct mint_buf text = MINT_BUF_INIT, conf = MINT_BUF_INIT;
	bool any = false;
	int rc = 0;
	if (!cfg->certificates_providers.n || !n_pkgs)
		return 0;
	if (!(w.providers = calloc(n_pkgs, sizeof(*w.providers))))
		return mint_err_set(err, MINT_ENOMEM, "out of memory");
	for (size_t i = 0; i < n_pkgs; i++)
		any |= w.providers[i] = is_provider(p, i, cfg);
	if (any)
		rc = mint_image_plan_walk(p, collect_provided, &w, err);
	if (!rc && w.n_paths)
		qsort(w.paths, w.n_paths, sizeof(*w.paths), by_bytes);
	for (size_t i = 0; !rc && i < w.n_paths; i++) {
		struct cert *c = NULL;
		rc = mint_image_plan_read_file(p, w.paths[i], reader, FILE_MAX, &text, err);
		if (rc) {
			mint_err_prefix(err, "failed to read certificate file");
			break;
		}
		if ((rc = cert_add(certs, &c, err)))
			break;
		if (parse_one(mint_buf_span(&text), c, NULL)) {
			mint_buf_free(&c->pem);
			continue; /* apko skips what is not one certificate */
		}
		certs->n++;
		if (!strncmp(w.paths[i], SYSTEM_CA_DIR, strlen(SYSTEM_CA_DIR)) &&
		    mint_buf_printf(&conf, "%s\n", w.paths[i] + strlen(SYSTEM_CA_DIR)))
			rc = mint_err_set(err, MINT_ENOMEM, "out of memory");
	}
	if (!rc && conf.len)
		rc = register_conf(p, &conf, reader, epoch, err);
	for (size_t i = 0; i < w.n_paths; i++)
		free(w.paths[i]);
	free(w.paths);
	free(w.providers);
	mint_buf_free(&text);
	mint_buf_free(&conf);
	return rc;
}

static int append_to_bundles(struct mint_image_plan *p,
			     const struct mint_plan_content_reader *reader,
			     const struct cert_list *certs, int64_t epoch, struct mint_err *err)
{
	struct mint_buf bundle = MINT_BUF_INIT;
	int rc = 0;
	for (size_t i = 0; !rc && i < sizeof(bundle_paths) / sizeof(bundle_paths[0]); i++) {
		const struct mint_plan_node *n;
		if (mint_image_plan_resolve(p, bundle_paths[i], &n, NULL))
			continue;
		rc = mint_image_plan_read_file(p, bundle_paths[i], reader, FILE_MAX, &bundle, err);
		for (size_t c = 0; !rc && c < certs->n; c++) {
			if (mint_buf_append_span(&bundle, mint_buf_span(&certs->v[c].pem)) ||
			    mint_buf_putc(&bundle, '\n'))
				rc = mint_err_set(err, MINT_ENOMEM, "out of memory");
		}
		if (!rc)
			rc = mint_image_plan_set_content(p, bundle_paths[i], bundle.data,
							 bundle.len, epoch, err);
		if (rc)
			mint_err_prefix(err, "failed to append to CA bundle %s", bundle_paths[i]);
	}
	mint_buf_free(&bundle);
	return rc;
}

/* ".<name>.sha256" beside path: "<hex>  <name>\n", 0444. */
static int write_sidecar(struct mint_image_plan *p, const char *path,
			 const struct mint_plan_content_reader *reader, int64_t epoch,
			 struct mint_err *err)
{
	struct mint_buf data = MINT_BUF_INIT, side = MINT_BUF_INIT, dir = MINT_BUF_INIT;
	unsigned char md[MINT_HASH_MAX_BYTES];
	char hex[65];
	const char *slash = strrchr(path, '/');
	const char *name = slash ? slash + 1 : path;
	int rc = mint_image_plan_read_file(p, path, reader, FILE_MAX, &data, err);
	if (!rc && mint_hash_bytes(MINT_HASH_SHA256, data.data, data.len, md))
		rc = mint_err_set(err, MINT_ENOMEM, "out of memory");
	if (!rc) {
		mint_hex_encode(md, 32, hex);
		if (rootfs_parent(path, &dir) ||
		    mint_buf_printf(&side, "%s/.%s.sha256", dir.data, name) ||
		    (mint_buf_reset(&data), mint_buf_printf(&data, "%s  %s\n", hex, name)))
			rc = mint_err_set(err, MINT_ENOMEM, "out of memory");
	}
	if (!rc)
		rc = rootfs_write_file(p, side.data, data.data, data.len, 0444, true, epoch, false,
				       err);
	mint_buf_free(&data);
	mint_buf_free(&side);
	mint_buf_free(&dir);
	return rc;
}

static int write_sidecars(struct mint_image_plan *p, const struct mint_plan_content_reader *reader,
			  int64_t epoch, struct mint_err *err)
{
	size_t n = sizeof(bundle_paths) / sizeof(bundle_paths[0]);
	for (size_t i = 0; i <= n; i++) {
		const char *path = i < n ? bundle_paths[i] : java_truststore;
		const struct mint_plan_node *node;
		if (mint_image_plan_resolve(p, path, &node, NULL) || !rootfs_file_node(p, node))
			continue;
		int rc = write_sidecar(p, path, reader, epoch, err);
		if (rc)
			return rc;
	}
	return 0;
}

int mint_image_rootfs_certificates(struct mint_image_plan *p,
				   const struct mint_plan_content_reader *reader,
				   const struct mint_image_config *cfg, int64_t build_epoch,
				   struct mint_err *err)
{
	struct cert_list certs = { NULL, 0 };
	int rc = 0;
	if (!p)
		return mint_err_set(err, MINT_EINVAL, "certificates: no plan");
	if (cfg && cfg->has_certificates) {
		rc = write_additional(p, cfg, build_epoch, &certs, err);
		if (!rc)
			rc = read_provided(p, reader, cfg, build_epoch, &certs, err);
		if (!rc && certs.n)
			rc = append_to_bundles(p, reader, &certs, build_epoch, err);
	}
	if (!rc)
		rc = write_sidecars(p, reader, build_epoch, err);
	certs_free(&certs);
	return rc;
}
