# SPDX-License-Identifier: Apache-2.0
# `mint pkg show`: a melange recipe printed as JSON as mint reads it; a
# mistake in the recipe is one error line with file:line:column.
. "$(dirname "$0")/lib.sh"
cd "$WORK" || exit 1
PY="${MINT_PYTHON:-python3}"

cat > hello.yaml <<'YAML'
package:
  name: hello
  version: 2.12.1
  epoch: 1
  description: hello for ${{build.arch}}
  copyright:
    - license: GPL-3.0-or-later
environment:
  contents:
    packages: [build-base, busybox]
vars:
  greeting: hi
var-transforms:
  - from: ${{package.version}}
    match: ^(\d+\.\d+)\.\d+$
    replace: $1
    to: short
data:
  - name: langs
    items:
      fr: bonjour
      de: hallo
pipeline:
  - uses: fetch
    with:
      uri: https://example.org/hello-${{package.version}}.tar.gz
  - runs: make DESTDIR=${{targets.destdir}} install
subpackages:
  - range: langs
    name: hello-${{range.key}}
    pipeline:
      - runs: echo ${{range.value}}
YAML
expect_exit 0 "show prints the recipe" "$MINT" pkg show --arch aarch64 hello.yaml
if "$PY" -m json.tool "$WORK/out" >/dev/null 2>&1; then pass "the output is JSON"; else
	fail "python3 -m json.tool refuses the output: $(head -c 400 "$WORK/out")"; fi
grep -q '"description": "hello for aarch64"' "$WORK/out" && pass "description substituted for --arch" ||
	fail "description not substituted: $(head -c 600 "$WORK/out")"
grep -q '"runs": "make DESTDIR=${{targets.destdir}} install"' "$WORK/out" &&
	pass "pipelines stay as written" || fail "pipeline text changed"
grep -q '"short": "2.12"' "$WORK/out" && pass "var-transforms computed" || fail "no vars.short"
grep -q '"name": "hello-de"' "$WORK/out" && grep -q '"runs": "echo bonjour"' "$WORK/out" &&
	pass "range subpackages expanded" || fail "range not expanded"
grep -q '"full-version": "2.12.1-r1"' "$WORK/out" && pass "full-version shown" ||
	fail "no full-version"

sed 's/^pipeline:/pipelin:/' hello.yaml > typo.yaml
expect_exit 1 "a typo'd field fails" "$MINT" pkg show typo.yaml
expect_stderr_line "^mint: typo.yaml:23:1: unknown field 'pipelin' .*did you mean 'pipeline'\?$" \
	"the error has file:line:column and a suggestion"

printf 'package:\n  name: a\n  version: v1\n' > badver.yaml
expect_exit 1 "a version apk cannot order fails" "$MINT" pkg show badver.yaml
expect_stderr_line "^mint: badver.yaml:3:12: 'package.version': \"v1\" is not a valid apk version" \
	"the version error names the field"

expect_exit 2 "no recipe is a usage error" "$MINT" pkg show
expect_exit 2 "an unknown arch is a usage error" "$MINT" pkg show --arch pdp11 hello.yaml
expect_exit 1 "a missing file fails" "$MINT" pkg show missing.yaml
expect_exit 0 "--help" "$MINT" pkg show --help
finish
