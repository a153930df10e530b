# SPDX-License-Identifier: Apache-2.0
# mint build on inputs that must stop the build: a package file through a
# symlink that leaves the root, two packages claiming one file, a paths
# mutation onto a missing parent, run-as naming no user. Each fails with one
# line that says what and where, and leaves neither OUT nor a .mint-build-*
# temporary behind, for OUT a tar and OUT an existing directory. The
# repository is the test's own (tests/tools/mkrepo.c, signed), so no
# fixtures are needed; a good build from it shows the failures are the
# inputs'.
. "$(dirname "$0")/lib.sh"
: "${MINT_MKREPO:?MINT_MKREPO must point at the mkrepo tool}"
REPO=$WORK/repo
"$MINT_MKREPO" "$REPO" || { echo "FAIL: mkrepo" >&2; exit 1; }
export SOURCE_DATE_EPOCH=1700000000

# config NAME PACKAGES [EXTRA YAML]: writes $WORK/NAME.yaml
config() {
	cat > "$WORK/$1.yaml" <<YAML
contents:
  keyring: [ $REPO/test.rsa.pub ]
  repositories: [ $REPO ]
  packages: [ $2 ]
archs: [ x86_64 ]
${3:-}
YAML
}

# nothing_left DESC DIR: DIR holds no .mint-build-* entry
nothing_left() {
	if [ -z "$(ls -A "$2" | grep '^\.mint-build-')" ]; then pass "$1"; else
		fail "$1: left behind in $2: $(ls -A "$2" | tr '\n' ' ')"; fi
}

# refused NAME REGEX DESC: mint build of NAME.yaml fails with one line
# matching REGEX, into a tar and into an empty directory, leaving nothing.
refused() {
	local name=$1 regex=$2 desc=$3 out=$WORK/out-$1
	mkdir -p "$out"
	expect_exit 1 "$desc: refused (tar)" \
		"$MINT" build --cache-dir "$WORK/cache" "$WORK/$name.yaml" t "$out/image.tar"
	expect_stderr_line "$regex" "$desc: the error says what and where"
	[ ! -e "$out/image.tar" ] && pass "$desc: no tar written" || fail "$desc: $out/image.tar exists"
	nothing_left "$desc: no temporary beside the tar" "$out"
	mkdir "$out/layout"
	expect_exit 1 "$desc: refused (layout)" \
		"$MINT" build --cache-dir "$WORK/cache" "$WORK/$name.yaml" t "$out/layout"
	[ -z "$(ls -A "$out/layout")" ] && pass "$desc: the layout directory stays empty" \
		|| fail "$desc: layout holds $(ls -A "$out/layout" | tr '\n' ' ')"
}

# ---- the repository works ----
config good base-files
mkdir -p "$WORK/good"
expect_exit 0 "a package that breaks nothing builds" \
	"$MINT" build --cache-dir "$WORK/cache" "$WORK/good.yaml" t "$WORK/good/image.tar"
[ -s "$WORK/good/image.tar" ] && pass "the good image is written" || fail "no good image"
nothing_left "the good build leaves no temporary" "$WORK/good"

# ---- bad input ----
config escape "base-files, escaper"
refused escape "escaper.*usr/share/up.*symlink escapes the root" "a file through a symlink out of the root"

config conflict "claim-a, claim-b"
refused conflict "usr/share/claimed.*claim-a.*claim-b|usr/share/claimed.*claim-b.*claim-a" \
	"two packages claiming one file"

config paths base-files "paths:
  - path: /no/such/dir/file
    type: permissions
    permissions: 0o600"
refused paths "paths\[0\].*/no/such/dir/file.*no such path" "a paths mutation onto a missing parent"

config runas base-files "accounts:
  run-as: nobody-here
  users: [ { username: app, uid: 1000 } ]"
refused runas "accounts.*nobody-here" "run-as naming no user"
finish
