# SPDX-License-Identifier: Apache-2.0
# mint apk info / verify / contents / index show on real packages and indexes.
. "$(dirname "$0")/lib.sh"
need_fixtures

T=$FIX/apko/pkg/apk/apk/testdata
ALPINE=$T/alpine-316/alpine-baselayout-3.2.0-r23.apk
AKEYS=$FIX/go-apk/pkg/apk/repo_test.go.extracted
REPO=$FIX/apko/internal/cli/testdata/packages
MKEY=$FIX/apko/internal/cli/testdata/melange.rsa.pub

expect_exit 0 "info on the Alpine package" "$MINT" apk info -k "$AKEYS" "$ALPINE"
grep -q '^identity: *Q1LLq2qDNrS/qRnhxQ3hsY/sHbQnc=$' "$WORK/out" && pass "info shows the Q1 identity" || fail "identity line: $(grep identity "$WORK/out")"
grep -q '^trust: *verified$' "$WORK/out" && pass "info says verified" || fail "trust line: $(grep trust "$WORK/out")"

expect_exit 0 "info --json" "$MINT" apk info --json "$ALPINE"
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d["identity"]=="Q1LLq2qDNrS/qRnhxQ3hsY/sHbQnc=" and d["package"]["name"]=="alpine-baselayout" and d["trust"]=="not checked"' "$WORK/out" \
	&& pass "info --json has identity, name and trust" || fail "info --json: $(head -c 300 "$WORK/out")"

expect_exit 0 "verify the Alpine package" "$MINT" apk verify --keyring "$AKEYS" "$ALPINE"
grep -q ": OK (alpine-baselayout-3.2.0-r23 Q1LLq2qDNrS/qRnhxQ3hsY/sHbQnc=, signed by alpine-devel@lists.alpinelinux.org-616ae350.rsa.pub)$" "$WORK/out" \
	&& pass "verify prints one OK line" || fail "verify output: $(cat "$WORK/out")"

expect_exit 0 "verify the melange repository (packages and indexes, both arches)" \
	"$MINT" apk verify -k "$MKEY" "$REPO"/x86_64/*.apk "$REPO"/aarch64/*.apk "$REPO"/x86_64/APKINDEX.tar.gz "$REPO"/aarch64/APKINDEX.tar.gz
[ "$(grep -c ': OK ' "$WORK/out")" -eq 10 ] && pass "10 OK lines" || fail "verify lines: $(cat "$WORK/out")"

expect_exit 0 "verify the RSA256 index" "$MINT" apk verify -k "$T/rsa256-signed/test-rsa256.rsa.pub" "$T/rsa256-signed/APKINDEX.tar.gz"
expect_exit 0 "verify the three-signature index" "$MINT" apk verify -k "$T/signing/keys" "$T/signing/APKINDEX.tar.gz"

expect_exit 1 "verify fails with the wrong key" "$MINT" apk verify -k "$MKEY" "$ALPINE"
grep -q "FAILED: .*no signature by a trusted key" "$WORK/out" && pass "wrong key: says untrusted" || fail "wrong key output: $(cat "$WORK/out")"

expect_exit 1 "one bad file among good ones fails the run" "$MINT" apk verify -k "$MKEY" "$REPO"/x86_64/replayout-1.0.0-r0.apk "$ALPINE"
[ "$(wc -l < "$WORK/out")" -eq 2 ] && pass "one line per file" || fail "lines: $(cat "$WORK/out")"

expect_exit 2 "verify without a keyring is a usage error" "$MINT" apk verify "$ALPINE"

expect_exit 0 "contents lists paths" "$MINT" apk contents "$ALPINE"
grep -qx 'etc/crontabs/root' "$WORK/out" && pass "contents has etc/crontabs/root" || fail "contents: $(head -5 "$WORK/out")"
expect_exit 0 "contents --long" "$MINT" apk contents --long "$ALPINE"
grep -Eq '^drwxr-xr-x 0/0 +0 [0-9-]+ [0-9:]+ etc$' "$WORK/out" && pass "contents --long shows a directory like tar -tv" || fail "contents -l: $(head -3 "$WORK/out")"
expect_exit 0 "contents --json" "$MINT" apk contents --json "$ALPINE"
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert all("data_offset" in e for e in d); assert any(e["path"]=="etc/crontabs/root" and e["mode"]==0o600 and len(e["sha1"])==40 for e in d)' "$WORK/out" \
	&& pass "contents --json has offsets and checksums" || fail "contents --json"

expect_exit 0 "index show with a keyring" "$MINT" apk index show -k "$MKEY" "$REPO/x86_64"
grep -q '^P:replayout$' "$WORK/out" && pass "index show prints records" || fail "index show: $(head -5 "$WORK/out")"
grep -q 'verified' "$WORK/err" && pass "index show reports the verdict on stderr" || fail "index show stderr: $(cat "$WORK/err")"
expect_exit 1 "index show with the wrong key" "$MINT" apk index show -k "$AKEYS" "$REPO/x86_64"
expect_stderr_line "^mint: .*APKINDEX.tar.gz: no signature by a trusted key" "wrong key: one error line"
expect_exit 0 "index show --json" "$MINT" apk index show --json "$REPO/aarch64/APKINDEX.tar.gz"
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert len(d["packages"])==4' "$WORK/out" && pass "index --json lists 4 packages" || fail "index --json"
finish
