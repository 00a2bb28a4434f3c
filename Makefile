# Entry points that work on a fresh machine with only Python 3.11+, git and make.
# Every target bootstraps the virtual environment in .venv from requirements.lock.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-$(shell cat requirements.lock pyproject.toml | cksum | cut -d' ' -f1)

.PHONY: build build-prod test check serve clean lock lint

build: $(STAMP)  ## Build the sample site into output/ (development settings)
	$(BIN)/invoke build

build-prod: $(STAMP)  ## Build with production settings (publishconf.py)
	$(BIN)/invoke build --prod

test: $(STAMP)  ## Run the whole test suite
	$(BIN)/python -m pytest

check: $(STAMP)  ## Validate content and calendar without rendering
	$(BIN)/invoke check

serve: $(STAMP)  ## Local preview with reload on http://localhost:8000
	$(BIN)/invoke serve

lint: $(STAMP)  ## ruff + mypy
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

clean:  ## Remove output/ and caches (keeps .venv)
	rm -rf output cache .pytest_cache .hypothesis

lock: $(STAMP)  ## Re-resolve requirements.in into requirements.lock
	$(BIN)/python -m pip install --quiet --upgrade -r requirements.in
	{ sed -n 1,2p requirements.lock; $(BIN)/python -m pip freeze --exclude-editable; } > requirements.lock.new
	mv requirements.lock.new requirements.lock

$(STAMP): requirements.lock pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is required, found " + sys.version.split()[0])'
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.lock
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps --editable .
	@rm -f $(VENV)/.installed-*
	@touch $@
