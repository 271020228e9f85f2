import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it, vi } from "vitest";

import { fakeTodoApi, json } from "../test/fakeTodoApi";
import { configWithPricing, renderTodo } from "../test/renderTodo";

function serve(options: Parameters<typeof fakeTodoApi>[0] = {}) {
  const api = fakeTodoApi(options);
  vi.stubGlobal("fetch", api.fetch);
  return api;
}

const cards = () => within(screen.getByRole("list", { name: "Your lists" })).getAllByRole("listitem");

describe("the lists page", () => {
  afterEach(() => vi.unstubAllGlobals());

  it("shows each list with its counts, linked to its page", async () => {
    const api = serve();
    const groceries = api.addList("Groceries");
    api.addList("Work");
    api.addTask(groceries.id, "Milk");
    api.addTask(groceries.id, "Eggs", { done: true });
    api.addTask(groceries.id, "Bread", { due_date: "2020-01-01" });

    renderTodo("/lists/");

    expect(screen.getByText("Loading your lists…")).toBeInTheDocument();
    expect(screen.getByRole("heading", { level: 1, name: "Your lists" })).toBeInTheDocument();
    const link = await screen.findByRole("link", { name: "Groceries" });
    expect(link).toHaveAttribute("href", `/lists/${groceries.id}/`);
    expect(cards()[0]).toHaveTextContent("2 open1 done1 overdue");
    expect(cards()[1]).toHaveTextContent("0 open0 done");
    expect(document.title).toBe("Your lists · Acme");
  });

  it("says when there are no lists yet", async () => {
    serve();
    renderTodo("/lists/");
    expect(await screen.findByText("No lists yet. Create your first one above.")).toBeInTheDocument();
  });

  it("creates a list with the CSRF token and the page's team, announces it and keeps the focus in the field", async () => {
    const api = serve();
    api.addList("Work");
    const user = userEvent.setup();
    renderTodo("/lists/");

    const field = await screen.findByLabelText("List name");
    await user.type(field, "Groceries{Enter}");

    const [request] = api.sent("POST", "/api/v1/lists/");
    expect(await request.json()).toEqual({ name: "Groceries" });
    expect(request.headers.get("X-CSRFToken")).toBe("csrf-from-the-page");
    expect(request.headers.get("X-Team")).toBe("7");
    await waitFor(() => expect(cards()).toHaveLength(2));
    expect(screen.getByRole("status")).toHaveTextContent("List “Groceries” created.");
    expect(within(screen.getByRole("status")).getByRole("link", { name: "Groceries" })).toBeInTheDocument();
    expect(cards()[0]).toHaveClass("todo-list-card--new");
    expect(field).toHaveValue("");
    expect(field).toHaveFocus();
  });

  it("shows the API's validation error next to the name field", async () => {
    const api = serve();
    api.addList("Groceries");
    const user = userEvent.setup();
    renderTodo("/lists/");

    const field = await screen.findByLabelText("List name");
    await user.type(field, "groceries");
    await user.click(screen.getByRole("button", { name: "Create list" }));

    await waitFor(() => expect(field).toHaveAttribute("aria-invalid", "true"));
    expect(field).toHaveAccessibleDescription("There is already a list with this name.");
    expect(field).toHaveFocus();
    expect(cards()).toHaveLength(1);
  });

  it("says why nothing was saved when the team was switched in another tab", async () => {
    const api = serve();
    api.addList("Work");
    const detail =
      "You switched to the team “Acme” in another tab since this page was loaded, so nothing was saved. " +
      "Reload the page and try again.";
    api.answerNext("POST /api/v1/lists/", json({ status: 409, code: "team_changed", detail }, 409));
    const user = userEvent.setup();
    renderTodo("/lists/");

    await user.type(await screen.findByLabelText("List name"), "Groceries{Enter}");

    expect(await screen.findByText(detail)).toBeInTheDocument();
    expect(cards()).toHaveLength(1);
  });

  it("shows the upgrade prompt, linking to pricing, when the plan refuses a new list", async () => {
    // The API knows better than the page: the limit was reached in another tab.
    const api = serve({ limit: 5 });
    api.addList("Work");
    api.answerNext(
      "POST /api/v1/lists/",
      json({ status: 403, code: "plan_limit", detail: "Your plan includes 3 lists. Upgrade to create more." }, 403),
    );
    const user = userEvent.setup();
    renderTodo("/lists/", configWithPricing());

    await user.type(await screen.findByLabelText("List name"), "Groceries{Enter}");

    const prompt = await screen.findByText("Your plan includes 3 lists. Upgrade to create more.");
    expect(screen.getByRole("link", { name: "Upgrade your plan" })).toHaveAttribute("href", "/pricing/");
    expect(screen.queryByLabelText("List name")).not.toBeInTheDocument();
    await waitFor(() => expect(prompt.parentElement).toHaveFocus());
  });

  it("counts lists against the plan and shows the prompt at the limit", async () => {
    const api = serve({ limit: 2 });
    api.addList("Work");
    const user = userEvent.setup();
    renderTodo("/lists/");

    expect(await screen.findByText("1 of 2 lists on your plan.")).toBeInTheDocument();
    await user.type(screen.getByLabelText("List name"), "Home{Enter}");

    expect(await screen.findByText("Your plan includes 2 lists, and you have them all.")).toBeInTheDocument();
    // No pricing page in this project (no billing module): no link to it.
    expect(screen.queryByRole("link", { name: "Upgrade your plan" })).not.toBeInTheDocument();
  });

  it("renames a list from its card", async () => {
    const api = serve();
    const work = api.addList("Work");
    const user = userEvent.setup();
    renderTodo("/lists/");

    const rename = await screen.findByRole("button", { name: "Rename “Work”" });
    await user.click(rename);
    expect(rename).toHaveAttribute("aria-expanded", "true");
    const field = within(screen.getByRole("list", { name: "Your lists" })).getByLabelText("New name");
    expect(field).toHaveFocus();
    await user.clear(field);
    await user.type(field, "Office{Enter}");

    const [request] = api.sent("PATCH", `/api/v1/lists/${work.id}/`);
    expect(await request.json()).toEqual({ name: "Office" });
    expect(await screen.findByRole("link", { name: "Office" })).toBeInTheDocument();
    expect(screen.getByRole("status")).toHaveTextContent("List renamed to “Office”.");
    await waitFor(() => expect(screen.getByRole("button", { name: "Rename “Office”" })).toHaveFocus());
  });

  it("asks before deleting a list; Escape keeps it, confirming deletes it", async () => {
    const api = serve();
    const home = api.addList("Home");
    api.addList("Work");
    api.addTask(home.id, "Sweep");
    const user = userEvent.setup();
    renderTodo("/lists/");

    const remove = await screen.findByRole("button", { name: "Delete “Home”" });
    await user.click(remove);
    const question = screen.getByRole("group", { name: "Delete the list “Home” and its 1 task? This cannot be undone." });
    expect(within(question).getByRole("button", { name: "Keep it" })).toHaveFocus();
    await user.keyboard("{Escape}");
    expect(question).not.toBeInTheDocument();
    expect(remove).toHaveFocus();
    expect(api.sent("DELETE", `/api/v1/lists/${home.id}/`)).toHaveLength(0);

    await user.click(remove);
    await user.click(screen.getByRole("button", { name: "Delete list" }));

    expect(api.sent("DELETE", `/api/v1/lists/${home.id}/`)).toHaveLength(1);
    await waitFor(() => expect(cards()).toHaveLength(1));
    expect(screen.getByRole("status")).toHaveTextContent("List “Home” deleted.");
    // The focus goes to the list that took its place.
    await waitFor(() => expect(screen.getByRole("link", { name: "Work" })).toHaveFocus());
  });

  it("offers a retry when the lists cannot be loaded", async () => {
    const api = serve();
    api.addList("Work");
    api.answerNext("GET /api/v1/lists/", json({ status: 500, code: "error", detail: "Server error." }, 500));
    const user = userEvent.setup();
    renderTodo("/lists/");

    expect(await screen.findByRole("alert")).toHaveTextContent("Your lists could not be loaded.");
    await user.click(screen.getByRole("button", { name: "Try again" }));
    expect(await screen.findByRole("link", { name: "Work" })).toBeInTheDocument();
  });

  it("opens a list without reloading the page, with the focus on its heading", async () => {
    const api = serve();
    const work = api.addList("Work");
    api.addTask(work.id, "Write report");
    const user = userEvent.setup();
    renderTodo("/lists/");

    await user.click(await screen.findByRole("link", { name: "Work" }));

    const heading = await screen.findByRole("heading", { level: 1, name: "Work" });
    await waitFor(() => expect(heading).toHaveFocus());
    expect(await screen.findByText("Write report")).toBeInTheDocument();
  });
});
