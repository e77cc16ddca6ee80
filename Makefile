# The two commands a newcomer needs: `make demo` and `make test`. Each installs what it needs.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
PG_URL ?= postgres://postgres@127.0.0.1:5432/duban_ci
CHROMIUM := /usr/bin/chromium
CJK_FONTS := /usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc

.PHONY: install fonts fonts-install browser browser-install wrk wrk-install demo serve test test-sqlite test-postgres messages bench load clean

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

# wrk drives the HTTP benchmarks and their tests (bench/bench_intake_http.py): Debian's package.
wrk:
	@if ! command -v wrk >/dev/null; then $(MAKE) --no-print-directory wrk-install; fi

wrk-install:
	$(call apt_install,wrk)

demo: $(STAMP) fonts
	$(BIN)/duban demo

# The production stack on this machine: gunicorn and a worker against PostgreSQL (DATABASE_URL, default
# postgres://postgres@127.0.0.1:5432/duban_serve, created if missing) on http://127.0.0.1:8000/.
# See deploy/serve and docs/deploy.md.
serve: $(STAMP) fonts
	deploy/serve

test: $(STAMP) browser wrk
	$(BIN)/python -m pytest

test-postgres: $(STAMP) browser wrk
	DATABASE_URL=$(PG_URL) $(BIN)/python -m pytest

# Regenerate the translation catalogues after changing user-facing strings (needs GNU gettext).
messages: $(STAMP)
	cd duban && ../$(BIN)/duban makemessages --locale zh_Hans --locale en --no-obsolete --no-location
	cd duban && ../$(BIN)/duban compilemessages

bench: $(STAMP) fonts wrk
	SIZE=$(SIZE) BENCH_CITY_URL=$(BENCH_CITY_URL) $(BIN)/python bench/run.py

# The load test (bench/load.py): LOAD_CLIENTS clients for LOAD_SECONDS seconds against gunicorn and PostgreSQL
# (LOAD_DATABASE_URL, dropped and created), then every acknowledged ticket checked in the database.
LOAD_CLIENTS ?= 200
LOAD_SECONDS ?= 60
LOAD_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/duban_load
load: $(STAMP)
	DATABASE_URL=$(LOAD_DATABASE_URL) $(BIN)/python bench/load.py $(LOAD_CLIENTS) $(LOAD_SECONDS)

# A city at scale for the read benchmarks (bench/city.py): SIZE tickets with their whole histories, by
# COPY, from a fixed seed, into BENCH_CITY_URL. Kept: made again only for another size or seed.
SIZE ?= 10000000
BENCH_CITY_URL ?= postgres://postgres@127.0.0.1:5432/duban_bench_city
.PHONY: bench-data
bench-data: $(STAMP)
	BENCH_CITY_URL=$(BENCH_CITY_URL) $(BIN)/python bench/city.py $(SIZE)

clean:
	rm -rf $(VENV) var build *.egg-info .pytest_cache .hypothesis
