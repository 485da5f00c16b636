# Headless Chromium for the printable-directory tests (tests/test_printable.py): they render
# the page, measure it and print it to PDF, and skip with a message when Chromium is missing.
# Included by the main Makefile, whose `test` target can depend on `chromium`.
# Debian's package, not a browser download: only package registries are reachable here.

CHROMIUM ?= /usr/bin/chromium

.PHONY: chromium

## chromium: install Debian's chromium (and DejaVu fonts, which have Arabic letters) if missing
chromium:
	@if [ -x "$(CHROMIUM)" ]; then \
	  :; \
	elif command -v apt-get >/dev/null 2>&1; then \
	  echo "installing Debian's chromium for the printable-directory tests"; \
	  SUDO=$$([ "$$(id -u)" = 0 ] || echo sudo); \
	  $$SUDO apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends \
	    chromium fonts-dejavu-core; \
	else \
	  echo "no $(CHROMIUM) and no apt-get: the Chromium tests will be skipped"; \
	fi
