# SPDX-License-Identifier: Apache-2.0
# mint sbom on existing images: apko's golden layout (as a directory and as a
# tar of it) and an image mint builds (layout and tar). The same image must
# give the same documents byte for byte however it is stored and however
# often it is read; formats, --sbom-files, DIR:TAG and bad input as the usage
# text says. (The documents' schemas are checked by the writers' own tests.)
. "$(dirname "$0")/lib.sh"
need_fixtures
CLI=$FIX/apko/internal/cli
GOLDEN=$CLI/testdata/golden
unset SOURCE_DATE_EPOCH
ALL="sbom-aarch64.cdx.json sbom-aarch64.spdx.json sbom-index.cdx.json sbom-index.spdx.json sbom-x86_64.cdx.json sbom-x86_64.spdx.json"

listing() { ls "$1" | tr '\n' ' ' | sed 's/ $//'; }

expect_exit 0 "apko's golden layout, with files" "$MINT" sbom --sbom-path "$WORK/dir" --sbom-files "$GOLDEN"
[ "$(listing "$WORK/dir")" = "$ALL" ] && pass "per-arch and index documents in both formats" \
	|| fail "files written: $(listing "$WORK/dir")"
[ "$(sort "$WORK/out" | tr '\n' ' ')" = "$(for f in $ALL; do printf '%s ' "$WORK/dir/$f"; done)" ] \
	&& pass "stdout lists the paths written" || fail "stdout: $(cat "$WORK/out")"
bad_json=0
for f in "$WORK"/dir/*; do "$MINT_PYTHON" -m json.tool "$f" >/dev/null 2>&1 || bad_json=1; done
[ $bad_json -eq 0 ] && pass "every document is JSON" || fail "a document is not JSON"
for f in sbom-x86_64.spdx.json sbom-aarch64.cdx.json; do
	grep -q 'replayout' "$WORK/dir/$f" && grep -q 'pretend-baselayout' "$WORK/dir/$f" \
		&& pass "$f names both installed packages" || fail "$f lacks a package"
	grep -q 'db/sbom/replayout-1.0.0-r0.spdx.json' "$WORK/dir/$f" && grep -q 'etc/apk/world' "$WORK/dir/$f" \
		&& pass "$f lists package files and mint's files" || fail "$f lacks files"
done

expect_exit 0 "the same layout again" "$MINT" sbom --sbom-path "$WORK/again" --sbom-files "$GOLDEN"
diff -r "$WORK/dir" "$WORK/again" >/dev/null && pass "a second run writes the same bytes" \
	|| fail "runs differ: $(diff -rq "$WORK/dir" "$WORK/again" | head -3)"
tar -C "$GOLDEN" -cf "$WORK/golden.tar" .
expect_exit 0 "the layout as a tar" "$MINT" sbom --sbom-path "$WORK/tar" --sbom-files "$WORK/golden.tar"
diff -r "$WORK/dir" "$WORK/tar" >/dev/null && pass "directory and tar give the same bytes" \
	|| fail "directory and tar differ: $(diff -rq "$WORK/dir" "$WORK/tar" | head -3)"

expect_exit 0 "without --sbom-files" "$MINT" sbom --sbom-path "$WORK/nofiles" "$GOLDEN"
grep -q 'etc/apk/world' "$WORK/nofiles/sbom-x86_64.spdx.json" && fail "files listed without --sbom-files" \
	|| pass "files only with --sbom-files"
grep -q 'replayout' "$WORK/nofiles/sbom-x86_64.cdx.json" && pass "packages without --sbom-files too" \
	|| fail "no packages without --sbom-files"

expect_exit 0 "--sbom-formats spdx" "$MINT" sbom --sbom-path "$WORK/spdx" --sbom-formats spdx "$GOLDEN"
[ "$(listing "$WORK/spdx")" = "sbom-aarch64.spdx.json sbom-index.spdx.json sbom-x86_64.spdx.json" ] \
	&& pass "only SPDX documents" || fail "files: $(listing "$WORK/spdx")"
cmp -s "$WORK/spdx/sbom-index.spdx.json" "$WORK/nofiles/sbom-index.spdx.json" \
	&& pass "the format choice does not change a document" || fail "spdx-only index differs"
expect_exit 0 "--sbom-formats cyclonedx" "$MINT" sbom --sbom-path "$WORK/cdx" --sbom-formats cyclonedx "$GOLDEN"
[ "$(listing "$WORK/cdx")" = "sbom-aarch64.cdx.json sbom-index.cdx.json sbom-x86_64.cdx.json" ] \
	&& pass "only CycloneDX documents" || fail "files: $(listing "$WORK/cdx")"

expect_exit 0 "DIR:TAG" "$MINT" sbom --sbom-path "$WORK/tagged" "$GOLDEN:example.org/app:1.0"
expect_exit 0 "--name" "$MINT" sbom --sbom-path "$WORK/named" --name example.org/app "$GOLDEN"
diff -r "$WORK/tagged" "$WORK/named" >/dev/null && pass "TAG names the image as --name does" \
	|| fail "DIR:TAG and --name differ"
cmp -s "$WORK/tagged/sbom-index.spdx.json" "$WORK/nofiles/sbom-index.spdx.json" \
	&& fail "the name changed nothing" || pass "the name is in the documents"

expect_exit 2 "an unknown format" "$MINT" sbom --sbom-formats spdx,xml "$GOLDEN"
expect_stderr_line "'xml' is neither spdx nor cyclonedx" "names the format"
expect_exit 2 "no IMAGE" "$MINT" sbom
expect_exit 1 "a missing image" "$MINT" sbom --sbom-path "$WORK/none" "$WORK/nope"
expect_stderr_line "nope: no such image" "one line naming it"
printf 'not a tar' > "$WORK/junk.tar"
expect_exit 1 "a file that is no image" "$MINT" sbom --sbom-path "$WORK/none" "$WORK/junk.tar"
expect_stderr_line "^mint: " "one error line"

# An image mint builds: the layout and the tar hold one image, so one SBOM.
mkdir -p "$WORK/built"
expect_exit 0 "mint build into a layout" sh -c "cd '$CLI' && exec '$MINT' build --cache-dir '$WORK/cache' testdata/apko.yaml example.org/r:1 '$WORK/built'"
expect_exit 0 "mint build into a tar" sh -c "cd '$CLI' && exec '$MINT' build --cache-dir '$WORK/cache' testdata/apko.yaml example.org/r:1 '$WORK/built.tar'"
expect_exit 0 "SBOMs of the built layout" "$MINT" sbom --sbom-path "$WORK/s-layout" --sbom-files "$WORK/built"
expect_exit 0 "SBOMs of the built tar" "$MINT" sbom --sbom-path "$WORK/s-tar" --sbom-files "$WORK/built.tar"
diff -r "$WORK/s-layout" "$WORK/s-tar" >/dev/null && pass "built layout and tar give the same SBOMs" \
	|| fail "built layout and tar differ: $(diff -rq "$WORK/s-layout" "$WORK/s-tar" | head -3)"
grep -q 'replayout' "$WORK/s-tar/sbom-x86_64.spdx.json" && pass "the built image's packages are listed" \
	|| fail "built image SBOM lacks replayout"
finish
