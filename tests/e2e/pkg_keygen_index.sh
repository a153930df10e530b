# SPDX-License-Identifier: Apache-2.0
# mint pkg keygen / index / sign-index / sign: a key made here signs an index
# over melange's fixture packages and the packages themselves, and
# mint apk verify accepts both with that key only.
. "$(dirname "$0")/lib.sh"
need_fixtures

REPO=$FIX/apko/internal/cli/testdata/packages/x86_64
MKEY=$FIX/apko/internal/cli/testdata/melange.rsa
cd "$WORK" || exit 1
mkdir repo keys
cp "$REPO"/*.apk repo/

expect_exit 0 "keygen writes a key pair" "$MINT" pkg keygen --key-size 2048 test
[ -f test.rsa ] && [ -f test.rsa.pub ] && pass "test.rsa and test.rsa.pub exist" || fail "key files missing"
[ "$(stat -c %a test.rsa)" = 600 ] && pass "private key is 0600" || fail "private key mode $(stat -c %a test.rsa)"
grep -q 'BEGIN RSA PRIVATE KEY' test.rsa && pass "private key is PKCS#1 PEM" || fail "private key PEM"
cp test.rsa.pub keys/
expect_exit 1 "keygen refuses to replace a key" "$MINT" pkg keygen --key-size 2048 test
expect_stderr_line '^mint: .*test\.rsa: already exists' "keygen says which file exists"
expect_exit 2 "keygen refuses a small key" "$MINT" pkg keygen --key-size 1024 small

expect_exit 0 "index over the fixture packages" "$MINT" pkg index -o repo/APKINDEX.tar.gz repo/*.apk
expect_exit 1 "the unsigned index does not verify" "$MINT" apk verify -k keys repo/APKINDEX.tar.gz
expect_exit 0 "sign-index with the new key" "$MINT" pkg sign-index --signing-key test.rsa repo/APKINDEX.tar.gz
expect_exit 0 "apk verify accepts the index with the new key" "$MINT" apk verify -k keys repo/APKINDEX.tar.gz
grep -q 'index of 4 packages, signed by test.rsa.pub' "$WORK/out" && pass "verify names the new key" || fail "verify: $(cat "$WORK/out")"
expect_exit 0 "index show lists replayout" "$MINT" apk index show -k keys repo
grep -q '^P:replayout$' "$WORK/out" && pass "index records readable" || fail "index show: $(head -5 "$WORK/out")"

expect_exit 0 "sign-index on a signed index without -f changes nothing" "$MINT" pkg sign-index --signing-key "$MKEY" repo/APKINDEX.tar.gz
expect_exit 0 "still signed by the new key" "$MINT" apk verify -k keys repo/APKINDEX.tar.gz
expect_exit 0 "sign-index -f replaces the signature" "$MINT" pkg sign-index --signing-key "$MKEY" -f repo/APKINDEX.tar.gz
expect_exit 1 "the new key no longer verifies it" "$MINT" apk verify -k keys repo/APKINDEX.tar.gz

expect_exit 0 "index --signing-key signs in one step" "$MINT" pkg index -o repo/APKINDEX.tar.gz --signing-key test.rsa --description "test repo" repo/*.apk
expect_exit 0 "apk verify accepts it" "$MINT" apk verify -k keys repo/APKINDEX.tar.gz

expect_exit 0 "sign re-signs packages with the new key" "$MINT" pkg sign -k test.rsa repo/*.apk
expect_exit 0 "apk verify accepts the packages and the index" "$MINT" apk verify -k keys repo/*.apk repo/APKINDEX.tar.gz
[ "$(grep -c ': OK ' "$WORK/out")" -eq 5 ] && pass "5 OK lines" || fail "verify: $(cat "$WORK/out")"

cp repo/APKINDEX.tar.gz before.tar.gz
expect_exit 1 "index over a missing package fails" "$MINT" pkg index -o repo/APKINDEX.tar.gz repo/nope.apk
expect_stderr_line '^mint: .*nope\.apk' "the error names the package"
cmp -s before.tar.gz repo/APKINDEX.tar.gz && pass "the old index is left as it was" || fail "index changed after a failure"
expect_exit 2 "index without -o is a usage error" "$MINT" pkg index repo/*.apk
expect_exit 2 "sign without a key is a usage error" "$MINT" pkg sign repo/*.apk

finish
