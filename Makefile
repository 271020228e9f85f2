# Tooling for the template repository. Two commands matter:
#   make demo   generate a demo project from this working tree and serve it
#   make test   run the template's full test suite
.DEFAULT_GOAL := help
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
DEMO ?= demo
PORT ?= 8000

.PHONY: help venv demo test test-render test-fast test-project test-update test-e2e test-react lint bench \
	bench-copier bench-first-run bench-queries bench-http bench-frontend fleet-status fleet-update extract promote docs docs-serve shipped clean

help: ## List the commands
	@grep -hE '^[a-z0-9-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-16s %s\n", $$1, $$2}'

$(BIN)/uv:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check uv==0.13.9

$(VENV)/.synced: pyproject.toml uv.lock | $(BIN)/uv
	VIRTUAL_ENV=$(CURDIR)/$(VENV) $(BIN)/uv sync --active --quiet
	touch $@

venv: $(VENV)/.synced ## Create .venv with the pinned Copier, pytest, uv and mkdocs

demo: venv ## Generate ./demo from this working tree (defaults) and serve it on :$(PORT)
	rm -rf $(DEMO)
	$(BIN)/copier copy --defaults --vcs-ref HEAD --quiet -d project_name="QuickScale Demo" "$(CURDIR)" $(DEMO)
	PATH="$(CURDIR)/$(BIN):$$PATH" $(MAKE) -C $(DEMO) run PORT=$(PORT)

# The suite's tiers are folders of tests/ and pytest markers (tests/conftest.py); ARGS go to pytest.
# Tests run on one pytest-xdist worker per core, a file's tests together and in order (they
# share module fixtures, and some build on the one before). WORKERS=0 runs them in one process.
WORKERS ?= auto
XDIST = -n $(WORKERS) --dist loadfile
test: venv ## Run the full template test suite: every tier (what CI runs)
	PATH="$(CURDIR)/$(BIN):$$PATH" $(BIN)/pytest $(XDIST) $(ARGS)

test-render: venv ## Render tier: renders, validators, wiring, discipline; no installs, < 1 min
	PATH="$(CURDIR)/$(BIN):$$PATH" $(BIN)/pytest -m render -n auto --dist worksteal $(ARGS)

test-fast: test-render ## Same as test-render

test-project: venv ## Project tier: generated projects installed and run; the docs built
	PATH="$(CURDIR)/$(BIN):$$PATH" $(BIN)/pytest -m project $(XDIST) $(ARGS)

test-update: venv ## Update tier: copier update and make update across template versions
	PATH="$(CURDIR)/$(BIN):$$PATH" $(BIN)/pytest -m update $(XDIST) $(ARGS)

test-e2e: venv ## E2E tier: browser journeys, Docker image, load, shared rate limits
	PATH="$(CURDIR)/$(BIN):$$PATH" $(BIN)/pytest -m e2e $(XDIST) $(ARGS)

test-react: venv ## The React frontend's tests of every tier (needs Node 20.19+ and npm)
	PATH="$(CURDIR)/$(BIN):$$PATH" $(BIN)/pytest -k react $(ARGS)

lint: venv ## Lint the template's own Python (tests, benchmarks, modules/*/settings.py)
	$(BIN)/ruff check tests benchmarks fleet extract promote
	$(BIN)/ruff format --check tests benchmarks fleet extract promote
# Module settings, with the generated project's ruff rules (no project rendered).
	$(BIN)/pytest -q -p no:cacheprovider tests/render/test_module_settings.py -k "not verbatim"

bench: bench-copier bench-first-run bench-queries bench-http bench-frontend ## Print every benchmark's figures (docs/performance.md)

bench-copier: venv ## Print copier copy/update times and file counts
	PATH="$(CURDIR)/$(BIN):$$PATH" $(BIN)/python benchmarks/copier_timing.py $(ARGS)

bench-first-run: venv ## Print the time from copier copy to a first 200 from make run
	PATH="$(CURDIR)/$(BIN):$$PATH" $(BIN)/python benchmarks/first_run.py $(ARGS)

bench-queries: venv ## Print database queries per page (needs .cache/project-venv: make test)
	PATH="$(CURDIR)/$(BIN):$$PATH" $(BIN)/python benchmarks/query_counts.py $(ARGS)

bench-http: venv ## Print req/s and latency under gunicorn, as ratios to a bare Django project
	PATH="$(CURDIR)/$(BIN):$$PATH" $(BIN)/python benchmarks/http_load.py $(ARGS)

bench-frontend: venv ## Print React bundle sizes vs budgets, React vs HTMX time to interactive
	PATH="$(CURDIR)/$(BIN):$$PATH" $(BIN)/python benchmarks/frontend.py $(ARGS)

# Fleet updates (docs/agency.md): FLEET=path/to/fleet.yml; VERSION=, RING=, JOBS=, PUSH=1.
FLEET_ARGS = --fleet "$(FLEET)" --ring "$(RING)" --jobs "$(or $(JOBS),2)" $(if $(WORKDIR),--workdir "$(WORKDIR)") \
	$(if $(REPORTS),--reports "$(REPORTS)")

fleet-status: venv ## Show every client project of FLEET=fleet.yml: version, modules, behind, dirty
	@test -n "$(FLEET)" || { echo "Give the fleet file: make fleet-status FLEET=path/to/fleet.yml (docs/agency.md)"; exit 2; }
	@$(BIN)/python -m fleet status $(FLEET_ARGS) $(if $(JSON),--json)

fleet-update: venv ## Update FLEET=fleet.yml's projects on branches [VERSION= RING= JOBS= PUSH=1 FORCE=1]
	@test -n "$(FLEET)" || { echo "Give the fleet file: make fleet-update FLEET=path/to/fleet.yml (docs/agency.md)"; exit 2; }
	@$(BIN)/python -m fleet update $(FLEET_ARGS) --version "$(VERSION)" --push "$(PUSH)" --force "$(FORCE)"

# Extract a client app into a module (docs/agency.md): on a new branch extract/<NAME>.
extract: venv ## Turn APP= of client project FROM= into modules/NAME= [DESCRIPTION=]
	@test -n "$(FROM)" -a -n "$(APP)" -a -n "$(NAME)" || { echo "Give the client project, its app and the module name: make extract FROM=../acme APP=crm NAME=acme_crm (docs/agency.md)"; exit 2; }
	@$(BIN)/python -m extract --from "$(FROM)" --app "$(APP)" --name "$(NAME)" --description "$(DESCRIPTION)"

# Promote a client's fix into the template (docs/agency.md): FROM=client repo, REV=commit or A..B.
promote: venv ## Promote FROM=client REV=commit's template-owned changes to a branch [DRY_RUN=1 TESTS=0]
	@test -n "$(FROM)" -a -n "$(REV)" || { echo "Give the client and the fix: make promote FROM=../acme REV=abc1234 (docs/agency.md)"; exit 2; }
	@$(BIN)/python -m promote --from "$(FROM)" --rev "$(REV)" --template "$(or $(TEMPLATE),$(CURDIR))" \
		--dry-run "$(DRY_RUN)" --tests "$(or $(TESTS),1)"

docs: venv ## Build the documentation site into ./site (strict)
	$(BIN)/mkdocs build --strict

docs-serve: venv ## Preview the documentation on :8001
	$(BIN)/mkdocs serve -a 127.0.0.1:8001

shipped: venv ## Record shipped files and choices after adding some (tests/shipped.yml)
	$(BIN)/python tests/shipped.py

clean: ## Remove the venv, caches, the demo project and the built docs
	rm -rf $(VENV) .cache .pytest_cache site $(DEMO)
