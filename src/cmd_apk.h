/* SPDX-License-Identifier: Apache-2.0 */
/* The `mint apk` subcommands, one cmd_apk_<name>.c each. */
#ifndef MINT_CMD_APK_H
#define MINT_CMD_APK_H

int cmd_apk_version(int argc, char **argv);
int cmd_apk_contents(int argc, char **argv);
int cmd_apk_fetch(int argc, char **argv);
int cmd_apk_index(int argc, char **argv);
int cmd_apk_info(int argc, char **argv);
int cmd_apk_resolve(int argc, char **argv);
int cmd_apk_verify(int argc, char **argv);

#endif
