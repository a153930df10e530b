/* SPDX-License-Identifier: Apache-2.0 */
/*
 * `mint apk verify --keyring DIR FILE...`: one line per file, exit 0 only if
 * every file verifies. A package verifies when its signature is by a trusted
 * key, its data matches datahash and every file matches its checksum; an
 * index file (named APKINDEX*) when its signature is by a trusted key.
 */
#include <stdio.h>
#include <string.h>

#include "apk_cli.h"
#include "cli.h"
#include "cmd_apk.h"
#include "mint/apk_index_file.h"

static const char usage[] =
	"usage: mint apk verify [options] FILE...\n"
	"\n"
	"Verifies packages (.apk) and signed indexes (APKINDEX.tar.gz) against the\n"
	"keyring. Prints one line per file; exits 0 only if all verify.\n"
	"\n"
	"options:\n" APK_CLI_OPTIONS_HELP;

static bool is_index_name(const char *path)
{
	const char *base = strrchr(path, '/');
	base = base ? base + 1 : path;
	return !strncmp(base, "APKINDEX", 8);
}

static bool report_failure(json_t *report, const char *path, const struct mint_err *err)
{
	/* The line already starts with the path; do not repeat it. */
	struct mint_err local = *err;
	if (!strcmp(local.file, path))
		local.file[0] = '\0';
	char line[2048];
	mint_err_format(&local, line, sizeof(line));
	if (report)
		json_array_append_new(report, json_pack("{s:s,s:b,s:s}", "file", path, "ok", 0,
							"error", line));
	else
		printf("%s: FAILED: %s\n", path, line);
	return false;
}

static const char *valid_key(const struct mint_apk_signature *sigs, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (sigs[i].status == MINT_APK_SIG_VALID)
			return sigs[i].key_name;
	return "";
}

static bool verify_index(const struct apk_cli *c, const char *path, json_t *report)
{
	struct mint_apk_index_file f;
	struct mint_err err = { 0 };
	int rc = mint_apk_index_file_read(path, apk_cli_keyring(c), &c->limits,
					  MINT_APK_REQUIRE_TRUST, &f, &err);
	if (rc)
		return report_failure(report, path, &err);
	const char *key = valid_key(f.sigs, f.n_sigs);
	if (report)
		json_array_append_new(report, json_pack("{s:s,s:b,s:s,s:I}", "file", path, "ok", 1,
							"key", key, "packages",
							(json_int_t)f.index.n));
	else
		printf("%s: OK (index of %zu packages, signed by %s)\n", path, f.index.n, key);
	mint_apk_index_file_free(&f);
	return true;
}

static bool verify_package(const struct apk_cli *c, const char *path, json_t *report)
{
	struct mint_apk_package p;
	struct mint_err err = { 0 };
	int rc = mint_apk_package_read(path, apk_cli_keyring(c), &c->limits,
				       MINT_APK_HASH_FILES | MINT_APK_REQUIRE_TRUST, &p, &err);
	if (rc)
		return report_failure(report, path, &err);
	const char *key = valid_key(p.sigs, p.n_sigs);
	if (report)
		json_array_append_new(report, json_pack("{s:s,s:b,s:s,s:s}", "file", path, "ok", 1,
							"identity", p.identity, "key", key));
	else
		printf("%s: OK (%s-%s %s, signed by %s)\n", path, p.info.name, p.info.version,
		       p.identity, key);
	mint_apk_package_free(&p);
	return true;
}

int cmd_apk_verify(int argc, char **argv)
{
	struct apk_cli c;
	int rc;
	if (!apk_cli_start(&c, "mint apk verify", argc, argv, usage, NULL, &rc))
		return rc;
	if (optind >= argc) {
		rc = cli_usage_error(c.cmd, "expects at least one file");
		goto out;
	}
	rc = apk_cli_default_keyring(&c);
	if (rc)
		goto out;
	if (!c.have_keyring) {
		rc = cli_usage_error(c.cmd, "no keyring: pass --keyring DIR (no /etc/apk/keys here)");
		goto out;
	}
	json_t *report = c.json ? json_array() : NULL;
	bool all_ok = true;
	for (int i = optind; i < argc; i++) {
		bool ok = is_index_name(argv[i]) ? verify_index(&c, argv[i], report)
						 : verify_package(&c, argv[i], report);
		all_ok = all_ok && ok;
	}
	if (report)
		apk_print_json(report);
	rc = all_ok ? CLI_EXIT_OK : CLI_EXIT_FAIL;
out:
	apk_cli_free(&c);
	return rc;
}
