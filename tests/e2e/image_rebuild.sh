# SPDX-License-Identifier: Apache-2.0
# mint rebuild and mint diff on builds of apko's own test config: a layout,
# a tag in it and a tar each rebuild to MATCH, with SOURCE_DATE_EPOCH and
# without (tests/conformance/conf_rebuild.c covers --build-date too);
# builds that differ in SOURCE_DATE_EPOCH, environment and paths diff to the
# fields and files that changed; apko's golden layout and an image with
# added certificates rebuild to DIFFERS, the latter with a note saying why.
. "$(dirname "$0")/lib.sh"
need_fixtures
CLI=$FIX/apko/internal/cli
in_cli() { (cd "$CLI" && "$@"); }
build() { # build OUT CONFIG [options...]
	local out=$1 cfg=$2; shift 2
	in_cli "$MINT" build --cache-dir "$WORK/cache" "$@" "$cfg" example.org/test:v1 "$out" \
		>"$WORK/build.out" 2>"$WORK/build.err" || fail "mint build $cfg: $(cat "$WORK/build.err")"
	cat "$WORK/build.out"
}
has_line() { # has_line REGEX DESC: stdout of the last command has a matching line
	grep -Eq -- "$1" "$WORK/out" && pass "$2" || fail "$2: no line matching /$1/ in: $(head -c 1500 "$WORK/out")"
}
export SOURCE_DATE_EPOCH=1700000000

# ---- MATCH: layout, layout:tag, tar ----
mkdir -p "$WORK/layout"
DIGEST=$(build "$WORK/layout" testdata/apko.yaml)
expect_exit 0 "mint rebuild LAYOUT" in_cli "$MINT" rebuild --cache-dir "$WORK/cache" "$WORK/layout"
expect_stdout "MATCH $DIGEST" "prints MATCH and the index digest"
expect_exit 0 "mint rebuild LAYOUT:TAG" in_cli "$MINT" rebuild --cache-dir "$WORK/cache" "$WORK/layout:v1"
expect_stdout "MATCH $DIGEST" "the tagged image matches"
expect_exit 2 "a tag the layout lacks is trouble" in_cli "$MINT" rebuild --cache-dir "$WORK/cache" "$WORK/layout:v2"
expect_stderr_line 'no entry is named "v2"' "the error names the tag"
build "$WORK/image.tar" testdata/apko.yaml >/dev/null
expect_exit 0 "mint rebuild --offline TAR" in_cli "$MINT" rebuild --offline --cache-dir "$WORK/cache" "$WORK/image.tar"
expect_stdout "MATCH $DIGEST" "the tar matches offline"
expect_exit 0 "mint rebuild --output DIR" in_cli "$MINT" rebuild --cache-dir "$WORK/cache" -o "$WORK/kept" "$WORK/layout"
expect_exit 0 "the kept rebuild diffs as identical" "$MINT" diff "$WORK/layout" "$WORK/kept"
expect_stdout "" "and mint diff prints nothing"

unset SOURCE_DATE_EPOCH
mkdir -p "$WORK/undated"
U=$(build "$WORK/undated" testdata/apko.yaml)
expect_exit 0 "rebuild of a build with no date" in_cli "$MINT" rebuild --cache-dir "$WORK/cache" "$WORK/undated"
expect_stdout "MATCH $U" "matches"

# ---- mint diff ----
expect_exit 1 "diff of builds with other SOURCE_DATE_EPOCH" "$MINT" diff "$WORK/layout" "$WORK/undated"
has_line '^linux/amd64 config created: "2023-11-14T22:13:20Z" -> "1970-01-01T00:00:00Z"$' "lists created (amd64)"
has_line '^linux/arm64 config created: ' "lists created (arm64)"
has_line '^index annotations\["org.opencontainers.image.created"\]: ' "lists the index's created annotation"
grep -Eq ' (added|removed|changed) ' "$WORK/out" && fail "no file differs, yet files are listed" \
	|| pass "no file lines: the layers are the same"

cp "$CLI/testdata/apko.yaml" "$WORK/changed.yaml"
cat >> "$WORK/changed.yaml" <<'YAML'
environment:
  FOO: bar
paths:
  - path: /data
    type: directory
    uid: 1000
    gid: 1000
    permissions: 0o750
  - path: /etc/os-release
    type: permissions
    permissions: 0o600
YAML
export SOURCE_DATE_EPOCH=1700000000
mkdir -p "$WORK/changed"
C=$(build "$WORK/changed" "$WORK/changed.yaml")
expect_exit 1 "diff of builds with other environment and paths" "$MINT" diff "$WORK/layout" "$WORK/changed"
has_line '^linux/amd64 config config\.Env: \[.*\] -> \["FOO=bar",' "lists config.Env"
has_line '^linux/amd64 added data: dir 0750 1000:1000 ' "lists the added directory with mode and owner"
has_line '^linux/arm64 changed etc/os-release: mode 0644 -> 0600$' "lists the mode change"
has_line '^linux/amd64 changed etc/apko\.json: size ' "lists the locked config's change"
expect_exit 0 "the changed config rebuilds too" in_cli "$MINT" rebuild --cache-dir "$WORK/cache" "$WORK/changed"
expect_stdout "MATCH $C" "matches"

# ---- DIFFERS ----
expect_exit 1 "rebuild of apko's golden layout" in_cli "$MINT" rebuild --cache-dir "$WORK/cache" testdata/golden
head -1 "$WORK/out" | grep -Eq '^DIFFERS original sha256:[0-9a-f]{64} rebuilt sha256:[0-9a-f]{64}$' \
	&& pass "first line: DIFFERS with both digests" || fail "first line: $(head -1 "$WORK/out")"
has_line '^linux/amd64 config author: "github.com/chainguard-dev/apko" -> "mint"$' "names the author field"

if openssl req -x509 -newkey rsa:2048 -nodes -subj /CN=mint-test -days 2 \
	-keyout "$WORK/ca.key" -out "$WORK/ca.crt" >/dev/null 2>&1; then
	cp "$CLI/testdata/apko.yaml" "$WORK/certs.yaml"
	{ echo "certificates:"; echo "  additional:"; echo "    - name: corp"; echo "      content: |"
	  sed 's/^/        /' "$WORK/ca.crt"; } >> "$WORK/certs.yaml"
	mkdir -p "$WORK/certs"
	build "$WORK/certs" "$WORK/certs.yaml" >/dev/null
	expect_exit 1 "rebuild of an image with added certificates" in_cli "$MINT" rebuild --cache-dir "$WORK/cache" "$WORK/certs"
	has_line '^linux/amd64 removed usr/local/share/ca-certificates/corp-[0-9a-f]{64}\.crt: file ' "lists the certificate it cannot rebuild"
	grep -q "^note: the original has certificates added by" "$WORK/err" && pass "notes that etc/apko.json drops certificates" \
		|| fail "no note: $(cat "$WORK/err")"
else
	echo "skipped: openssl cannot make a certificate"
fi

cp "$CLI/testdata/apko.yaml" "$WORK/vcs.yaml"
echo 'vcs-url: https://example.com/mint.git@0123456789abcdef' >> "$WORK/vcs.yaml"
mkdir -p "$WORK/vcs"
V=$(build "$WORK/vcs" "$WORK/vcs.yaml")
expect_exit 0 "rebuild of an image built with vcs-url" in_cli "$MINT" rebuild --cache-dir "$WORK/cache" "$WORK/vcs"
expect_stdout "MATCH $V" "matches: vcs-url comes back from the labels"
grep -q "^note: vcs-url taken from the image's source and revision labels" "$WORK/err" \
	&& pass "and says so" || fail "no vcs note: $(cat "$WORK/err")"

# ---- trouble ----
expect_exit 2 "rebuild away from the build's directory cannot read its keyring" \
	"$MINT" rebuild --cache-dir "$WORK/cache" "$WORK/layout"
grep -q "melange.rsa.pub" "$WORK/err" && pass "the error names the key file" || fail "stderr: $(cat "$WORK/err")"
expect_exit 2 "diff with a missing image" "$MINT" diff "$WORK/layout" "$WORK/nothing-here"
expect_exit 2 "diff with one argument is a usage error" "$MINT" diff "$WORK/layout"
finish
