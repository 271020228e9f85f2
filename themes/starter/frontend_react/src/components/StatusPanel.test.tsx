import { screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it, vi } from "vitest";

import { fakeServer, json, renderPage } from "../test/render";
import { StatusPanel } from "./StatusPanel";

describe("StatusPanel", () => {
  afterEach(() => vi.unstubAllGlobals());

  it("shows the database and pending migrations from the JSON status", async () => {
    const server = fakeServer({
      "GET /dashboard/status/": () => json({ database_ok: true, pending_migrations: 2 }),
    });
    vi.stubGlobal("fetch", server.fetch);
    renderPage(<StatusPanel />);
    expect(await screen.findByText("Reachable")).toBeInTheDocument();
    expect(screen.getByText("2 pending")).toBeInTheDocument();
    expect(screen.getByText(/python manage.py migrate/)).toBeInTheDocument();
    expect(server.requests[0].headers.get("Accept")).toBe("application/json");
    // Staff-only rows are absent when the server leaves them out.
    expect(screen.queryByText("Django")).not.toBeInTheDocument();
  });

  it("offers a retry after a failure, which loads the status again", async () => {
    let calls = 0;
    const server = fakeServer({
      "GET /dashboard/status/": () =>
        ++calls === 1 ? json({ detail: "boom" }, 500) : json({ database_ok: true, pending_migrations: 0 }),
    });
    vi.stubGlobal("fetch", server.fetch);
    renderPage(<StatusPanel />);
    expect(await screen.findByRole("alert")).toHaveTextContent("could not be loaded");
    await userEvent.click(screen.getByRole("button", { name: "Try again" }));
    expect(await screen.findByText("Up to date")).toBeInTheDocument();
    expect(calls).toBe(2);
  });
});
