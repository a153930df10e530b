# SPDX-License-Identifier: Apache-2.0
# Broken packages and indexes: one clear error line naming the file, a
# non-zero exit, never a crash (exit codes >= 128 are signals).
. "$(dirname "$0")/lib.sh"
need_fixtures

T=$FIX/apko/pkg/apk/apk/testdata
ALPINE=$T/alpine-316/alpine-baselayout-3.2.0-r23.apk
AKEYS=$FIX/go-apk/pkg/apk/repo_test.go.extracted
size=$(stat -c %s "$ALPINE")

check_broken() { # file description
	"$MINT" apk verify -k "$AKEYS" "$1" >"$WORK/out" 2>"$WORK/err"
	local rc=$?
	if [ $rc -ne 1 ]; then fail "$2: exit $rc"; return; fi
	if ! grep -q "^$1: FAILED: " "$WORK/out" || [ "$(wc -l < "$WORK/out")" -ne 1 ]; then
		fail "$2: output $(cat "$WORK/out")"; return; fi
	"$MINT" apk info "$1" >"$WORK/out" 2>"$WORK/err"
	rc=$?
	if [ $rc -ge 128 ]; then fail "$2: info crashed ($rc)"; return; fi
	if [ $rc -ne 0 ] && { [ "$(wc -l < "$WORK/err")" -ne 1 ] || ! grep -q "^mint: $1" "$WORK/err"; }; then
		fail "$2: info stderr $(cat "$WORK/err")"; return; fi
}

bad=0
for cut in 0 1 9 10 100 500 679 680 1000 2000 4000 6000 8000 10000 $((size - 9)) $((size - 1)); do
	head -c "$cut" "$ALPINE" > "$WORK/cut.apk"
	before=$failures; check_broken "$WORK/cut.apk" "truncated at $cut"; [ $failures -eq $before ] || bad=1
done
[ $bad -eq 0 ] && pass "truncations give one error line each"

bad=0
for at in 12 300 700 900 2000 5000 9000 $((size - 5)); do
	cp "$ALPINE" "$WORK/flip.apk"
	printf '\xff' | dd of="$WORK/flip.apk" bs=1 seek="$at" conv=notrunc status=none
	before=$failures; check_broken "$WORK/flip.apk" "byte $at changed"; [ $failures -eq $before ] || bad=1
done
[ $bad -eq 0 ] && pass "changed bytes give one error line each"

head -c 20000 /dev/urandom > "$WORK/random.apk"
check_broken "$WORK/random.apk" "random bytes"
: > "$WORK/empty.apk"
check_broken "$WORK/empty.apk" "empty file"

expect_exit 1 "control limit is an option" "$MINT" apk info --max-control-bytes 64 "$ALPINE"
expect_stderr_line "limit" "control limit error says limit"
expect_exit 2 "a bad limit value is a usage error" "$MINT" apk info --max-data-bytes lots "$ALPINE"

trimmed=$FIX/melange/pkg/sca/testdata/neon-4604-r0.apk
expect_exit 1 "datahash mismatch is caught" "$MINT" apk info "$trimmed"
expect_stderr_line "datahash" "datahash error line"

expect_exit 1 "a missing file" "$MINT" apk info "$WORK/nope.apk"
expect_stderr_line "nope.apk: cannot open" "missing file names it"
finish
