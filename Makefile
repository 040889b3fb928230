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

# The reference platform in the foreground (needs only python3 and openssl):
# certificates and cases under PLATFORM_DIR, the API on PLATFORM_PORT.
PLATFORM_DIR ?= $(BUILDDIR)/platform
PLATFORM_PORT ?= 8311
PLATFORM_ADMIN_PORT ?= 8312
PLATFORM_ARGS ?=

platform:
	@sh tests/platform/make-ca.sh $(PLATFORM_DIR)/certs
	@/usr/bin/python3 tests/platform/platform.py --db $(PLATFORM_DIR)/platform.sqlite \
	  --certs $(PLATFORM_DIR)/certs --port $(PLATFORM_PORT) \
	  --admin-port $(PLATFORM_ADMIN_PORT) $(PLATFORM_ARGS)

clean:
	rm -rf $(BUILDDIR)
