# SPDX-License-Identifier: Apache-2.0
# A build environment made by mint's image engine runs steps: a repository
# holding this machine's static busybox (tests/tools/mkrepo) becomes a
# guest root through mint_build_env_create, and the bubblewrap runner runs
# busybox and /bin/sh in it with the workspace at /home/build.
. "$(dirname "$0")/lib.sh"
: "${MINT_MKREPO:?}" "${MINT_BUILDENV:?}"
command -v bwrap >/dev/null || { echo "skipped: bwrap not installed (scripts/deps.sh)"; exit 77; }
BB=""
for c in /bin/busybox /usr/bin/busybox; do [ -x "$c" ] && BB=$c && break; done
[ -n "$BB" ] || { echo "skipped: no busybox (busybox-static)"; exit 77; }
ldd "$BB" 2>&1 | grep -q "not a dynamic" || { echo "skipped: $BB is not static"; exit 77; }
[ "$(uname -m)" = x86_64 ] || { echo "skipped: the test repository is x86_64"; exit 77; }
bwrap --bind / / true 2>/dev/null || { echo "skipped: bwrap cannot make namespaces here"; exit 77; }

"$MINT_MKREPO" "$WORK/repo" "$BB" || { fail "mkrepo"; finish; }
cat > "$WORK/env.yaml" <<YAML
contents:
  keyring: [ $WORK/repo/test.rsa.pub ]
  repositories: [ $WORK/repo ]
  packages: [ base-files, busybox ]
archs: [ x86_64 ]
YAML
ROOT=$WORK/guest
mkdir -p "$WORK/ws"
step() { "$MINT_BUILDENV" "$WORK/env.yaml" "$WORK/cache" "$ROOT" "$WORK/ws" "$1"; }

expect_exit 0 "busybox echo runs in the guest root" step "busybox echo hi"
expect_stdout "hi" "its output reaches the log"
[ -d "$ROOT/home/build" ] && pass "the guest root has /home/build" || fail "no $ROOT/home/build"
[ -f "$ROOT/etc/os-release" ] && pass "packages are unpacked" || fail "no etc/os-release"
[ -d "$ROOT/dev" ] && [ ! -e "$ROOT/dev/null" ] && pass "device nodes are left out" \
	|| fail "dev/null was extracted: $(ls -l "$ROOT/dev/null")"
[ "$(find "$ROOT" ! -user "$(id -u)" | head -1)" = "" ] && pass "everything belongs to the caller" \
	|| fail "files not owned by the caller: $(find "$ROOT" ! -user "$(id -u)" | head -3)"
[ ! -e "$WORK/guest.rootfs.tar" ] && pass "the temporary tar is gone" || fail "guest.rootfs.tar left behind"

expect_exit 0 "/bin/sh writes into the workspace" step "/bin/sh -c 'echo x > /home/build/f'"
[ "$(cat "$WORK/ws/f" 2>/dev/null)" = x ] && pass "the file is in the workspace on the host" \
	|| fail "ws/f: $(cat "$WORK/ws/f" 2>&1)"
expect_exit 0 "/etc/os-release is the guest's" step "cat /etc/os-release"
expect_stdout "ID=mint-test" "the guest root is /"
expect_exit 7 "a failing step's status comes back" step "exit 7"
expect_exit 0 "no network but loopback" step "tail -n +3 /proc/net/dev | cut -d: -f1 | tr -d ' '"
expect_stdout "lo" "only lo"

finish
