# SPDX-License-Identifier: Apache-2.0
# `mint show-config`: an apko config printed as apko's /etc/apko.json, with
# includes and command-line overrides; errors point at file:line:column.
. "$(dirname "$0")/lib.sh"
cd "$WORK" || exit 1

cat > image.yaml <<'YAML'
contents:
  repositories:
    - https://dl-cdn.alpinelinux.org/alpine/v3.22/main/
  packages:
    - alpine-base
entrypoint:
  command: /bin/sh -l
environment:
  PATH: /usr/sbin:/sbin:/usr/bin:/bin
  A: "1"
paths:
  - path: /data
    type: directory
    uid: 65532
    permissions: 0o750
archs: [x86_64, aarch64, amd64]
YAML
expect_exit 0 "show-config prints the config" "$MINT" show-config image.yaml
expect_stdout '{"contents":{"repositories":["https://dl-cdn.alpinelinux.org/alpine/v3.22/main/"],"packages":["alpine-base"]},"entrypoint":{"command":"/bin/sh -l"},"accounts":{},"archs":["amd64","arm64"],"environment":{"A":"1","PATH":"/usr/sbin:/sbin:/usr/bin:/bin"},"paths":[{"path":"/data","type":"directory","uid":65532,"permissions":488}]}' \
	"archs normalised, environment sorted, mode in decimal"

expect_exit 0 "overrides apply" "$MINT" show-config -p busybox,curl -r https://r.example/os \
	--arch armv7 --arch x86 --annotations org.opencontainers.image.title:T image.yaml
expect_stdout '{"contents":{"repositories":["https://dl-cdn.alpinelinux.org/alpine/v3.22/main/","https://r.example/os"],"packages":["alpine-base","busybox","curl"]},"entrypoint":{"command":"/bin/sh -l"},"accounts":{},"archs":["386","arm/v7"],"environment":{"A":"1","PATH":"/usr/sbin:/sbin:/usr/bin:/bin"},"paths":[{"path":"/data","type":"directory","uid":65532,"permissions":488}],"annotations":{"org.opencontainers.image.title":"T"}}' \
	"-p -r --arch --annotations change the printed config"

mkdir -p inc
printf 'contents:\n  packages: [base-pkg]\ncmd: /bin/base\n' > inc/base.yaml
printf 'include: base.yaml\ncontents:\n  packages: [top-pkg]\n' > top.yaml
expect_exit 1 "an include not found fails" "$MINT" show-config top.yaml
expect_stderr_line "^mint: top.yaml:1:10: include 'base.yaml': no such file" "names the include and where"
expect_exit 0 "--include-paths finds the include" "$MINT" show-config --include-paths inc top.yaml
expect_stdout '{"contents":{"packages":["base-pkg","top-pkg"]},"entrypoint":{},"cmd":"/bin/base","accounts":{},"include":"base.yaml"}' \
	"included lists come first, its cmd fills the gap"

printf 'contents:\n  packages: [a]\nentrypoint:\n  comand: /bin/sh\n' > typo.yaml
expect_exit 1 "unknown field fails" "$MINT" show-config typo.yaml
expect_stderr_line "^mint: typo.yaml:4:3: unknown field 'comand' in 'entrypoint' \(known fields: type, command, shell-fragment, services\); did you mean 'command'\?$" \
	"unknown field has its location, the known fields and a suggestion"

printf 'paths:\n  - path: /x\n    type: directory\n    permissions: "0755"\n' > mode.yaml
expect_exit 1 "quoted mode fails" "$MINT" show-config mode.yaml
expect_stderr_line "^mint: mode.yaml:4:18: field 'paths\[0\].permissions' must be an integer, not a string '0755' \(write it without quotes\)$" \
	"quoted mode says to drop the quotes"

printf '{"contents": {"packages": ["a"]}, "archs": ["sparc"]}' > bad.json
expect_exit 1 "JSON config with a bad arch fails" "$MINT" show-config bad.json
expect_stderr_line "^mint: bad.json:1:45: 'archs\[0\]' is 'sparc', not an architecture apko builds" \
	"JSON input gets line:column too"

expect_exit 1 "a bad --arch fails" "$MINT" show-config --arch mips image.yaml
expect_stderr_line "^mint: --arch 'mips' is not an architecture" "bad --arch is named"
expect_exit 1 "a bad annotation key fails" "$MINT" show-config --annotations Bad:x image.yaml
expect_exit 1 "a missing config fails" "$MINT" show-config absent.yaml
expect_stderr_line "^mint: absent.yaml: " "missing file is named"

expect_exit 2 "no config is a usage error" "$MINT" show-config
expect_stderr_line "want exactly one CONFIG" "usage error says what is missing"
expect_exit 2 "unknown option" "$MINT" show-config --frob image.yaml
expect_exit 2 "option without a value" "$MINT" show-config image.yaml -p
expect_exit 0 "--help" "$MINT" show-config --help
grep -q '^usage: mint show-config' "$WORK/out" && pass "--help prints usage" || fail "--help: $(cat "$WORK/out")"
expect_exit 0 "mint --help" "$MINT" --help
grep -q '^  show-config ' "$WORK/out" && pass "mint --help lists show-config" || fail "show-config not listed"

if [ -n "$FIX" ] && [ -d "$FIX/apko" ]; then
	cd "$FIX/apko" || exit 1
	expect_exit 0 "apko's include example loads" "$MINT" show-config examples/overlay.yaml
	expect_stdout '{"contents":{"repositories":["https://dl-cdn.alpinelinux.org/alpine/v3.22/main"],"packages":["alpine-base","nano"]},"entrypoint":{},"cmd":"/bin/sh -l","accounts":{},"archs":["amd64","arm64"],"environment":{"PATH":"/usr/local/sbin:/usr/local/bin:/usr/bin:/usr/sbin:/sbin:/bin"},"include":"examples/alpine-base.yaml"}' \
		"examples/overlay.yaml merges examples/alpine-base.yaml"
fi
finish
