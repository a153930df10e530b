/* SPDX-License-Identifier: Apache-2.0 */
/* Shared CLI plumbing: command tables, help text, error lines. */
#include "cli.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static void print_group_help(FILE *out, const char *group, const struct cli_command *cmds,
			     size_t n_cmds)
{
	fprintf(out, "usage: %s <command> [options]\n\ncommands:\n", group);
	for (size_t i = 0; i < n_cmds; i++)
		fprintf(out, "  %-14s %s\n", cmds[i].name, cmds[i].summary);
	fprintf(out, "\nRun '%s <command> --help' for a command's options.\n", group);
}

int cli_dispatch(const char *group, const struct cli_command *cmds, size_t n_cmds,
		 int argc, char **argv)
{
	if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") ||
	    !strcmp(argv[1], "help")) {
		print_group_help(argc < 2 ? stderr : stdout, group, cmds, n_cmds);
		return argc < 2 ? CLI_EXIT_USAGE : CLI_EXIT_OK;
	}
	for (size_t i = 0; i < n_cmds; i++)
		if (!strcmp(argv[1], cmds[i].name))
			return cmds[i].run(argc - 1, argv + 1);
	fprintf(stderr, "%s: unknown command '%s' (see '%s --help')\n", group, argv[1], group);
	return CLI_EXIT_USAGE;
}

int cli_fail(const struct mint_err *err)
{
	char line[2048];
	mint_err_format(err, line, sizeof(line));
	fprintf(stderr, "mint: %s\n", line);
	return CLI_EXIT_FAIL;
}

int cli_usage_error(const char *cmd, const char *fmt, ...)
{
	va_list ap;
	fprintf(stderr, "%s: ", cmd);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, " (see '%s --help')\n", cmd);
	return CLI_EXIT_USAGE;
}

bool cli_wants_help(int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--"))
			return false;
		if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help"))
			return true;
	}
	return false;
}
