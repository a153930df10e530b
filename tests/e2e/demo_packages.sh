# SPDX-License-Identifier: Apache-2.0
# The offline demo `make demo` starts with (scripts/demo-packages.sh), run
# on a copy of the project's scripts and examples: keygen, the bootstrap
# repository, a sandbox-built package and its tests, a byte-identical
# rebuild, two images and running them under bubblewrap.
. "$(dirname "$0")/lib.sh"
SRC=$(cd "$(dirname "$0")/../.." && pwd)
command -v bwrap >/dev/null || { echo "skipped: bwrap not installed (scripts/deps.sh)"; exit 77; }
bwrap --ro-bind / / --unshare-all true 2>/dev/null || { echo "skipped: bwrap cannot make namespaces here"; exit 77; }
[ -x /bin/busybox ] || { echo "skipped: no /bin/busybox (busybox-static)"; exit 77; }
[ "$(uname -m)" = x86_64 ] || [ "$(uname -m)" = aarch64 ] || { echo "skipped: $(uname -m)"; exit 77; }
mkdir -p "$WORK/proj"
cp -r "$SRC/scripts" "$SRC/examples" "$WORK/proj/"
MINT_ABS=$(cd "$(dirname "$MINT")" && pwd)/$(basename "$MINT")
expect_exit 0 "scripts/demo-packages.sh" env MINT="$MINT_ABS" "$WORK/proj/scripts/demo-packages.sh"
[ "$failures" -eq 0 ] || { tail -30 "$WORK/err" >&2; tail -30 "$WORK/out" >&2; }
grep -q "hello, demo, from a mint image (uid 65532)" "$WORK/out" && pass "the static image's program ran as nonroot" \
	|| fail "no greeting from the static image"
grep -q "Welcome to a mint demo image" "$WORK/out" && pass "the busybox image shows the sandbox-built motd" \
	|| fail "no motd from the busybox image"
grep -q "uid=65532(nonroot)" "$WORK/out" && pass "busybox id knows the nonroot user" || fail "no id output"
finish
