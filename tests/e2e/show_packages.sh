# SPDX-License-Identifier: Apache-2.0
# mint show-packages on apko's own test config and the melange-signed repository.
. "$(dirname "$0")/lib.sh"
need_fixtures

CLI=$FIX/apko/internal/cli
expect_exit 0 "apko's testdata config resolves for both arches" \
	sh -c "cd '$CLI' && exec '$MINT' show-packages --cache-dir '$WORK/cache' testdata/apko.yaml"
expect_stdout $'# x86_64\npretend-baselayout-1.0.0-r0\nreplayout-1.0.0-r0\n# aarch64\npretend-baselayout-1.0.0-r0\nreplayout-1.0.0-r0' \
	"name-version per arch, in install order"
expect_exit 0 "--format name=version --arch aarch64" \
	sh -c "cd '$CLI' && exec '$MINT' show-packages --cache-dir '$WORK/cache' --format name=version --arch aarch64 testdata/apko.yaml"
expect_stdout $'pretend-baselayout=1.0.0-r0\nreplayout=1.0.0-r0' "one arch, name=version"

cat > "$WORK/missing.yaml" <<YAML
contents:
  keyring: [ $CLI/testdata/melange.rsa.pub ]
  repositories: [ $CLI/testdata/packages ]
  packages: [ replayout, no-such-package ]
archs: [ x86_64 ]
YAML
expect_exit 1 "a package no repository has" "$MINT" show-packages --cache-dir "$WORK/cache" "$WORK/missing.yaml"
head -1 "$WORK/err" | grep -q "^mint: x86_64: unable to select packages: no-such-package (no such package)" \
	&& pass "one error line names the package" || fail "error: $(cat "$WORK/err")"
grep -q "required by: world\[no-such-package\]" "$WORK/err" && pass "apk's explanation follows" || fail "explanation: $(cat "$WORK/err")"
expect_exit 1 "a missing config" "$MINT" show-packages "$WORK/nope.yaml"
expect_stderr_line "nope.yaml: cannot open" "names the missing file"
expect_exit 2 "a bad --format" "$MINT" show-packages --format json "$WORK/missing.yaml"
finish
