/* SPDX-License-Identifier: Apache-2.0 */
/* `mint apk`: the apk package tools, one cmd_apk_<name>.c per subcommand. */
#include "cli.h"
#include "cmd_apk.h"
#include "commands.h"

static const struct cli_command apk_commands[] = {
	/* entries: { "name", cmd_apk_<name>, "summary" }, */
	{ "version", cmd_apk_version, "compare or check apk version strings" },
	{ 0 },
};

int cmd_apk(int argc, char **argv)
{
	return cli_dispatch("mint apk", apk_commands,
			    sizeof(apk_commands) / sizeof(apk_commands[0]) - 1, argc, argv);
}
