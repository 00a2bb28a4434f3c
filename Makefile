# Entry points that work on a fresh machine with only Python 3.11+, git and make.
# Every target bootstraps the virtual environment in .venv from the locks in requirements/:
# building needs only runtime.lock; tests and lint add bench.lock and test.lock on top.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
REQ    := requirements
UV     := uv==0.13.9
PIP    := $(BIN)/python -m pip install --quiet --disable-pip-version-check
# One stamp per group, named after its lock's checksum: a changed lock reinstalls that group only,
# and switching between `make build` and `make test` reinstalls nothing.
stamp = $(VENV)/.installed-$(1)-$(shell cat $(2) | cksum | cut -d' ' -f1)
RUNTIME := $(call stamp,runtime,$(REQ)/runtime.lock)
BENCH   := $(call stamp,bench,$(REQ)/bench.lock)
TEST    := $(call stamp,test,$(REQ)/test.lock)
PROJECT := $(call stamp,project,pyproject.toml)

.PHONY: build build-prod test check serve new clean lock lint bench messages

build: $(RUNTIME) $(PROJECT)  ## Build the sample site into output/ (development settings)
	$(BIN)/invoke build

build-prod: $(RUNTIME) $(PROJECT)  ## Build with production settings (publishconf.py) into output-prod/
	$(BIN)/invoke build --prod

test: $(RUNTIME) $(BENCH) $(TEST) $(PROJECT)  ## Run the whole test suite
	$(BIN)/python -m pytest

check: $(RUNTIME) $(PROJECT)  ## Validate content and calendar without rendering
	$(BIN)/invoke check

serve: $(RUNTIME) $(PROJECT)  ## Live preview on http://localhost:8000: rebuilds when you save, pages reload
	$(BIN)/invoke serve

# TITLE and AUTHOR reach the recipe as environment variables (make exports command-line variables),
# so a title with quotes or a colon arrives as typed. VS Code's task "Hub: Neuer Beitrag" calls this.
new: $(RUNTIME) $(PROJECT)  ## New post: make new TITLE="Titel des Beitrags" AUTHOR=ihre-team-id
	@if [ -z "$$TITLE" ] || [ -z "$$AUTHOR" ]; then \
	  echo 'Bitte so aufrufen: make new TITLE="Titel des Beitrags" AUTHOR=ihre-team-id' >&2; exit 2; fi
	$(BIN)/invoke new "$$TITLE" --author "$$AUTHOR"

lint: $(RUNTIME) $(BENCH) $(TEST) $(PROJECT)  ## ruff + mypy
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

bench: $(RUNTIME) $(BENCH) $(PROJECT)  ## Benchmark against plain Pelican (bench/README.md)
	$(BIN)/invoke bench

messages: $(RUNTIME) $(BENCH) $(TEST) $(PROJECT)  ## Update the German message catalogues from the code and compile them
	$(BIN)/python -m tools.messages

clean:  ## Remove output/, output-prod/ and caches (keeps .venv)
	rm -rf output output-prod cache .pytest_cache .hypothesis

# Re-resolves every group from its .in file with uv (pinned above), hashes included; keeps the
# versions already locked where the ranges allow. `make lock UPGRADE=1` takes the newest allowed.
# Order matters: bench and test are resolved against runtime.lock (and test against bench.lock).
lock: | $(BIN)/python  ## Re-resolve requirements/*.in into requirements/*.lock
	$(PIP) $(UV)
	for group in runtime bench test; do \
	  $(BIN)/uv pip compile --quiet --generate-hashes --universal --python-version 3.11 \
	    --custom-compile-command "make lock" $(if $(UPGRADE),--upgrade) \
	    -o $(REQ)/$$group.lock $(REQ)/$$group.in || exit 1; \
	done

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is required, found " + sys.version.split()[0])'
	$(PYTHON) -m venv $(VENV)

# $(1): group name. Each group is installed with its hashes checked, after the groups it is resolved against.
define install_group
$(2): $(REQ)/$(1).lock | $(BIN)/python $(3)
	$(PIP) --require-hashes -r $(REQ)/$(1).lock
	@rm -f $(VENV)/.installed-$(1)-*
	@touch $$@
endef
$(eval $(call install_group,runtime,$(RUNTIME),))
$(eval $(call install_group,bench,$(BENCH),$(RUNTIME)))
$(eval $(call install_group,test,$(TEST),$(BENCH)))

# The project itself (plugins/hub_*), editable: Pelican loads the plugins and they import hub_core by name.
$(PROJECT): pyproject.toml | $(BIN)/python $(RUNTIME)
	$(PIP) --no-deps --editable .
	@rm -f $(VENV)/.installed-project-*
	@touch $@
