# The two commands a newcomer needs: `make demo` and `make test`. Each installs what it needs.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
PG_URL ?= postgres://postgres@127.0.0.1:5432/duban_ci
CHROMIUM := /usr/bin/chromium
CJK_FONTS := /usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc

.PHONY: install browser demo test test-sqlite test-postgres messages bench clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

# The browser tests drive Debian's Chromium, headless, with CJK fonts for the screenshots. Playwright's
# own browser downloads are never used.
browser:
	@if [ ! -x $(CHROMIUM) ] || [ ! -e $(CJK_FONTS) ]; then \
	    if [ "$$(id -u)" != 0 ] || ! command -v apt-get >/dev/null; then \
	        echo "The browser tests need $(CHROMIUM) and CJK fonts: as root on Debian, run" >&2; \
	        echo "  apt-get install --no-install-recommends chromium fonts-noto-cjk" >&2; \
	        exit 1; \
	    fi; \
	    apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends chromium fonts-noto-cjk; \
	fi

demo: $(STAMP)
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
