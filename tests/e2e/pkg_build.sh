# SPDX-License-Identifier: Apache-2.0
# mint pkg build end to end: recipes built with the host runner into a
# signed repository that mint's own checks accept, byte-identical rebuilds,
# the bad inputs the issue lists (each one clear error, nothing left in the
# output directory), and a build in a sandbox whose root is an image made
# from a repository of this machine's static busybox.
. "$(dirname "$0")/lib.sh"
command -v bwrap >/dev/null || { echo "skipped: bwrap not installed (scripts/deps.sh)"; exit 77; }
bwrap --ro-bind / / --unshare-all true 2>/dev/null || { echo "skipped: bwrap cannot make namespaces here"; exit 77; }
export SOURCE_DATE_EPOCH=1700000000
R=$WORK/recipes
mkdir -p "$R/hello"
cd "$WORK"
expect_exit 0 "pkg keygen" "$MINT" pkg keygen "$WORK/key"
printf 'payload\n' > "$R/hello/data.txt"
cat > "$R/hello.yaml" <<'YAML'
package:
  name: hello
  version: 1.2.3
  epoch: 4
  description: a test package
  copyright:
    - license: Apache-2.0
  dependencies:
    runtime: [ other-package ]
pipeline:
  - runs: |
      mkdir -p "${{targets.destdir}}/usr/bin" "${{targets.destdir}}/usr/share/hello"
      printf '#!/bin/sh\necho hi\n' > "${{targets.destdir}}/usr/bin/hello"
      chmod 755 "${{targets.destdir}}/usr/bin/hello"
      cp data.txt "${{targets.destdir}}/usr/share/hello/"
      ln -s hello "${{targets.destdir}}/usr/bin/hi"
subpackages:
  - name: hello-extra
    pipeline:
      - runs: |
          mkdir -p "${{targets.subpkgdir}}/etc"
          echo "${{package.full-version}} ${{build.arch}}" > "${{targets.subpkgdir}}/etc/hello-extra"
YAML
build() { "$MINT" pkg build -q --runner host --signing-key "$WORK/key.rsa" "$@"; }
expect_exit 0 "build a recipe with a subpackage (host runner)" build --out-dir "$WORK/pkgs" "$R/hello.yaml"
ARCH=$(ls "$WORK/pkgs")
A=$WORK/pkgs/$ARCH
[ -f "$A/hello-1.2.3-r4.apk" ] && [ -f "$A/hello-extra-1.2.3-r4.apk" ] && [ -f "$A/APKINDEX.tar.gz" ] \
	&& pass "packages and index in OUT/ARCH" || fail "outputs: $(ls -R "$WORK/pkgs")"
expect_exit 0 "mint apk verify accepts packages and index" "$MINT" apk verify --keyring "$WORK/key.rsa.pub" \
	"$A"/*.apk "$A/APKINDEX.tar.gz"
expect_exit 0 "apk info" "$MINT" apk info "$A/hello-1.2.3-r4.apk"
grep -q "cmd:hello=1.2.3-r4" "$WORK/out" && pass "cmd: provide for usr/bin/hello" || fail "no cmd: provide: $(cat "$WORK/out")"
grep -q "other-package" "$WORK/out" && pass "runtime dependency kept" || fail "no runtime dep: $(cat "$WORK/out")"
expect_exit 0 "apk contents" "$MINT" apk contents "$A/hello-1.2.3-r4.apk"
grep -q "var/lib/db/sbom/hello-1.2.3-r4.spdx.json" "$WORK/out" && pass "the package carries its SBOM" \
	|| fail "no SBOM in contents: $(cat "$WORK/out")"
expect_exit 0 "apk contents of the subpackage" "$MINT" apk contents "$A/hello-extra-1.2.3-r4.apk"
grep -q "etc/hello-extra" "$WORK/out" && pass "subpackage holds its own files" || fail "$(cat "$WORK/out")"

mkdir -p "$WORK/elsewhere"
( cd "$WORK/elsewhere" && umask 077 && TZ=Pacific/Auckland build --out-dir "$WORK/pkgs2" "$R/hello.yaml" ) >/dev/null 2>&1
for p in hello-1.2.3-r4.apk hello-extra-1.2.3-r4.apk APKINDEX.tar.gz; do
	cmp -s "$A/$p" "$WORK/pkgs2/$ARCH/$p" && pass "$p is byte-identical across directory, umask and TZ" \
		|| fail "$p differs between two builds"
done

# The split pipelines, run for real.
cat > "$R/splits.yaml" <<'YAML'
package: { name: splits, version: 1.0.0, epoch: 0 }
pipeline:
  - runs: |
      d="${{targets.destdir}}"
      mkdir -p "$d/usr/bin" "$d/usr/lib" "$d/usr/share/man/man1"
      echo tool > "$d/usr/bin/tool"
      echo lib > "$d/usr/lib/libx.so.1.0"
      ln -s libx.so.1.0 "$d/usr/lib/libx.so.1"
      ln -s libx.so.1 "$d/usr/lib/libx.so"
      echo page > "$d/usr/share/man/man1/tool.1"
subpackages:
  - name: splits-bin
    pipeline: [ { uses: split/bin } ]
  - name: splits-libs
    pipeline: [ { uses: split/lib } ]
  - name: splits-doc
    pipeline: [ { uses: split/manpages } ]
YAML
expect_exit 0 "split/bin, split/lib and split/manpages" build --out-dir "$WORK/splits" "$R/splits.yaml"
contents() { "$MINT" apk contents "$WORK/splits/$ARCH/$1-1.0.0-r0.apk" | grep -v '^var/lib/db/sbom' | tr '\n' ' '; }
[ "$(contents splits)" = "usr usr/lib usr/lib/libx.so usr/share var var/lib var/lib/db " ] \
	&& pass "the main package keeps the .so link" || fail "splits: $(contents splits)"
[[ "$(contents splits-bin)" == *"usr/bin/tool"* ]] && pass "split/bin moved usr/bin" || fail "splits-bin: $(contents splits-bin)"
[[ "$(contents splits-libs)" == *"usr/lib/libx.so.1 usr/lib/libx.so.1.0"* ]] && pass "split/lib moved the versioned library" \
	|| fail "splits-libs: $(contents splits-libs)"
[[ "$(contents splits-doc)" == *"usr/share/man/man1/tool.1"* ]] && pass "split/manpages moved the page" \
	|| fail "splits-doc: $(contents splits-doc)"

# Bad input: one clear error, nothing in the output directory.
bad() {
	local desc=$1 regex=$2 file=$3
	rm -rf "$WORK/bad"
	expect_exit 1 "$desc" build --out-dir "$WORK/bad" "$file"
	grep -Eq -- "$regex" "$WORK/err" && pass "$desc: says why" || fail "$desc: stderr: $(cat "$WORK/err")"
	[ -z "$(find "$WORK/bad" -name '*.apk' -o -name 'APKINDEX*' 2>/dev/null)" ] \
		&& pass "$desc: no package or index left" || fail "$desc: left $(find "$WORK/bad")"
}
sed 's/description: a test package/descripton: a test package/' "$R/hello.yaml" > "$R/typo.yaml"
bad "a typo in a field" 'typo.yaml:[0-9]+:[0-9]+:.*descripton' "$R/typo.yaml"
cat > "$R/noinput.yaml" <<'YAML'
package: { name: noinput, version: 1.0.0, epoch: 0 }
pipeline:
  - uses: fetch
    with:
      expected-sha256: 0000000000000000000000000000000000000000000000000000000000000000
YAML
bad "a missing required input" 'uri' "$R/noinput.yaml"
cat > "$R/failing.yaml" <<'YAML'
package: { name: failing, version: 1.0.0, epoch: 0 }
pipeline:
  - name: the step that breaks
    runs: |
      echo "about to fail: boom"
      exit 3
YAML
bad "a failing step" "the step that breaks.*exit status 3" "$R/failing.yaml"
grep -q "about to fail: boom" "$WORK/err" && pass "a failing step shows the tail of its output" \
	|| fail "no output tail: $(cat "$WORK/err")"
printf 'source bytes\n' > "$WORK/src.txt"
cat > "$R/badhash.yaml" <<YAML
package: { name: badhash, version: 1.0.0, epoch: 0 }
pipeline:
  - uses: fetch
    with:
      uri: file://$WORK/src.txt
      expected-sha256: 1111111111111111111111111111111111111111111111111111111111111111
      extract: false
YAML
bad "a fetch whose hash does not match" "sha256" "$R/badhash.yaml"
cat > "$R/escape.yaml" <<'YAML'
package: { name: escape, version: 1.0.0, epoch: 0 }
pipeline:
  - working-directory: ../../../etc
    runs: touch "${{targets.destdir}}/x"
YAML
bad "a working directory escaping the workspace" "outside the workspace|escapes" "$R/escape.yaml"

# fetch: file:// source, checked, extracted by the pipeline.
mkdir -p "$WORK/srctree/proj-1.0/sub"
printf 'from the tarball\n' > "$WORK/srctree/proj-1.0/sub/file.txt"
tar -C "$WORK/srctree" -czf "$WORK/proj-1.0.tar.gz" proj-1.0
SUM=$(sha256sum "$WORK/proj-1.0.tar.gz" | cut -d' ' -f1)
cat > "$R/fetched.yaml" <<YAML
package: { name: fetched, version: 1.0.0, epoch: 0 }
pipeline:
  - uses: fetch
    with:
      uri: file://$WORK/proj-1.0.tar.gz
      expected-sha256: $SUM
  - runs: |
      mkdir -p "\${{targets.destdir}}/usr/share"
      cp sub/file.txt "\${{targets.destdir}}/usr/share/file.txt"
YAML
expect_exit 0 "fetch a file:// tarball and extract it" build --out-dir "$WORK/pkgs" "$R/fetched.yaml"
expect_exit 0 "its contents" "$MINT" apk contents "$A/fetched-1.0.0-r0.apk"
grep -q "usr/share/file.txt" "$WORK/out" && pass "the fetched file is in the package" || fail "$(cat "$WORK/out")"

# fetch over HTTP from a real server on 127.0.0.1: downloaded by mint on the
# host (the sandbox has no network), checked, then extracted.
mkdir -p "$WORK/www"
cp "$WORK/proj-1.0.tar.gz" "$WORK/www/"
coproc SRV { exec python3 "$(dirname "$0")/../http_server.py" "$WORK/www"; }
SRV_PID=$SRV_PID
trap 'kill "$SRV_PID" 2>/dev/null; rm -rf "$WORK"' EXIT
if read -r -t 10 word PORT <&"${SRV[0]}"; then
	sed "s|file://$WORK/proj-1.0.tar.gz|http://127.0.0.1:$PORT/proj-1.0.tar.gz|; s|name: fetched|name: fetched-http|" \
		"$R/fetched.yaml" > "$R/fetched-http.yaml"
	expect_exit 0 "fetch an http:// tarball and extract it" build --out-dir "$WORK/pkgs" "$R/fetched-http.yaml"
	expect_exit 0 "its contents" "$MINT" apk contents "$A/fetched-http-1.0.0-r0.apk"
	grep -q "usr/share/file.txt" "$WORK/out" && pass "the file fetched over HTTP is in the package" \
		|| fail "$(cat "$WORK/out")"
	sed "s|expected-sha256: .*|expected-sha256: $(printf '%064d' 0)|" "$R/fetched-http.yaml" > "$R/http-bad.yaml"
	bad "an http:// fetch whose hash does not match" "sha256" "$R/http-bad.yaml"
else
	fail "the HTTP server did not start"
fi
kill "$SRV_PID" 2>/dev/null; wait "$SRV_PID" 2>/dev/null

# The bwrap runner: an environment made from a repository of this machine's static busybox.
BB=""
for c in /bin/busybox /usr/bin/busybox; do [ -x "$c" ] && BB=$c && break; done
if [ -n "$BB" ] && ldd "$BB" 2>&1 | grep -q "not a dynamic"; then
	cat > "$R/bb.yaml" <<YAML
package: { name: busybox, version: 1.0.0, epoch: 0 }
pipeline:
  - runs: |
      install -D -m 0755 $BB "\${{targets.destdir}}/bin/busybox"
      mkdir -p "\${{targets.destdir}}/etc/busybox-paths.d"
      printf '/bin/sh\n/bin/cat\n/bin/mkdir\n/bin/echo\n/bin/id\n' > "\${{targets.destdir}}/etc/busybox-paths.d/busybox"
YAML
	expect_exit 0 "package the static busybox" build --out-dir "$WORK/repo" "$R/bb.yaml"
	cat > "$R/inside.yaml" <<'YAML'
package: { name: inside, version: 1.0.0, epoch: 0 }
environment:
  contents:
    packages: [ busybox ]
pipeline:
  - runs: |
      mkdir -p "${{targets.destdir}}/etc"
      { cat /etc/passwd; echo "arch ${{build.arch}}"; } > "${{targets.destdir}}/etc/seen"
      test ! -e /usr/bin/apt
test:
  environment:
    contents:
      packages: [ busybox ]
  pipeline:
    - runs: grep -q "arch" /etc/seen
YAML
	E=(-r "$WORK/repo" -k "$WORK/key.rsa.pub" --cache-dir "$WORK/cache")
	expect_exit 0 "build inside a sandbox made from the repository" "$MINT" pkg build -q "${E[@]}" \
		--signing-key "$WORK/key.rsa" --out-dir "$WORK/repo" "$R/inside.yaml"
	expect_exit 0 "pkg test installs the package and runs its test" "$MINT" pkg test -q "${E[@]}" \
		--out-dir "$WORK/repo" "$R/inside.yaml"
else
	echo "note: no static busybox, the bwrap-runner part is not run"
fi
finish
