# SPDX-License-Identifier: Apache-2.0
# mint apk resolve / fetch against the melange-signed fixture repository,
# served by a real HTTP server on 127.0.0.1, for x86_64 and aarch64.
. "$(dirname "$0")/lib.sh"
need_fixtures

REPO=$FIX/apko/internal/cli/testdata/packages
KEY=$FIX/apko/internal/cli/testdata/melange.rsa.pub
AKEYS=$FIX/go-apk/pkg/apk/repo_test.go.extracted
SERVER=$(dirname "$0")/../http_server.py
CACHE=$WORK/cache

# The server reads commands on stdin and exits when it closes; it is also
# stopped by PID at the end.
coproc SRV { exec python3 "$SERVER" "$REPO"; }
SRV_PID=$SRV_PID
trap 'kill "$SRV_PID" 2>/dev/null; rm -rf "$WORK"' EXIT
read -r -t 10 word PORT <&"${SRV[0]}" || { echo "FAIL: the HTTP server did not start" >&2; exit 1; }
URL=http://127.0.0.1:$PORT

expected=$'# x86_64\ncustom-ca-certs-1=1.0.0-r0\npretend-baselayout=1.0.0-r0\nreplayout=1.0.0-r0\n# aarch64\ncustom-ca-certs-1=1.0.0-r0\npretend-baselayout=1.0.0-r0\nreplayout=1.0.0-r0'
expect_exit 0 "resolve over HTTP for two arches" \
	"$MINT" apk resolve -r "$URL" -k "$KEY" --arch x86_64 --arch aarch64 --cache-dir "$CACHE" replayout custom-ca-certs-1
expect_stdout "$expected" "closure in install order, per arch"

expect_exit 0 "resolve the same from the directory" \
	"$MINT" apk resolve -r "$REPO" -k "$KEY" --arch x86_64,aarch64 --cache-dir "$CACHE" replayout custom-ca-certs-1
expect_stdout "$expected" "directory and HTTP agree"

expect_exit 0 "resolve --json" "$MINT" apk resolve -r "$URL" -k "$KEY" --arch x86_64 --cache-dir "$CACHE" --json replayout
python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))["archs"]["x86_64"]
assert [p["name"] for p in d] == ["pretend-baselayout", "replayout"], d
assert d[0]["why"].startswith("dependency of replayout"), d[0]
assert d[1]["why"] == "world: replayout", d[1]
assert d[1]["url"].endswith("/x86_64/replayout-1.0.0-r0.apk") and d[1]["identity"].startswith("Q1")
' "$WORK/out" && pass "json has url, identity and why" || fail "json: $(head -c 500 "$WORK/out")"

expect_exit 0 "fetch over HTTP into a directory" \
	"$MINT" apk fetch -r "$URL" -k "$KEY" --arch x86_64,aarch64 --cache-dir "$CACHE" -o "$WORK/pkgs" replayout
ok=1
for arch in x86_64 aarch64; do
	for p in pretend-baselayout replayout; do
		cmp -s "$WORK/pkgs/$arch/$p-1.0.0-r0.apk" "$REPO/$arch/$p-1.0.0-r0.apk" || ok=0
	done
done
[ $ok -eq 1 ] && pass "fetched files are the repository's bytes" || fail "fetched files differ: $(ls -R "$WORK/pkgs")"
"$MINT" apk verify -k "$KEY" "$WORK"/pkgs/*/*.apk >/dev/null && pass "fetched packages verify" || fail "fetched packages do not verify"

kill "$SRV_PID"; wait "$SRV_PID" 2>/dev/null
expect_exit 0 "offline with a warm cache needs no server" \
	"$MINT" apk fetch -r "$URL" -k "$KEY" --arch x86_64 --cache-dir "$CACHE" --offline replayout
expect_exit 1 "offline with a cold cache fails" \
	"$MINT" apk resolve -r "$URL" -k "$KEY" --arch x86_64 --cache-dir "$WORK/cold" --offline replayout
grep -q "APKINDEX.tar.gz" "$WORK/err" && pass "offline names the missing index" || fail "offline: $(cat "$WORK/err")"

expect_exit 1 "an unsatisfiable request fails" \
	"$MINT" apk resolve -r "$REPO" -k "$KEY" --arch x86_64 --cache-dir "$CACHE" replayout '!pretend-baselayout'
head -1 "$WORK/err" | grep -q "^mint: x86_64: unable to select packages: pretend-baselayout-1.0.0-r0 (apk's explanation follows)$" \
	&& pass "one error line" || fail "error line: $(head -1 "$WORK/err")"
grep -q "breaks: world\[!pretend-baselayout\]" "$WORK/err" && grep -q "satisfies: replayout-1.0.0-r0\[pretend-baselayout\]" "$WORK/err" \
	&& pass "apk's explanation says which constraint and who needs it" || fail "explanation: $(cat "$WORK/err")"

expect_exit 1 "an index signed by another key is refused" \
	"$MINT" apk resolve -r "$REPO" -k "$AKEYS" --arch x86_64 --cache-dir "$CACHE" replayout
grep -q "trusted" "$WORK/err" && pass "says untrusted" || fail "untrusted: $(cat "$WORK/err")"
expect_exit 0 "--allow-untrusted accepts it, loudly" \
	"$MINT" apk resolve -r "$REPO" -k "$AKEYS" --allow-untrusted --arch x86_64 --cache-dir "$CACHE" replayout
grep -q "WARNING: --allow-untrusted" "$WORK/err" && pass "warning on stderr" || fail "no warning"
expect_exit 2 "no repository is a usage error" "$MINT" apk resolve -k "$KEY" replayout
expect_exit 2 "a bad constraint is a usage error" "$MINT" apk resolve -r "$REPO" -k "$KEY" 'a>=>1'
finish
