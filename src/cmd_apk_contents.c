/* SPDX-License-Identifier: Apache-2.0 */
/* `mint apk contents FILE.apk`: the data entries of a package. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "apk_cli.h"
#include "cli.h"
#include "cmd_apk.h"
#include "mint/encode.h"

static const char usage[] =
	"usage: mint apk contents [options] FILE.apk\n"
	"\n"
	"Lists the package's files, one path per line. With --long, also type and\n"
	"mode, owner, size, mtime (UTC) and link targets, like `tar -tv`; --json adds\n"
	"xattrs, APK-TOOLS.checksum.SHA1 values and each entry's offsets inside the\n"
	"uncompressed data stream.\n"
	"\n"
	"options:\n"
	"  -l, --long               tar -tv style listing\n" APK_CLI_OPTIONS_HELP;

static char type_char(enum mint_tar_type t)
{
	switch (t) {
	case MINT_TAR_DIR: return 'd';
	case MINT_TAR_SYMLINK: return 'l';
	case MINT_TAR_HARDLINK: return 'h';
	case MINT_TAR_CHAR: return 'c';
	case MINT_TAR_BLOCKDEV: return 'b';
	case MINT_TAR_FIFO: return 'p';
	case MINT_TAR_REG: return '-';
	}
	return '?';
}

static void mode_string(const struct mint_apk_entry *e, char out[11])
{
	static const char rwx[] = "rwxrwxrwx";
	out[0] = type_char(e->type);
	for (int i = 0; i < 9; i++)
		out[i + 1] = (e->mode & (0400u >> i)) ? rwx[i] : '-';
	if (e->mode & 04000)
		out[3] = (e->mode & 0100) ? 's' : 'S';
	if (e->mode & 02000)
		out[6] = (e->mode & 0010) ? 's' : 'S';
	if (e->mode & 01000)
		out[9] = (e->mode & 0001) ? 't' : 'T';
	out[10] = '\0';
}

static void print_long(const struct mint_apk_entry *e)
{
	char mode[11], when[32];
	mode_string(e, mode);
	time_t t = (time_t)e->mtime;
	struct tm tm;
	strftime(when, sizeof(when), "%Y-%m-%d %H:%M", gmtime_r(&t, &tm));
	printf("%s %llu/%llu %10llu %s %s", mode, (unsigned long long)e->uid,
	       (unsigned long long)e->gid, (unsigned long long)e->size, when, e->path);
	if (e->link_target)
		printf(" %s %s", e->type == MINT_TAR_HARDLINK ? "link to" : "->", e->link_target);
	putchar('\n');
}

static json_t *entry_json(const struct mint_apk_entry *e)
{
	char type[2] = { type_char(e->type), '\0' };
	json_t *o = json_pack("{s:s,s:s,s:i,s:I,s:I,s:I,s:I,s:I,s:I}", "path", e->path, "type", type,
			      "mode", (int)e->mode, "uid", (json_int_t)e->uid, "gid", (json_int_t)e->gid,
			      "size", (json_int_t)e->size, "mtime", (json_int_t)e->mtime,
			      "header_offset", (json_int_t)e->header_offset,
			      "data_offset", (json_int_t)e->data_offset);
	if (e->uname[0])
		json_object_set_new(o, "uname", json_string(e->uname));
	if (e->gname[0])
		json_object_set_new(o, "gname", json_string(e->gname));
	if (e->link_target)
		json_object_set_new(o, "link_target", json_string(e->link_target));
	if (e->type == MINT_TAR_CHAR || e->type == MINT_TAR_BLOCKDEV)
		json_object_set_new(o, "device", json_pack("[i,i]", (int)e->devmajor, (int)e->devminor));
	if (e->has_apk_sha1) {
		char hex[41];
		mint_hex_encode(e->apk_sha1, 20, hex);
		json_object_set_new(o, "sha1", json_string(hex));
	}
	if (e->n_xattrs) {
		json_t *x = json_object();
		for (size_t i = 0; i < e->n_xattrs; i++) {
			char *hex = malloc(2 * e->xattrs[i].value_len + 1);
			mint_hex_encode(e->xattrs[i].value, e->xattrs[i].value_len, hex);
			json_object_set_new(x, e->xattrs[i].name, json_string(hex));
			free(hex);
		}
		json_object_set_new(o, "xattrs_hex", x);
	}
	return o;
}

static int handle_long(void *ctx, int opt, const char *arg)
{
	(void)arg;
	if (opt != 'l')
		return cli_usage_error("mint apk contents", "unrecognised option");
	*(bool *)ctx = true;
	return 0;
}

int cmd_apk_contents(int argc, char **argv)
{
	static const struct option long_opts[] = {
		{ "long", no_argument, NULL, 'l' },
		{ 0 },
	};
	bool long_format = false;
	struct apk_cli_extra extra = { "l", long_opts, handle_long, &long_format };
	struct apk_cli c;
	int rc;
	if (!apk_cli_start(&c, "mint apk contents", argc, argv, usage, &extra, &rc))
		return rc;
	if (optind != argc - 1) {
		rc = cli_usage_error(c.cmd, "expects exactly one package file");
		goto out;
	}
	struct mint_apk_package p;
	struct mint_err err = { 0 };
	if (mint_apk_package_read(argv[optind], NULL, &c.limits, 0, &p, &err)) {
		rc = cli_fail(&err);
		goto out;
	}
	if (c.json) {
		json_t *a = json_array();
		for (size_t i = 0; i < p.n_entries; i++)
			json_array_append_new(a, entry_json(&p.entries[i]));
		rc = apk_print_json(a);
	} else {
		for (size_t i = 0; i < p.n_entries; i++) {
			if (long_format)
				print_long(&p.entries[i]);
			else
				puts(p.entries[i].path);
		}
	}
	mint_apk_package_free(&p);
out:
	apk_cli_free(&c);
	return rc;
}
