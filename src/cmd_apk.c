/* SPDX-License-Identifier: Apache-2.0 */
/* `mint apk`: the apk package tools, one cmd_apk_<name>.c per subcommand. */
#include "cli.h"
#include "cmd_apk.h"
#include "commands.h"

static const struct cli_command apk_commands[] = {
	{ "version", cmd_apk_version, "compare or check apk version strings" },
	{ "info", cmd_apk_info, "show a package's metadata, identity and signature status" },
	{ "verify", cmd_apk_verify, "verify packages and indexes against a keyring" },
	{ "contents", cmd_apk_contents, "list the files in a package" },
	{ "index", cmd_apk_index, "read repository indexes (show)" },
	{ "resolve", cmd_apk_resolve, "resolve constraints against repositories, in install order" },
	{ "fetch", cmd_apk_fetch, "download and verify a resolved closure into the cache" },
	{ 0 },
};

int cmd_apk(int argc, char **argv)
{
	return cli_dispatch("mint apk", apk_commands,
			    sizeof(apk_commands) / sizeof(apk_commands[0]) - 1, argc, argv);
}
