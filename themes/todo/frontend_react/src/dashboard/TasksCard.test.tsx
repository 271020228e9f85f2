import { screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it, vi } from "vitest";

import { fakeServer, json, renderPage } from "@starter/test/render";

import { TasksCard } from "./TasksCard";

const totals = { lists: 2, list_limit: null, open: 5, due_today: 1, overdue: 2, done: 7 };

describe("the dashboard's tasks card", () => {
  afterEach(() => vi.unstubAllGlobals());

  it("shows the totals across the user's lists and links to them", async () => {
    vi.stubGlobal("fetch", fakeServer({ "GET /api/v1/lists/summary/": () => json(totals) }).fetch);
    renderPage(<TasksCard />);

    const card = within(screen.getByRole("region", { name: "Your tasks" }));
    expect(card.getByText("Counting your tasks…")).toBeInTheDocument();
    expect(await card.findByText("Open tasks")).toBeInTheDocument();
    const value = (term: string) => card.getByText(term, { selector: "dt" }).nextElementSibling;
    expect(value("Lists")).toHaveTextContent("2");
    expect(value("Open tasks")).toHaveTextContent("5");
    expect(value("Due today")).toHaveTextContent("1");
    expect(value("Overdue")?.querySelector(".tag--warning")).toHaveTextContent("2");
    expect(value("Done")).toHaveTextContent("7");
    expect(card.getByRole("link", { name: "Go to your lists" })).toHaveAttribute("href", "/lists/");
  });

  it("offers a retry when the totals cannot be loaded", async () => {
    let calls = 0;
    vi.stubGlobal(
      "fetch",
      fakeServer({
        "GET /api/v1/lists/summary/": () => (++calls === 1 ? json({ detail: "Down" }, 503) : json(totals)),
      }).fetch,
    );
    renderPage(<TasksCard />);

    expect(await screen.findByRole("alert")).toHaveTextContent("Your tasks could not be counted.");
    await userEvent.click(screen.getByRole("button", { name: "Try again" }));
    expect(await screen.findByText("Open tasks")).toBeInTheDocument();
    expect(calls).toBe(2);
  });
});
