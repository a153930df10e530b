/* SPDX-License-Identifier: Apache-2.0 */
/* mint: the command-line front end. Each command lives in its own cmd_*.c. */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "commands.h"
#include "mint/version.h"

static const struct cli_command top_commands[] = {
	{ "apk", cmd_apk, "read, verify and index apk packages" },
	{ "build", cmd_build, "build an OCI image from an apko configuration" },
	{ "build-minirootfs", cmd_build_minirootfs, "the root file system of one arch as a tar" },
	{ "diff", cmd_diff, "what differs between two images: config fields and files" },
	{ "lock", cmd_lock, "resolve a configuration into an apko-compatible lock file" },
	{ "pkg", cmd_pkg, "build, sign and index apk packages from melange recipes" },
	{ "rebuild", cmd_rebuild, "rebuild an image from its locked config and compare" },
	{ "sbom", cmd_sbom, "SPDX and CycloneDX SBOMs of an existing image" },
	{ "show-config", cmd_show_config, "print an apko image configuration as apko's JSON" },
	{ "show-packages", cmd_show_packages, "the packages an apko configuration resolves to" },
};

int main(int argc, char **argv)
{
	if (argc >= 2 && !strcmp(argv[1], "--version")) {
		printf("mint %s\n", mint_version());
		return CLI_EXIT_OK;
	}
	return cli_dispatch("mint", top_commands, sizeof(top_commands) / sizeof(top_commands[0]),
			    argc, argv);
}
