# SPDX-License-Identifier: GPL-3.0-or-later
#
# The two commands of the README. Both install what is missing, configure
# and build; `run` starts the terminal, `check` runs every test headless.

BUILDDIR ?= _build
MESON ?= meson

.PHONY: all deps build run check bench platform clean

all: build

deps:
	@sh .ci/install-deps

$(BUILDDIR)/build.ninja:
	$(MESON) setup $(BUILDDIR)

build: deps $(BUILDDIR)/build.ninja
	$(MESON) compile -C $(BUILDDIR)

run: build
	@sh tests/run-terminal.sh $(BUILDDIR)

check: build
	@sh tests/run-checks.sh $(BUILDDIR)

bench: build
	@sh tests/run-bench.sh $(BUILDDIR)

clean:
	rm -rf $(BUILDDIR)
