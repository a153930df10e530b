# SPDX-License-Identifier: Apache-2.0
# The front door: --version, --help, unknown commands.
. "$(dirname "$0")/lib.sh"

expect_exit 0 "--version exits 0" "$MINT" --version
grep -Eq '^mint [0-9]+\.[0-9]+\.[0-9]+$' "$WORK/out" && pass "--version prints 'mint X.Y.Z'" || fail "--version output: $(cat "$WORK/out")"
expect_exit 0 "--help exits 0" "$MINT" --help
grep -q '^  apk ' "$WORK/out" && pass "--help lists apk" || fail "--help does not list apk"
expect_exit 2 "no arguments is a usage error" "$MINT"
expect_exit 2 "unknown command is a usage error" "$MINT" frobnicate
expect_stderr_line "unknown command 'frobnicate'" "unknown command names itself"
expect_exit 0 "apk --help exits 0" "$MINT" apk --help
finish
