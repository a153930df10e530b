# SPDX-License-Identifier: Apache-2.0
# `mint apk version`: -t compares two versions, -c checks validity, usage errors.
. "$(dirname "$0")/lib.sh"

expect_exit 0 "-t less" "$MINT" apk version -t 1.0_rc1 1.0
expect_stdout "<" "-t prints < for a pre-release"
expect_exit 0 "-t greater" "$MINT" apk version -t 1.0-r1 1.0
expect_stdout ">" "-t prints > for a later revision"
expect_exit 0 "-t equal" "$MINT" apk version --test 1.2.3 1.2.3
expect_stdout "=" "-t prints = for the same version"
expect_exit 0 "-t leading zero" "$MINT" apk version -t 8.2.0015 8.2.002
expect_stdout "<" "-t compares a leading-zero group as text"

expect_exit 0 "-c all valid" "$MINT" apk version -c 1.0 2.3_rc1-r4 1.0~abc
expect_stdout "" "-c prints nothing when all are valid"
expect_exit 1 "-c some invalid" "$MINT" apk version -c 1.0 1.0bc 2.0 1.0-x
expect_stdout "1.0bc
1.0-x" "-c prints each invalid version on its own line"

expect_exit 0 "--help exits 0" "$MINT" apk version --help
grep -q '^usage: mint apk version' "$WORK/out" && pass "--help prints usage" || fail "--help output: $(cat "$WORK/out")"
expect_exit 0 "apk --help lists version" "$MINT" apk --help
grep -q '^  version ' "$WORK/out" && pass "apk --help lists version" || fail "apk --help does not list version"

expect_exit 2 "no mode is a usage error" "$MINT" apk version 1.0 2.0
expect_stderr_line "choose -t" "no mode says what to do"
expect_exit 2 "-t with one version" "$MINT" apk version -t 1.0
expect_stderr_line "exactly two versions" "-t arity error"
expect_exit 2 "-c without versions" "$MINT" apk version -c
expect_exit 2 "-t and -c together" "$MINT" apk version -t -c 1 2
expect_exit 2 "unknown option" "$MINT" apk version -x 1 2
expect_stderr_line "unknown option '-x'" "unknown short option names itself"
expect_exit 2 "unknown long option" "$MINT" apk version --frob 1 2
expect_stderr_line "unknown option '--frob'" "unknown long option names itself"
finish
