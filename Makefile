# SPDX-License-Identifier: Apache-2.0
# Convenience front end over meson. `make demo` and `make check` are the two
# set-up commands in README.md; both install their Debian dependencies first.
.PHONY: all deps build demo check test fuzz-smoke bench clean

all: build

deps:
	scripts/deps.sh

build: deps
	@[ -f build/build.ninja ] || meson setup build
	ninja -C build

demo: build
	scripts/demo.sh

check:
	scripts/check.sh

bench: deps
	@[ -f build-release/build.ninja ] || meson setup build-release -Dbuildtype=release
	ninja -C build-release
	scripts/bench.sh build-release

test: build
	meson test -C build --print-errorlogs

fuzz-smoke: deps
	scripts/fuzz-smoke.sh

clean:
	rm -rf build build-asan build-fuzz build-release
