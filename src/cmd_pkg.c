/* SPDX-License-Identifier: Apache-2.0 */
/* `mint pkg`: melange-style package builds, one cmd_pkg_<name>.c per subcommand. */
#include "cli.h"
#include "cmd_pkg.h"
#include "commands.h"

static const struct cli_command pkg_commands[] = {
	{ "show", cmd_pkg_show, "print a melange recipe as mint reads it, as JSON" },
	{ 0 },
};

int cmd_pkg(int argc, char **argv)
{
	return cli_dispatch("mint pkg", pkg_commands,
			    sizeof(pkg_commands) / sizeof(pkg_commands[0]) - 1, argc, argv);
}
