"""Extract a client project's Django app into a QuickScale module (issue 19, part 2).

`make extract FROM=../acme APP=crm NAME=acme_crm` reads the app (discover.py), copies it
with its imports moved to `quickscale_modules.<name>` and its app label kept
(rewrite.py), writes the manifest and settings (manifest.py) and registers the module in
the template: copier.yml choice, tests/shipped.yml, docs page, mkdocs nav, changelog
(register.py). Everything is committed on a new branch `extract/<name>` built in a
temporary git worktree (workspace.py), so a refusal or a failure leaves the template's
working tree exactly as it was (docs/agency.md, "Extract a client app into a module").
"""
