# Warmstart: the two set-up commands are `make demo` and `make test`.
# Both install what is missing (Debian packages), build in release mode, and run.

SWIFT        ?= swift
CONFIG       ?= release
BIN          := .build/$(CONFIG)/warmstart
APT_PACKAGES := libopenblas-dev libarchive-dev pkg-config bible-kjv python3-pip python3-venv
# The Python packages the interoperability tests load our files with (numpy, gensim, safetensors).
PY_PACKAGES  := numpy gensim==4.4.0 safetensors
VENV         := .venv
# Apache Spark for `--engine spark` (issue: pretraining beyond one machine): pyspark from PyPI in its own
# project-local environment, and Debian's OpenJDK 17 when no Java is installed.
SPARK_VENV   := .venv-spark
SPARK_PY     := pyspark==4.3.0 numpy
# AVX2 + FMA code for the numeric targets when this CPU has them (see Package.swift); override with WARMSTART_TARGET_CPU=.
export WARMSTART_TARGET_CPU ?= $(shell grep -qw avx2 /proc/cpuinfo 2>/dev/null && grep -qw fma /proc/cpuinfo && echo haswell)

.PHONY: all deps pydeps sparkdeps build data test test-spark examples demo bench fuzz clean

all: build

## deps: install the Debian packages Warmstart links against or fetches data
## with (OpenBLAS, libarchive, the KJV text, pip), when missing.
deps:
	@if ! pkg-config --exists openblas libarchive 2>/dev/null || ! command -v bible >/dev/null \
		|| ! python3 -m pip --version >/dev/null 2>&1; then \
		echo "Installing $(APT_PACKAGES) …"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(APT_PACKAGES); \
	fi

## pydeps: a project-local virtual environment (.venv) with numpy, gensim and
## safetensors, which the interoperability tests use to read our files.
pydeps: deps
	@if ! $(VENV)/bin/python3 -c "import numpy, gensim, safetensors" 2>/dev/null; then \
		echo "Installing $(PY_PACKAGES) into $(VENV) …"; \
		python3 -m venv $(VENV) && $(VENV)/bin/pip install -q $(PY_PACKAGES); \
	fi

## sparkdeps: Java (Debian's OpenJDK 17 when none is installed) and pyspark
## in .venv-spark, for `pretrain … --engine spark` and its tests.
sparkdeps: deps
	@if ! command -v java >/dev/null 2>&1 && [ -z "$$JAVA_HOME" ]; then \
		echo "Installing openjdk-17-jre-headless …"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq openjdk-17-jre-headless; \
	fi
	@if ! $(SPARK_VENV)/bin/python3 -c "import pyspark, numpy" 2>/dev/null; then \
		echo "Installing $(SPARK_PY) into $(SPARK_VENV) …"; \
		python3 -m venv $(SPARK_VENV) && $(SPARK_VENV)/bin/pip install -q $(SPARK_PY); \
	fi

## build: the release build of the library and the `warmstart` tool.
build: deps
	$(SWIFT) build -c $(CONFIG)

## data: fetch the public datasets into the cache ($$WARMSTART_DATA or ~/.cache/warmstart).
data: build
	$(BIN) datasets fetch

## test: every unit and real-data test (release build), then a benchmark smoke run.
test: data pydeps sparkdeps
	WARMSTART_PYTHON=$(CURDIR)/$(VENV)/bin/python3 WARMSTART_SPARK_SUBMIT=$(CURDIR)/$(SPARK_VENV)/bin/spark-submit $(SWIFT) test -c $(CONFIG)
	$(BIN) bench all --quick
	$(MAKE) examples

## test-spark: only the Spark tests (a local[2] session on ml-100k).
test-spark: data sparkdeps
	WARMSTART_SPARK_SUBMIT=$(CURDIR)/$(SPARK_VENV)/bin/spark-submit $(SWIFT) test -c $(CONFIG) --filter SparkEngineTests

## examples: build and run the example packages (examples/), each depending
## on Warmstart by path, as a user's own package would.
examples: data
	BIN=$(BIN) scripts/examples.sh

## demo: the main job, end to end on the real data (scripts/demo.sh).
demo: data
	BIN=$(BIN) scripts/demo.sh

## fuzz: libFuzzer on the archive reader and the three import formats,
## FUZZ_SECONDS per target (default 60; the closing figures used 600+).
FUZZ_SECONDS ?= 60
fuzz: deps
	scripts/fuzz.sh $(FUZZ_SECONDS)

## bench: the speed figures quoted in README.md.
bench: build
	$(BIN) bench all

clean:
	rm -rf .build .build-fuzz $(VENV) $(SPARK_VENV)
