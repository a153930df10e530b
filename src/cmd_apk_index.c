/* SPDX-License-Identifier: Apache-2.0 */
/* `mint apk index show FILE|DIR`: read (and verify) a repository index. */
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "apk_cli.h"
#include "cli.h"
#include "cmd_apk.h"
#include "mint/apk_index_file.h"

static const char show_usage[] =
	"usage: mint apk index show [options] FILE|DIR\n"
	"\n"
	"Reads APKINDEX.tar.gz (or a plain APKINDEX; a DIR means DIR/APKINDEX.tar.gz)\n"
	"and prints it as APKINDEX text in apk-tools' field order. With a keyring\n"
	"(or /etc/apk/keys) the signature must verify; the verdict goes to stderr.\n"
	"\n"
	"options:\n" APK_CLI_OPTIONS_HELP;

static int index_path(const char *arg, char *out, size_t cap)
{
	struct stat st;
	if (!stat(arg, &st) && S_ISDIR(st.st_mode))
		return snprintf(out, cap, "%s/APKINDEX.tar.gz", arg) >= (int)cap;
	return snprintf(out, cap, "%s", arg) >= (int)cap;
}

static int print_index(const struct apk_cli *c, const struct mint_apk_index_file *f)
{
	if (c->json) {
		json_t *pkgs = json_array();
		for (size_t i = 0; i < f->index.n; i++)
			json_array_append_new(pkgs, apk_pkg_to_json(&f->index.pkgs[i]));
		json_t *doc = json_pack("{s:o,s:o,s:s,s:s,s:b}", "packages", pkgs, "signatures",
					apk_signatures_to_json(f->sigs, f->n_sigs), "trust",
					mint_apk_trust_name(f->trust), "trust_detail", f->trust_detail,
					"compressed", f->compressed);
		if (f->index.description)
			json_object_set_new(doc, "description", json_string(f->index.description));
		return apk_print_json(doc);
	}
	struct mint_buf text = MINT_BUF_INIT;
	if (mint_apk_index_write_text(&f->index, &text)) {
		mint_buf_free(&text);
		fprintf(stderr, "mint: out of memory\n");
		return CLI_EXIT_FAIL;
	}
	fwrite(text.data, 1, text.len, stdout);
	mint_buf_free(&text);
	return CLI_EXIT_OK;
}

static int cmd_apk_index_show(int argc, char **argv)
{
	struct apk_cli c;
	int rc;
	if (!apk_cli_start(&c, "mint apk index show", argc, argv, show_usage, NULL, &rc))
		return rc;
	char path[4096];
	if (optind != argc - 1)
		rc = cli_usage_error(c.cmd, "expects exactly one index file or directory");
	else if (index_path(argv[optind], path, sizeof(path)))
		rc = cli_usage_error(c.cmd, "path is too long");
	if (!rc)
		rc = apk_cli_default_keyring(&c);
	if (rc)
		goto out;
	const struct mint_apk_keyring *kr = apk_cli_keyring(&c);
	struct mint_apk_index_file f;
	struct mint_err err = { 0 };
	if (mint_apk_index_file_read(path, kr, &c.limits, kr ? MINT_APK_REQUIRE_TRUST : 0, &f,
				     &err)) {
		rc = cli_fail(&err);
		goto out;
	}
	fprintf(stderr, "%s: %zu packages, %s%s%s\n", path, f.index.n, mint_apk_trust_name(f.trust),
		f.trust_detail[0] ? ": " : "", f.trust_detail);
	rc = print_index(&c, &f);
	mint_apk_index_file_free(&f);
out:
	apk_cli_free(&c);
	return rc;
}

int cmd_apk_index(int argc, char **argv)
{
	static const struct cli_command index_commands[] = {
		{ "show", cmd_apk_index_show, "print and verify a repository index" },
	};
	return cli_dispatch("mint apk index", index_commands,
			    sizeof(index_commands) / sizeof(index_commands[0]), argc, argv);
}
