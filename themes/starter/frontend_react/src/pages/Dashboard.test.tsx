import { screen } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";

import { registerDashboardCard, resetRegistry } from "../registry";
import { fakeServer, json, renderPage, testConfig } from "../test/render";
import { Dashboard } from "./Dashboard";

describe("Dashboard", () => {
  afterEach(() => {
    resetRegistry();
    vi.unstubAllGlobals();
    vi.restoreAllMocks();
  });

  function serve() {
    vi.stubGlobal(
      "fetch",
      fakeServer({
        "GET /api/v1/me/": () => json({ id: 1, email: "ada@example.com", date_joined: "2026-01-02T10:00:00Z" }),
        "GET /dashboard/status/": () => json({ database_ok: true, pending_migrations: 0 }),
      }).fetch,
    );
  }

  it("greets the user and shows the account from the API", async () => {
    serve();
    renderPage(<Dashboard />);
    expect(screen.getByRole("heading", { level: 1, name: "Welcome back" })).toBeInTheDocument();
    expect(await screen.findByText("ada@example.com", { selector: "dd" })).toBeInTheDocument();
    expect(screen.getByRole("link", { name: "Account settings" })).toHaveAttribute("href", "/accounts/");
    expect(screen.getByRole("list", { name: "Installed modules" })).toHaveTextContent("auth");
  });

  it("links to the password change page when no module provides account settings", () => {
    serve();
    const config = testConfig();
    renderPage(<Dashboard />, { config: { ...config, urls: { ...config.urls, accountSettings: "" } } });
    expect(screen.getByRole("link", { name: "Change password" })).toHaveAttribute(
      "href",
      "/accounts/password/change/",
    );
  });

  it("renders the cards themes and the project register, in order", () => {
    serve();
    registerDashboardCard({ id: "second", order: 20, Component: () => <h2>Second card</h2> });
    registerDashboardCard({ id: "first", order: 10, Component: () => <h2>First card</h2> });
    renderPage(<Dashboard />);
    const headings = screen.getAllByRole("heading", { level: 2 }).map((heading) => heading.textContent);
    expect(headings.slice(0, 2)).toEqual(["First card", "Second card"]);
  });

  it("shows an error in place of a card that fails, and the rest of the dashboard", async () => {
    serve();
    vi.spyOn(console, "error").mockImplementation(() => {});
    registerDashboardCard({
      id: "broken",
      Component: () => {
        throw new Error("unexpected answer");
      },
    });
    renderPage(<Dashboard />);
    expect(screen.getByRole("alert")).toHaveTextContent("This card could not be shown.");
    expect(await screen.findByText("ada@example.com", { selector: "dd" })).toBeInTheDocument();
    expect(screen.getByRole("heading", { level: 2, name: "System status" })).toBeInTheDocument();
  });
});
