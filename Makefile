# chitra — the two commands: `make demo` and `make test`. Everything else is a helper.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
DEMO_BENEFICIARIES ?= 20000
DEMO_SEED ?= 2024
#: the suite runs on both cores (pytest-xdist); TEST_WORKERS=0 runs it in one process
TEST_WORKERS ?= 2
export DJANGO_SETTINGS_MODULE := chitra.settings

.PHONY: demo test venv lint typecheck pytest messages lock clean-demo browser complexity node-tools

#: the message catalogues: the .po files are the source (edited with the usual gettext tools
#: and `make messages`); the .mo files are built from them here, never committed
LOCALES := vi en
PO_FILES := $(foreach l,$(LOCALES),src/chitra/locale/$(l)/LC_MESSAGES/django.po)
MO_FILES := $(PO_FILES:.po=.mo)

venv: $(VENV)/.installed $(MO_FILES)

$(VENV)/.installed: requirements.lock requirements-dev.lock pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade "pip>=24"
	$(BIN)/python -m pip install --quiet -r requirements-dev.lock
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e .
	touch $@

# Secrets for the local demo, made once and kept in var/ (never committed).
var/demo.env: | venv
	mkdir -p var
	$(BIN)/python scripts/make_demo_env.py > $@

demo: venv var/demo.env
	grep -q '^CHITRA_DEMO=' var/demo.env || echo "CHITRA_DEMO=1" >> var/demo.env
	set -a; source var/demo.env; set +a; \
	$(BIN)/chitra migrate --no-input && \
	$(BIN)/chitra collectstatic --no-input --verbosity 0 && \
	$(BIN)/chitra demo_data --province 08 --beneficiaries $(DEMO_BENEFICIARIES) --seed $(DEMO_SEED) \
	    --register-out var/register-extract.parquet && \
	$(BIN)/chitra register_load var/register-extract.parquet && \
	$(BIN)/chitra verify && \
	$(BIN)/chitra demo_newly_banked --out var/newly-banked && \
	$(BIN)/chitra import_beneficiaries var/newly-banked/danh-sach-huong-moi.xlsx --user bhxh.officer && \
	$(BIN)/chitra import_accounts var/newly-banked/xac-nhan-agribank.xlsx --user bank.officer && \
	$(BIN)/chitra change_requests_submit --source bank --provider 970405 \
	    --personal-ids var/newly-banked/cccd-agribank.txt --consent-channel bank_counter \
	    --evidence "Phiếu đồng ý ký tại quầy Agribank, lưu tại BHXH tỉnh" --user bhxh.officer && \
	$(BIN)/chitra change_requests_approve --source bank --provider 970405 \
	    --personal-ids var/newly-banked/cccd-agribank.txt --user bhxh.approver && \
	$(BIN)/chitra demo_cycle && \
	$(BIN)/chitra demo_reports && \
	$(BIN)/chitra demo_logins && \
	scripts/serve.sh $(PORT)

test: venv $(NODE_TOOLS)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check src tests bench scripts
	CHITRA_TESTING=1 $(BIN)/mypy src
	$(BIN)/lint-imports
	CHITRA_TESTING=1 $(BIN)/pytest -q -n $(TEST_WORKERS) $(PYTEST_ARGS)
	$(MAKE) --no-print-directory complexity

# Functions over 60 lines or cyclomatic complexity 15 (radon): information only, never fails.
complexity: venv
	$(BIN)/python scripts/dev/complexity.py src || true

lint: venv
	$(BIN)/ruff check . && $(BIN)/ruff format --check src tests bench scripts

typecheck: venv
	CHITRA_TESTING=1 $(BIN)/mypy src

# Debian's chromium for the browser tests (root, as on these machines).
browser:
	scripts/install-chromium.sh

# Compile a catalogue; --check-format refuses a translation whose placeholders differ.
%.mo: %.po
	@command -v msgfmt >/dev/null || { echo "msgfmt not found: scripts/install-gettext.sh"; exit 1; }
	msgfmt --check-format -o $@ $<

# Refresh the catalogues from the source (new msgids come in untranslated, existing
# translations are kept; translate them in src/chitra/locale/vi/LC_MESSAGES/django.po), compile.
#: tools the browser tests inject into pages (axe-core), pinned in package-lock.json
NODE_TOOLS := node_modules/.installed
node-tools: $(NODE_TOOLS)

$(NODE_TOOLS): package.json package-lock.json
	command -v npm >/dev/null || { echo "npm not found: install Node.js and npm (Debian: nodejs npm)"; exit 1; }
	npm ci --no-audit --no-fund --ignore-scripts --loglevel=error
	touch $@

messages: $(VENV)/.installed
	cd src/chitra && CHITRA_DEBUG=1 ../../$(BIN)/chitra makemessages -l vi -l en --no-obsolete \
	    -i "static/*"
	for po in $(PO_FILES); do msgfmt --check-format -o $${po%.po}.mo $$po || exit 1; done

lock:
	$(BIN)/pip freeze --exclude-editable > /tmp/chitra-freeze.txt && echo "review /tmp/chitra-freeze.txt"

clean-demo:
	rm -f var/chitra.sqlite3 var/chitra.sqlite3-wal var/chitra.sqlite3-shm var/register-extract.parquet
