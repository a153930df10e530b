/* SPDX-License-Identifier: Apache-2.0 */
/* `mint apk info FILE.apk`: a package's metadata, identity and signature status. */
#include <stdio.h>

#include "apk_cli.h"
#include "cli.h"
#include "cmd_apk.h"
#include "mint/encode.h"

static const char usage[] =
	"usage: mint apk info [options] FILE.apk\n"
	"\n"
	"Shows a package's .PKGINFO fields, its identity (Q1, as indexes list it),\n"
	"its members and its signature status. Signatures are checked when a\n"
	"keyring is given (or /etc/apk/keys exists).\n"
	"\n"
	"options:\n" APK_CLI_OPTIONS_HELP;

static void print_field(const char *key, const char *value)
{
	if (value)
		printf("%-18s %s\n", key, value);
}

static void print_list(const char *key, const struct mint_strlist *l)
{
	for (size_t i = 0; i < l->n; i++)
		print_field(key, l->items[i]);
}

static void print_number(const char *key, bool has, uint64_t v)
{
	if (has)
		printf("%-18s %llu\n", key, (unsigned long long)v);
}

static void print_range(const char *key, const struct mint_apk_range *r)
{
	if (r->size)
		printf("%-18s offset %llu, %llu bytes\n", key, (unsigned long long)r->offset,
		       (unsigned long long)r->size);
}

static void print_text(const struct mint_apk_package *p)
{
	const struct mint_apk_pkg *i = &p->info;
	print_field("name:", i->name);
	print_field("version:", i->version);
	print_field("arch:", i->arch);
	print_field("description:", i->description);
	print_field("url:", i->url);
	print_field("license:", i->license);
	print_field("origin:", i->origin);
	print_field("maintainer:", i->maintainer);
	print_field("commit:", i->commit);
	print_number("build-time:", i->has_build_time, i->build_time);
	print_number("installed-size:", i->has_installed_size, i->installed_size);
	print_number("provider-priority:", i->has_provider_priority, i->provider_priority);
	print_list("depends:", &i->depends);
	print_list("provides:", &i->provides);
	print_list("install-if:", &i->install_if);
	print_list("replaces:", &i->replaces);
	print_list("triggers:", &i->triggers);
	print_field("identity:", p->identity);
	char hex[65];
	mint_hex_encode(p->data_sha256, 32, hex);
	printf("%-18s %s (%s)\n", "data-sha256:", hex,
	       i->datahash ? "matches datahash" : "no datahash: legacy package");
	print_number("file-size:", true, p->file_size);
	print_range("signature-member:", &p->sig_member);
	print_range("control-member:", &p->control_member);
	print_range("data-member:", &p->data_member);
	print_number("entries:", true, p->n_entries);
	for (size_t s = 0; s < p->n_scripts; s++)
		print_field("script:", p->scripts[s].name);
	for (size_t s = 0; s < p->n_sigs; s++)
		printf("%-18s %s (%s): %s\n", "signature:", p->sigs[s].entry_name,
		       p->sigs[s].dsa ? "dsa" : mint_hash_name(p->sigs[s].alg),
		       mint_apk_sig_status_name(p->sigs[s].status));
	printf("%-18s %s%s%s\n", "trust:", mint_apk_trust_name(p->trust),
	       p->trust_detail[0] ? ": " : "", p->trust_detail);
}

static json_t *range_json(const struct mint_apk_range *r)
{
	return json_pack("{s:I,s:I}", "offset", (json_int_t)r->offset, "size", (json_int_t)r->size);
}

static int print_json(const struct mint_apk_package *p)
{
	char hex[65];
	mint_hex_encode(p->data_sha256, 32, hex);
	json_t *scripts = json_array();
	for (size_t s = 0; s < p->n_scripts; s++)
		json_array_append_new(scripts, json_string(p->scripts[s].name));
	json_t *doc = json_pack("{s:o,s:s,s:s,s:I,s:{s:o,s:o,s:o},s:I,s:I,s:o,s:o,s:s,s:s}",
		"package", apk_pkg_to_json(&p->info),
		"identity", p->identity,
		"data_sha256", hex,
		"file_size", (json_int_t)p->file_size,
		"members",
		"signature", range_json(&p->sig_member),
		"control", range_json(&p->control_member),
		"data", range_json(&p->data_member),
		"entries", (json_int_t)p->n_entries,
		"data_tar_bytes", (json_int_t)p->data_tar_bytes,
		"scripts", scripts,
		"signatures", apk_signatures_to_json(p->sigs, p->n_sigs),
		"trust", mint_apk_trust_name(p->trust),
		"trust_detail", p->trust_detail);
	return apk_print_json(doc);
}

int cmd_apk_info(int argc, char **argv)
{
	struct apk_cli c;
	int rc;
	if (!apk_cli_start(&c, "mint apk info", argc, argv, usage, NULL, &rc))
		return rc;
	if (optind != argc - 1) {
		rc = cli_usage_error(c.cmd, "expects exactly one package file");
		goto out;
	}
	rc = apk_cli_default_keyring(&c);
	if (rc)
		goto out;
	struct mint_apk_package p;
	struct mint_err err = { 0 };
	if (mint_apk_package_read(argv[optind], apk_cli_keyring(&c), &c.limits, 0, &p, &err)) {
		rc = cli_fail(&err);
		goto out;
	}
	if (c.json)
		rc = print_json(&p);
	else
		print_text(&p);
	mint_apk_package_free(&p);
out:
	apk_cli_free(&c);
	return rc;
}
