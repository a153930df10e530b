#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Installs the npm packages the CycloneDX schema check needs (the official
# CycloneDX JavaScript library and the JSON schema validator it uses), at
# pinned versions, into build-npm/node_modules. Safe to run again: it does
# nothing when the pinned set is there. When npm cannot install (offline),
# it says so and succeeds: tests/cdx_validate.js then reports the check as
# skipped (exit 77), never as passed.
set -euo pipefail
cd "$(dirname "$0")/.."
prefix=build-npm
pins=(
	@cyclonedx/cyclonedx-library@10.3.0
	ajv@8.17.1
	ajv-formats@3.0.1
	ajv-formats-draft2019@1.6.1
)
stamp="$prefix/pins.txt"
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "${pins[*]}" ] &&
	[ -d "$prefix/node_modules/@cyclonedx/cyclonedx-library" ]; then
	exit 0
fi
if ! command -v npm >/dev/null; then
	echo "npm-deps: npm is missing; the CycloneDX checks will be skipped" >&2
	exit 0
fi
mkdir -p "$prefix"
if npm install --prefix "$prefix" --no-audit --no-fund --save-exact "${pins[@]}" \
	>"$prefix/npm.log" 2>&1; then
	echo "${pins[*]}" >"$stamp"
else
	echo "npm-deps: npm install failed (offline?); the CycloneDX checks will be skipped;" \
		"see $prefix/npm.log" >&2
fi
