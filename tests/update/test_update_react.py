"""Update tier: a React project (`frontend: react`) with client components and an edited
template page gets a release of the React frontend through `make update`.

The client's code lives where docs/frontends/react.md puts it (client_acme/frontend/, client-
owned: never touched), one template-owned page is edited (merged, like any template file), and
package.json changes in the release: Copier merges it, while package-lock.json, the client's,
is left exactly as it was (npm regenerates it, never a merge). Afterwards the frontend builds,
type-checks and passes the client's own test.
"""

from __future__ import annotations

import hashlib
import json

import pytest

from tests.support.helpers import commit_all, edit, git, run
from tests.support.node import install_node_modules, make_with_shared_venv, npm, require_node
from tests.support.update_support import (
    REACT_DASHBOARD,
    REACT_NOT_FOUND,
    build_react_versions,
    generate,
    make_update,
)

REACT_ANSWERS = {"theme": "starter", "frontend": "react", "modules": ["auth", "api"]}

INDEX = """\
// Acme's pages and cards, registered through the starter's extension points.
import { registerDashboardCard, registerRoute } from "@starter/registry";

import { UsageCard } from "./cards/UsageCard";
import { ReportsPage } from "./pages/ReportsPage";

registerRoute({ path: "/app/reports", Component: ReportsPage });
registerDashboardCard({ id: "acme-usage", Component: UsageCard, order: 5 });
"""

USAGE_CARD = """\
import { useConfig } from "@starter/ConfigContext";

/** Acme: a card of our own on the dashboard. */
export function UsageCard() {
  const config = useConfig();
  return (
    <section className="card" aria-labelledby="acme-usage-title">
      <h2 id="acme-usage-title" className="card__title">
        Acme usage
      </h2>
      <p>{config.projectName} keeps track of your reports.</p>
    </section>
  );
}
"""

USAGE_CARD_TEST = """\
import { screen } from "@testing-library/react";
import { describe, expect, it } from "vitest";

import { renderPage, testConfig } from "@starter/test/render";

import { UsageCard } from "./UsageCard";

describe("UsageCard", () => {
  it("names the project", () => {
    renderPage(<UsageCard />, { config: testConfig({ projectName: "Acme Cloud" }) });
    expect(screen.getByRole("heading", { name: "Acme usage" })).toBeInTheDocument();
    expect(screen.getByText("Acme Cloud keeps track of your reports.")).toBeInTheDocument();
  });
});
"""

REPORTS_PAGE = """\
import { useEffect, useState } from "react";

import { api } from "@starter/api";

/** Acme: /app/reports, reading the typed API client. */
export function ReportsPage() {
  const [email, setEmail] = useState("");
  useEffect(() => {
    void api.GET("/me/").then(({ data }) => setEmail(data?.email ?? ""));
  }, []);
  return (
    <div className="container page">
      <h1>Acme reports</h1>
      <p>{email ? `Reports for ${email}` : "Loading…"}</p>
    </div>
  );
}
"""

# The client's line in the template's dashboard page (a change the template's own tests of the
# page do not assert against: editing text they check is the client's to follow up).
ACME_LINE = '          <p className="muted">Acme: your reports are under Reports.</p>\n'

CLIENT_FILES = {
    "client_acme/frontend/index.tsx": INDEX,
    "client_acme/frontend/cards/UsageCard.tsx": USAGE_CARD,
    "client_acme/frontend/cards/UsageCard.test.tsx": USAGE_CARD_TEST,
    "client_acme/frontend/pages/ReportsPage.tsx": REPORTS_PAGE,
}


@pytest.fixture(scope="module")
def react_versions(template_snapshot, tmp_path_factory):
    return build_react_versions(template_snapshot, tmp_path_factory.mktemp("react_versions") / "qs")


def digest(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_react_release_keeps_client_components_and_page_edits(
    react_versions, tmp_path, project_python, project_env
):
    require_node()
    project = generate(react_versions, tmp_path / "client_acme", **REACT_ANSWERS)
    # The first build, as `make run` does it: npm writes package-lock.json, the API's types are
    # generated; the client commits both (docs/frontends/react.md).
    install_node_modules(project)
    make_with_shared_venv(project, project_python, "api-client")
    commit_all(project, "First build: lock file and API client")
    assert not git(project, "status", "--porcelain"), "the build leaves nothing uncommitted"

    for path, text in CLIENT_FILES.items():
        (project / path).parent.mkdir(parents=True, exist_ok=True)
        (project / path).write_text(text)
    heading = "</h1>\n"  # the end of the dashboard's only heading
    edit(project / REACT_DASHBOARD, heading, heading + ACME_LINE)
    commit_all(project, "Client work: a card, a page, a line on the dashboard")
    lock = digest(project / "package-lock.json")

    result = make_update(project, project_python, "--vcs-ref", "v0.2.0")

    output = result.stdout + result.stderr
    # The client's own code is untouched, the edited page merged with the release's change.
    for path, text in CLIENT_FILES.items():
        assert (project / path).read_text() == text, f"client file changed: {path}"
    dashboard = (project / REACT_DASHBOARD).read_text()
    assert ACME_LINE in dashboard, "the client's edit was lost"
    assert "No optional modules yet: add them with make update." in dashboard
    assert "(template v0.2.0)" in (project / REACT_NOT_FOUND).read_text()
    package = json.loads((project / "package.json").read_text())
    assert package["scripts"]["preview"] == "vite preview"
    # The lock file is the client's: Copier leaves it alone; make update says to regenerate it.
    assert digest(project / "package-lock.json") == lock
    assert "package-lock.json" not in git(project, "status", "--porcelain")
    assert "package.json changed: run `npm install`" in output, output
    assert "never merge the lock file by hand" in output
    assert not list(project.rglob("*.rej"))
    assert not git(project, "diff", "--name-only", "--diff-filter=U").strip()
    assert "<<<<<<<" not in dashboard

    # What the client runs next: `make run` builds (npm install first, package.json being newer
    # than node_modules), and the client's code still type-checks and passes its own test
    # against the new release (`make test` runs every frontend test; the project tier does that).
    make_with_shared_venv(project, project_python, "frontend-build")
    npm(project, "run", "typecheck")
    tested = npm(project, "exec", "--", "vitest", "run", "client_acme/frontend")
    assert "1 passed" in tested.stdout, tested.stdout
    manifest = json.loads((project / "frontend_build/manifest.json").read_text())
    assert any(key.endswith("entries/app.tsx") for key in manifest)
    run([project_python, "manage.py", "check", "--fail-level", "WARNING"], project, project_env)
