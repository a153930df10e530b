/* SPDX-License-Identifier: Apache-2.0 */
/* The `mint apk` subcommands, one cmd_apk_<name>.c each. */
#ifndef MINT_CMD_APK_H
#define MINT_CMD_APK_H

int cmd_apk_version(int argc, char **argv);

#endif
