# The two commands a newcomer needs: `make demo` and `make test`. Each installs what it needs.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
PG_URL ?= postgres://postgres@127.0.0.1:5432/duban_ci
CHROMIUM := /usr/bin/chromium
CJK_FONTS := /usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc

.PHONY: install fonts fonts-install browser browser-install demo test test-sqlite test-postgres messages bench clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

# Bulletins are drawn with Debian's Noto CJK fonts (embedded in the PDF) and WeasyPrint, which needs
# Pango; the browser tests drive Debian's Chromium, headless. Installed with apt-get when missing (as
# root); Playwright's own browser downloads are never used.
define apt_install
	@if [ "$$(id -u)" != 0 ] || ! command -v apt-get >/dev/null; then \
	    echo "duban needs these Debian packages: as root, run" >&2; \
	    echo "  apt-get install --no-install-recommends $(1)" >&2; \
	    exit 1; \
	fi; \
	apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends $(1)
endef

fonts:
	@if [ ! -e $(CJK_FONTS) ] || ! { ldconfig -p 2>/dev/null || /sbin/ldconfig -p; } | grep -q libpangoft2-1.0; then \
	    $(MAKE) --no-print-directory fonts-install; fi

fonts-install:
	$(call apt_install,fonts-noto-cjk libpango-1.0-0 libpangoft2-1.0-0)

browser: fonts
	@if [ ! -x $(CHROMIUM) ]; then $(MAKE) --no-print-directory browser-install; fi

browser-install:
	$(call apt_install,chromium)

demo: $(STAMP) fonts
	$(BIN)/duban demo

test: $(STAMP) browser
	$(BIN)/python -m pytest

test-postgres: $(STAMP) browser
	DATABASE_URL=$(PG_URL) $(BIN)/python -m pytest

# Regenerate the translation catalogues after changing user-facing strings (needs GNU gettext).
messages: $(STAMP)
	cd duban && ../$(BIN)/duban makemessages --locale zh_Hans --locale en --no-obsolete --no-location
	cd duban && ../$(BIN)/duban compilemessages

bench: $(STAMP)
	$(BIN)/python bench/run.py

clean:
	rm -rf $(VENV) var build *.egg-info .pytest_cache .hypothesis
