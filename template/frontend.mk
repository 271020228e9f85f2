# The React frontend's commands, included by the Makefile (docs: QuickScale's
# docs/frontends/react.md). Node.js builds the frontend; the site never needs Node to run.
# Template-owned: `make update` merges changes.
NPM ?= npm
# What the build reads: the React code, and the theme's stylesheets its pages import.
# (collectstatic's copy in staticfiles/frontend/ is not a source.)
FRONTEND_SOURCES := $(shell find quickscale_themes/*/frontend_react/src */frontend quickscale_themes/*/frontend_htmx/static -path 'staticfiles/*' -prune -o -type f -name '*.*' -print 2>/dev/null)

.PHONY: node dev frontend-build frontend-test frontend-lint api-client api-client-check

node:
	@node -e 'const [a, b] = process.versions.node.split(".").map(Number); process.exit(a > 20 || (a === 20 && b >= 19) ? 0 : 1)' 2>/dev/null || { \
		echo "The React frontend needs Node.js 20.19 or newer with npm to build it (never to run the site): install Node 20 LTS (https://nodejs.org, or your package manager), then run this command again."; exit 1; }

# npm install creates package-lock.json on the first build (commit it) and refreshes it when
# package.json changed, for instance after `make update`: never merge the lock file by hand.
node_modules/.package-lock.json: package.json $(wildcard package-lock.json) | node
	$(NPM) install --no-audit --no-fund
	@touch $@

# The TypeScript types of the REST API, generated from its OpenAPI schema. Committed: CI fails
# when they drift from the API (make api-client-check).
api-client/schema.d.ts: | node_modules/.package-lock.json
	$(MAKE) api-client

api-client: install node_modules/.package-lock.json ## Regenerate the API's TypeScript types (api-client/) from the OpenAPI schema
	@mkdir -p api-client
	$(MANAGE) spectacular --file api-client/openapi.yaml
	$(NPM) run --silent api-client

api-client-check: install node_modules/.package-lock.json ## Fail if api-client/ no longer matches the API
	@rm -rf .api-client-check && mkdir -p .api-client-check
	$(MANAGE) spectacular --file .api-client-check/openapi.yaml
	npx openapi-typescript .api-client-check/openapi.yaml --output .api-client-check/schema.d.ts --silent
	@diff -u api-client/schema.d.ts .api-client-check/schema.d.ts >/dev/null || { rm -rf .api-client-check; \
		echo "api-client/schema.d.ts no longer matches the API: run 'make api-client' and commit api-client/."; exit 1; }
	@rm -rf .api-client-check

frontend_build/manifest.json: $(FRONTEND_SOURCES) package.json vite.config.ts node_modules/.package-lock.json api-client/schema.d.ts
	$(NPM) run build

frontend-build: frontend_build/manifest.json ## Build the React frontend into frontend_build/ (when its sources changed)

# make run (and check-deploy, which reads the build's manifest) build the frontend first;
# make test runs its checks and tests, and checks api-client/ against the API, before pytest.
run: frontend-build
check-deploy: frontend-build
test: frontend-test api-client-check

frontend-test: node_modules/.package-lock.json api-client/schema.d.ts ## Type-check, lint and test the React frontend
	$(NPM) run --silent typecheck
	$(NPM) run --silent lint
	$(NPM) run --silent test

# Vite's port for make dev; Django's pages point at it (VITE_DEV_SERVER_PORT).
VITE_PORT ?= 5173

# Ctrl-C stops both (the terminal interrupts every process of the command); when runserver
# stops on its own, the trap stops Vite.
dev: install migrate node_modules/.package-lock.json ## Vite's dev server (hot reload) beside runserver on http://127.0.0.1:8000 (HOST=, PORT= to change)
	@echo "Vite serves the scripts on http://localhost:$(VITE_PORT); open the site at http://$(HOST):$(PORT)"
	@VITE_DEV_SERVER_PORT=$(VITE_PORT) $(NPM) run --silent dev & vite=$$!; \
		trap 'kill $$vite 2>/dev/null' EXIT; \
		VITE_DEV_MODE=true VITE_DEV_SERVER_PORT=$(VITE_PORT) $(MANAGE) runserver $(HOST):$(PORT)

# make lint checks the React code too (ESLint), beside ruff.
lint: frontend-lint

frontend-lint: node_modules/.package-lock.json
	$(NPM) run --silent lint
