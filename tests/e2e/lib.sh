# SPDX-License-Identifier: Apache-2.0
# Shared helpers for end-to-end tests: they drive the real mint binary ($MINT).
# A script exits 0 (pass), 77 (skipped, e.g. no upstream fixtures) or 1 (fail).
set -u
: "${MINT:?MINT must point at the mint binary}"
FIX="${MINT_FIXTURES:-}"
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
failures=0

fail() { echo "FAIL: $*" >&2; failures=$((failures + 1)); }
pass() { echo "ok: $*"; }

# need_fixtures: skip the whole script when the upstream fixtures are absent.
need_fixtures() {
	if [ -z "$FIX" ] || [ ! -d "$FIX" ]; then
		echo "skipped: upstream fixtures not present"
		exit 77
	fi
}

# expect_exit CODE DESC CMD...: run CMD, capture stdout/stderr in $WORK/out, $WORK/err.
expect_exit() {
	local want=$1 desc=$2; shift 2
	"$@" >"$WORK/out" 2>"$WORK/err"
	local got=$?
	if [ "$got" -eq "$want" ]; then pass "$desc"; else
		fail "$desc: exit $got, want $want; stderr: $(head -c 400 "$WORK/err")"; fi
}

# expect_stdout TEXT DESC: the last command's stdout equals TEXT.
expect_stdout() {
	if [ "$(cat "$WORK/out")" = "$1" ]; then pass "$2"; else
		fail "$2: stdout was '$(head -c 400 "$WORK/out")', want '$1'"; fi
}

# expect_stderr_matches REGEX DESC: stderr is one line matching REGEX.
expect_stderr_line() {
	local lines; lines=$(wc -l < "$WORK/err")
	if [ "$lines" -eq 1 ] && grep -Eq -- "$1" "$WORK/err"; then pass "$2"; else
		fail "$2: stderr was '$(head -c 400 "$WORK/err")', want one line matching /$1/"; fi
}

finish() {
	if [ "$failures" -ne 0 ]; then echo "$failures check(s) failed" >&2; exit 1; fi
	exit 0
}
