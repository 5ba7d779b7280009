# Warmstart: the two set-up commands are `make demo` and `make test`.
# Both install what is missing (Debian packages), build in release mode, and run.

SWIFT        ?= swift
CONFIG       ?= release
BIN          := .build/$(CONFIG)/warmstart
APT_PACKAGES := libopenblas-dev libarchive-dev pkg-config

.PHONY: all deps build test demo bench clean

all: build

## deps: install the Debian packages Warmstart links against, when missing.
deps:
	@if ! pkg-config --exists openblas libarchive 2>/dev/null; then \
		echo "Installing $(APT_PACKAGES) …"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(APT_PACKAGES); \
	fi

## build: the release build of the library and the `warmstart` tool.
build: deps
	$(SWIFT) build -c $(CONFIG)

## test: every unit and real-data test (release build), then a benchmark smoke run.
test: build
	$(SWIFT) test -c $(CONFIG)
	$(BIN) bench micro --quick

## demo: the main job, end to end.
demo: build
	$(BIN) bench micro

## bench: the speed figures quoted in README.md.
bench: build
	$(BIN) bench micro

clean:
	rm -rf .build
