# SPDX-License-Identifier: Apache-2.0
# mint show-packages on apko's own test config and the melange-signed repository.
. "$(dirname "$0")/lib.sh"
need_fixtures

CLI=$FIX/apko/internal/cli
expect_exit 0 "apko's testdata config resolves for both arches" \
	sh -c "cd '$CLI' && exec '$MINT' show-packages --cache-dir '$WORK/cache' testdata/apko.yaml"
expect_stdout $'# x86_64\npretend-baselayout 1.0.0-r0\nreplayout 1.0.0-r0\n# aarch64\npretend-baselayout 1.0.0-r0\nreplayout 1.0.0-r0' \
	"apko's default \"NAME VERSION\" per arch, in install order"
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
expect_exit 0 "--format packagelock" \
	sh -c "cd '$CLI' && exec '$MINT' show-packages --cache-dir '$WORK/cache' --format packagelock --arch x86_64 testdata/apko.yaml"
expect_stdout $'- pretend-baselayout=1.0.0-r0\n- replayout=1.0.0-r0' "packagelock lines paste into a YAML list"
expect_exit 0 "a template with .Source" \
	sh -c "cd '$CLI' && exec '$MINT' show-packages --cache-dir '$WORK/cache' --format '{{.Name}}@{{ .Source }}' --arch x86_64 testdata/apko.yaml"
grep -q '^replayout@file:///.*/x86_64/replayout-1.0.0-r0.apk$' "$WORK/out" && pass "the template gives the URL" \
	|| fail "template output: $(cat "$WORK/out")"
expect_exit 2 "a Go template mint cannot run" "$MINT" show-packages --format '{{range .}}x{{end}}' "$WORK/missing.yaml"
finish
