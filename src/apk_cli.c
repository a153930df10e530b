/* SPDX-License-Identifier: Apache-2.0 */
/* Shared option handling and JSON output for `mint apk` (see apk_cli.h). */
#include "apk_cli.h"

#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"
#include "mint/span.h"

void apk_cli_init(struct apk_cli *c, const char *cmd)
{
	memset(c, 0, sizeof(*c));
	c->cmd = cmd;
	mint_apk_limits_default(&c->limits);
}

void apk_cli_free(struct apk_cli *c)
{
	mint_apk_keyring_free(&c->keyring);
}

static int add_keyring(struct apk_cli *c, const char *path)
{
	struct mint_err err = { 0 };
	struct stat st;
	if (stat(path, &st)) {
		mint_err_set_file(&err, path);
		mint_err_set(&err, MINT_ENOTFOUND, "keyring does not exist");
		return cli_fail(&err);
	}
	int rc = S_ISDIR(st.st_mode) ? mint_apk_keyring_add_dir(&c->keyring, path, &err)
				     : mint_apk_keyring_add_file(&c->keyring, path, &err);
	if (rc)
		return cli_fail(&err);
	c->have_keyring = true;
	return 0;
}

static int parse_size(struct apk_cli *c, const char *opt, const char *arg, uint64_t *out)
{
	if (!mint_span_to_u64(mint_span_str(arg), out) || *out == 0)
		return cli_usage_error(c->cmd, "%s wants a positive whole number, not '%s'", opt, arg);
	return 0;
}

int apk_cli_option(struct apk_cli *c, int opt, const char *arg)
{
	uint64_t v;
	int rc;
	switch (opt) {
	case APK_OPT_KEYRING:
		return add_keyring(c, arg);
	case APK_OPT_JSON:
		c->json = true;
		return 0;
	case APK_OPT_MAX_FILE:
		return parse_size(c, "--max-file-bytes", arg, &c->limits.max_file_bytes);
	case APK_OPT_MAX_CONTROL:
		return parse_size(c, "--max-control-bytes", arg, &c->limits.max_control_bytes);
	case APK_OPT_MAX_DATA:
		return parse_size(c, "--max-data-bytes", arg, &c->limits.max_data_bytes);
	case APK_OPT_MAX_ENTRIES:
		return parse_size(c, "--max-entries", arg, &c->limits.max_entries);
	case APK_OPT_MAX_RATIO:
		rc = parse_size(c, "--max-ratio", arg, &v);
		if (!rc && v > UINT32_MAX)
			rc = cli_usage_error(c->cmd, "--max-ratio is too large");
		if (!rc)
			c->limits.max_ratio = (uint32_t)v;
		return rc;
	}
	return 1;
}

static const struct option shared_options[] = {
	APK_CLI_LONG_OPTIONS,
	{ "help", no_argument, NULL, 'h' },
};
#define N_SHARED (sizeof(shared_options) / sizeof(shared_options[0]))

int apk_cli_parse(struct apk_cli *c, int argc, char **argv, const char *usage,
		  const struct apk_cli_extra *extra)
{
	struct option longs[N_SHARED + 16];
	char shorts[64] = "hk:";
	size_t n = N_SHARED;
	memcpy(longs, shared_options, sizeof(shared_options));
	for (size_t i = 0; extra && extra->long_opts[i].name && n < N_SHARED + 15; i++)
		longs[n++] = extra->long_opts[i];
	memset(&longs[n], 0, sizeof(longs[n]));
	if (extra && extra->short_opts)
		strncat(shorts, extra->short_opts, sizeof(shorts) - strlen(shorts) - 1);
	int opt;
	while ((opt = getopt_long(argc, argv, shorts, longs, NULL)) != -1) {
		if (opt == 'h') {
			fputs(usage, stdout);
			return APK_CLI_HELP_SHOWN;
		}
		if (opt == '?')
			return cli_usage_error(c->cmd, "unrecognised option");
		int rc = apk_cli_option(c, opt, optarg);
		if (rc == 1)
			rc = extra ? extra->handle(extra->ctx, opt, optarg)
				   : cli_usage_error(c->cmd, "unrecognised option");
		if (rc)
			return rc;
	}
	return 0;
}

bool apk_cli_start(struct apk_cli *c, const char *cmd, int argc, char **argv,
		   const char *usage, const struct apk_cli_extra *extra, int *exit_code)
{
	apk_cli_init(c, cmd);
	int rc = apk_cli_parse(c, argc, argv, usage, extra);
	*exit_code = rc == APK_CLI_HELP_SHOWN ? CLI_EXIT_OK : rc;
	if (rc)
		apk_cli_free(c);
	return !rc;
}

int apk_cli_default_keyring(struct apk_cli *c)
{
	struct stat st;
	if (c->have_keyring || stat("/etc/apk/keys", &st) || !S_ISDIR(st.st_mode))
		return 0;
	return add_keyring(c, "/etc/apk/keys");
}

const struct mint_apk_keyring *apk_cli_keyring(const struct apk_cli *c)
{
	return c->have_keyring ? &c->keyring : NULL;
}

static void set_str(json_t *o, const char *key, const char *v)
{
	if (v)
		json_object_set_new(o, key, json_string(v));
}

static void set_number(json_t *o, const char *key, bool present, uint64_t v)
{
	if (present)
		json_object_set_new(o, key, json_integer((json_int_t)v));
}

static void set_list(json_t *o, const char *key, const struct mint_strlist *l)
{
	if (!l->n)
		return;
	json_t *a = json_array();
	for (size_t i = 0; i < l->n; i++)
		json_array_append_new(a, json_string(l->items[i]));
	json_object_set_new(o, key, a);
}

json_t *apk_pkg_to_json(const struct mint_apk_pkg *p)
{
	json_t *o = json_object();
	set_str(o, "name", p->name);
	set_str(o, "version", p->version);
	set_str(o, "arch", p->arch);
	set_str(o, "description", p->description);
	set_str(o, "url", p->url);
	set_str(o, "license", p->license);
	set_str(o, "origin", p->origin);
	set_str(o, "maintainer", p->maintainer);
	set_str(o, "commit", p->commit);
	set_str(o, "packager", p->packager);
	set_str(o, "identity", p->identity);
	set_str(o, "datahash", p->datahash);
	set_number(o, "build_time", p->has_build_time, p->build_time);
	set_number(o, "file_size", p->has_file_size, p->file_size);
	set_number(o, "installed_size", p->has_installed_size, p->installed_size);
	set_number(o, "provider_priority", p->has_provider_priority, p->provider_priority);
	set_number(o, "replaces_priority", p->has_replaces_priority, p->replaces_priority);
	set_list(o, "depends", &p->depends);
	set_list(o, "provides", &p->provides);
	set_list(o, "install_if", &p->install_if);
	set_list(o, "replaces", &p->replaces);
	set_list(o, "triggers", &p->triggers);
	return o;
}

json_t *apk_signatures_to_json(const struct mint_apk_signature *sigs, size_t n)
{
	json_t *a = json_array();
	for (size_t i = 0; i < n; i++) {
		json_t *s = json_object();
		json_object_set_new(s, "entry", json_string(sigs[i].entry_name));
		json_object_set_new(s, "key", json_string(sigs[i].key_name));
		json_object_set_new(s, "digest",
				    json_string(sigs[i].dsa ? "dsa" : mint_hash_name(sigs[i].alg)));
		json_object_set_new(s, "status", json_string(mint_apk_sig_status_name(sigs[i].status)));
		json_array_append_new(a, s);
	}
	return a;
}

int apk_print_json(json_t *doc)
{
	int rc = json_dumpf(doc, stdout, JSON_INDENT(2) | JSON_SORT_KEYS);
	json_decref(doc);
	fputc('\n', stdout);
	return rc ? CLI_EXIT_FAIL : CLI_EXIT_OK;
}
