/* SPDX-License-Identifier: Apache-2.0 */
/*
 * What every subcommand shares: dispatch over a table of commands, the
 * one-line error report, and exit codes. Output formatting of results stays
 * in the subcommand's own file.
 */
#ifndef MINT_CLI_H
#define MINT_CLI_H

#include <stdbool.h>
#include <stddef.h>

#include "mint/err.h"

enum {
	CLI_EXIT_OK = 0,
	CLI_EXIT_FAIL = 1,  /* the operation failed or a check did not pass */
	CLI_EXIT_USAGE = 2, /* the command line was wrong */
};

struct cli_command {
	const char *name;
	int (*run)(int argc, char **argv);
	const char *summary;
};

/* Runs argv[1] from cmds (argv[0] is the group's own name, e.g. "apk").
 * "--help"/"-h"/no argument print the group's help. */
int cli_dispatch(const char *group, const struct cli_command *cmds, size_t n_cmds,
		 int argc, char **argv);

/* Prints "mint: <error>" on stderr and returns CLI_EXIT_FAIL. */
int cli_fail(const struct mint_err *err);
/* Prints "mint <cmd>: <message>" and a pointer to --help; returns CLI_EXIT_USAGE. */
int cli_usage_error(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* True when argv holds -h or --help before any "--". */
bool cli_wants_help(int argc, char **argv);

#endif
