import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

import { fakeTodoApi, json, TODAY } from "../test/fakeTodoApi";
import { renderTodo } from "../test/renderTodo";

function serve() {
  const api = fakeTodoApi();
  vi.stubGlobal("fetch", api.fetch);
  const list = api.addList("Groceries");
  return { api, list };
}

const rows = () => within(screen.getByRole("list", { name: /tasks/ })).getAllByRole("listitem");
const titles = () => rows().map((row) => row.querySelector(".todo-task__title")?.textContent);
const query = (request: Request) => Object.fromEntries(new URL(request.url).searchParams);

describe("a list's page", () => {
  beforeEach(() => {
    // Only the clock: "overdue" is relative to today; timers stay real for user-event.
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(new Date(`${TODAY}T12:00:00`));
  });
  afterEach(() => {
    vi.useRealTimers();
    vi.unstubAllGlobals();
  });

  it("shows the open tasks with the filters' counts, due dates and priorities", async () => {
    const { api, list } = serve();
    api.addTask(list.id, "Milk", { priority: 3, due_date: "2030-01-02" });
    api.addTask(list.id, "Eggs", { priority: 1 });
    api.addTask(list.id, "Bread", { done: true });

    renderTodo(`/lists/${list.id}/`);

    expect(await screen.findByRole("heading", { level: 1, name: "Groceries" })).toBeInTheDocument();
    expect(await screen.findByText("Milk")).toBeInTheDocument();
    expect(titles()).toEqual(["Milk", "Eggs"]);
    const tabs = within(screen.getByRole("navigation", { name: "Filter tasks" }));
    expect(tabs.getByRole("link", { name: "Open 2" })).toHaveAttribute("aria-current", "page");
    expect(tabs.getByRole("link", { name: "Done 1" })).toHaveAttribute("href", "/lists/1/?status=done");
    expect(tabs.getByRole("link", { name: "Overdue 1" })).toBeInTheDocument();
    expect(tabs.getByRole("link", { name: "All 3" })).toBeInTheDocument();
    expect(rows()[0]).toHaveTextContent("High");
    expect(rows()[0]).toHaveTextContent("Overdue · Due");
    expect(rows()[0].querySelector("time")).toHaveAttribute("datetime", "2030-01-02");
    expect(rows()[1]).toHaveTextContent("Low");
    expect(document.title).toBe("Groceries · Acme");
    const [request] = api.sent("GET", "/api/v1/tasks/");
    expect(query(request)).toEqual({ list: String(list.id), status: "open", page: "1", page_size: "50" });
  });

  it("adds a task with its due date and priority, then puts the focus back in the title field", async () => {
    const { api, list } = serve();
    const user = userEvent.setup();
    renderTodo(`/lists/${list.id}/`);

    await user.type(await screen.findByLabelText("Task"), "Oat milk");
    await user.type(screen.getByLabelText("Due"), "2030-07-01");
    await user.selectOptions(screen.getByLabelText("Priority"), "High");
    await user.click(screen.getByRole("button", { name: "Add task" }));

    const [request] = api.sent("POST", "/api/v1/tasks/");
    expect(await request.json()).toEqual({ list: list.id, title: "Oat milk", due_date: "2030-07-01", priority: 3 });
    expect(request.headers.get("X-CSRFToken")).toBe("csrf-from-the-page");
    expect(await screen.findByText("Oat milk", { selector: ".todo-task__title" })).toBeInTheDocument();
    expect(screen.getByRole("status")).toHaveTextContent("Task “Oat milk” added.");
    expect(screen.getByRole("link", { name: "Open 1" })).toBeInTheDocument();
    await waitFor(() => expect(screen.getByLabelText("Task")).toHaveFocus());
    expect(screen.getByLabelText("Task")).toHaveValue("");
    expect(screen.getByLabelText("Priority")).toHaveValue("2");
  });

  it("shows the API's error next to the title and sends the focus there", async () => {
    const { api, list } = serve();
    api.answerNext(
      "POST /api/v1/tasks/",
      json({ status: 400, code: "invalid", detail: "Invalid input.", errors: { title: ["A task needs a title."] } }, 400),
    );
    const user = userEvent.setup();
    renderTodo(`/lists/${list.id}/`);

    await user.type(await screen.findByLabelText("Task"), "   {Enter}");

    const title = screen.getByLabelText("Task");
    await waitFor(() => expect(title).toHaveAccessibleDescription("A task needs a title."));
    expect(title).toHaveAttribute("aria-invalid", "true");
    expect(title).toHaveFocus();
    expect(api.tasks).toHaveLength(0);
  });

  it("completes a task: it leaves the open tasks, the counts follow, the focus goes to the next one", async () => {
    const { api, list } = serve();
    const milk = api.addTask(list.id, "Milk");
    api.addTask(list.id, "Eggs");
    const user = userEvent.setup();
    renderTodo(`/lists/${list.id}/`);

    await user.click(await screen.findByRole("button", { name: "Complete “Milk”" }));

    const [request] = api.sent("PATCH", `/api/v1/tasks/${milk.id}/`);
    expect(await request.json()).toEqual({ done: true });
    await waitFor(() => expect(titles()).toEqual(["Eggs"]));
    expect(screen.getByRole("link", { name: "Done 1" })).toBeInTheDocument();
    expect(screen.getByRole("status")).toHaveTextContent("Task “Milk” completed.");
    await waitFor(() => expect(screen.getByRole("button", { name: "Complete “Eggs”" })).toHaveFocus());
  });

  it("reopens a done task from the Done filter", async () => {
    const { api, list } = serve();
    const bread = api.addTask(list.id, "Bread", { done: true });
    const user = userEvent.setup();
    renderTodo(`/lists/${list.id}/?status=done`);

    const reopen = await screen.findByRole("button", { name: "Reopen “Bread”" });
    expect(reopen).toHaveAttribute("aria-pressed", "true");
    await user.click(reopen);

    expect(await api.sent("PATCH", `/api/v1/tasks/${bread.id}/`)[0].json()).toEqual({ done: false });
    expect(await screen.findByText("No completed tasks yet.")).toBeInTheDocument();
    // Nothing left on the page: the focus goes to the add form.
    await waitFor(() => expect(screen.getByLabelText("Task")).toHaveFocus());
  });

  it("edits a task in place; Escape leaves without saving, Save sends the changes", async () => {
    const { api, list } = serve();
    const milk = api.addTask(list.id, "Milk", { due_date: "2030-07-01" });
    const user = userEvent.setup();
    renderTodo(`/lists/${list.id}/`);

    const edit = await screen.findByRole("button", { name: "Edit “Milk”" });
    await user.click(edit);
    const form = screen.getByRole("form", { name: "Edit “Milk”" });
    const title = within(form).getByLabelText("Task");
    expect(title).toHaveValue("Milk");
    expect(within(form).getByLabelText("Due")).toHaveValue("2030-07-01");
    await waitFor(() => expect(title).toHaveFocus());
    await user.type(title, " (oat){Escape}");
    expect(form).not.toBeInTheDocument();
    await waitFor(() => expect(screen.getByRole("button", { name: "Edit “Milk”" })).toHaveFocus());
    expect(api.sent("PATCH", `/api/v1/tasks/${milk.id}/`)).toHaveLength(0);

    await user.click(screen.getByRole("button", { name: "Edit “Milk”" }));
    const again = within(screen.getByRole("form", { name: "Edit “Milk”" }));
    await user.clear(again.getByLabelText("Task"));
    await user.type(again.getByLabelText("Task"), "Oat milk");
    await user.clear(again.getByLabelText("Due"));
    await user.click(again.getByRole("button", { name: "Save" }));

    expect(await api.sent("PATCH", `/api/v1/tasks/${milk.id}/`)[0].json()).toEqual({
      title: "Oat milk",
      due_date: null,
      priority: 2,
    });
    expect(await screen.findByText("Oat milk", { selector: ".todo-task__title" })).toBeInTheDocument();
    expect(screen.getByRole("status")).toHaveTextContent("Task “Oat milk” saved.");
    await waitFor(() => expect(screen.getByRole("button", { name: "Edit “Oat milk”" })).toHaveFocus());
  });

  it("keeps the inline form open with the error when the API refuses the edit", async () => {
    const { api, list } = serve();
    api.addTask(list.id, "Milk");
    const user = userEvent.setup();
    renderTodo(`/lists/${list.id}/`);

    await user.click(await screen.findByRole("button", { name: "Edit “Milk”" }));
    const form = within(screen.getByRole("form", { name: "Edit “Milk”" }));
    await user.clear(form.getByLabelText("Task"));
    await user.type(form.getByLabelText("Task"), " {Enter}");

    await waitFor(() => expect(form.getByLabelText("Task")).toHaveAccessibleDescription("This field may not be blank."));
    expect(form.getByLabelText("Task")).toHaveFocus();
    expect(api.tasks[0].title).toBe("Milk");
  });

  it("deletes a task and moves the focus to the one that took its place", async () => {
    const { api, list } = serve();
    const milk = api.addTask(list.id, "Milk");
    api.addTask(list.id, "Eggs");
    const user = userEvent.setup();
    renderTodo(`/lists/${list.id}/`);

    await user.click(await screen.findByRole("button", { name: "Delete “Milk”" }));

    expect(api.sent("DELETE", `/api/v1/tasks/${milk.id}/`)).toHaveLength(1);
    await waitFor(() => expect(titles()).toEqual(["Eggs"]));
    expect(screen.getByRole("status")).toHaveTextContent("Task “Milk” deleted.");
    await waitFor(() => expect(screen.getByRole("button", { name: "Complete “Eggs”" })).toHaveFocus());
  });

  it("reorders with the keyboard: the focus stays on the moved task's button", async () => {
    const { api, list } = serve();
    api.addTask(list.id, "Milk");
    const eggs = api.addTask(list.id, "Eggs");
    api.addTask(list.id, "Bread");
    const user = userEvent.setup();
    renderTodo(`/lists/${list.id}/`);

    expect(await screen.findByRole("button", { name: "Move “Milk” up" })).toBeDisabled();
    expect(screen.getByRole("button", { name: "Move “Bread” down" })).toBeDisabled();
    screen.getByRole("button", { name: "Move “Eggs” up" }).focus();
    await user.keyboard("{Enter}");

    expect(await api.sent("POST", `/api/v1/tasks/${eggs.id}/move/`)[0].json()).toEqual({ direction: "up" });
    await waitFor(() => expect(titles()).toEqual(["Eggs", "Milk", "Bread"]));
    expect(screen.getByRole("status")).toHaveTextContent("Task “Eggs” moved up.");
    // At the top now: "up" is disabled, so the focus is on its "down".
    await waitFor(() => expect(screen.getByRole("button", { name: "Move “Eggs” down" })).toHaveFocus());
    await user.keyboard("{Enter}");
    await waitFor(() => expect(titles()).toEqual(["Milk", "Eggs", "Bread"]));
    await waitFor(() => expect(screen.getByRole("button", { name: "Move “Eggs” down" })).toHaveFocus());
  });

  it("sends one request for a double click while the first is in flight", async () => {
    const { api, list } = serve();
    const milk = api.addTask(list.id, "Milk");
    api.addTask(list.id, "Eggs");
    renderTodo(`/lists/${list.id}/`);

    const button = await screen.findByRole("button", { name: "Move “Milk” down" });
    // Two clicks in the same tick, before the first answer: the second must not be sent.
    button.click();
    button.click();

    await waitFor(() => expect(titles()).toEqual(["Eggs", "Milk"]));
    expect(api.sent("POST", `/api/v1/tasks/${milk.id}/move/`)).toHaveLength(1);
  });

  it("filters by status and searches as you type, keeping both in the URL", async () => {
    const { api, list } = serve();
    api.addTask(list.id, "Milk");
    api.addTask(list.id, "Oat milk", { done: true });
    api.addTask(list.id, "Eggs", { done: true });
    const user = userEvent.setup();
    renderTodo(`/lists/${list.id}/`);

    await user.click(await screen.findByRole("link", { name: "Done 2" }));
    await waitFor(() => expect(titles()).toEqual(["Oat milk", "Eggs"]));
    expect(screen.getByRole("link", { name: "Done 2" })).toHaveAttribute("aria-current", "page");

    await user.type(screen.getByRole("searchbox", { name: "Search tasks" }), "milk");
    await waitFor(() => expect(titles()).toEqual(["Oat milk"]));
    const last = api.sent("GET", "/api/v1/tasks/").at(-1)!;
    expect(query(last)).toMatchObject({ status: "done", search: "milk" });
    // The filter links keep the search.
    expect(screen.getByRole("link", { name: "All 3" })).toHaveAttribute("href", "/lists/1/?status=all&q=milk");

    await user.clear(screen.getByRole("searchbox", { name: "Search tasks" }));
    await user.type(screen.getByRole("searchbox", { name: "Search tasks" }), "bread{Enter}");
    expect(await screen.findByText("No done tasks match “bread”.")).toBeInTheDocument();
  });

  // The two tests with long lists render 50 rows: they get more time on a busy machine.
  it("shows long lists 50 tasks at a time, with the focus on the tasks after changing page", async () => {
    const { api, list } = serve();
    for (let n = 1; n <= 60; n += 1) api.addTask(list.id, `Task ${n}`);
    const user = userEvent.setup();
    renderTodo(`/lists/${list.id}/`);

    await screen.findByText("Task 1");
    expect(rows()).toHaveLength(50);
    const pager = within(screen.getByRole("navigation", { name: "Pages of tasks" }));
    expect(pager.getByText("Page 1 of 2")).toBeInTheDocument();
    // The last task of page 1 can move down onto page 2.
    expect(screen.getByRole("button", { name: "Move “Task 50” down" })).toBeEnabled();

    await user.click(pager.getByRole("link", { name: "Next" }));

    await waitFor(() => expect(rows()).toHaveLength(10), { timeout: 5000 });
    expect(screen.getByText("Page 2 of 2")).toBeInTheDocument();
    const heading = screen.getByRole("heading", { level: 2, name: "Open tasks, page 2 of 2" });
    await waitFor(() => expect(heading).toHaveFocus());
    expect(query(api.sent("GET", "/api/v1/tasks/").at(-1)!)).toMatchObject({ page: "2" });
  }, 15000);

  it("follows a task moved past the end of its page", async () => {
    const { api, list } = serve();
    for (let n = 1; n <= 51; n += 1) api.addTask(list.id, `Task ${n}`);
    const user = userEvent.setup();
    renderTodo(`/lists/${list.id}/`);

    await user.click(await screen.findByRole("button", { name: "Move “Task 50” down" }));

    expect(await screen.findByText("Page 2 of 2", {}, { timeout: 5000 })).toBeInTheDocument();
    expect(titles()).toEqual(["Task 50"]);
    await waitFor(() => expect(screen.getByRole("button", { name: "Move “Task 50” up" })).toHaveFocus());
  }, 15000);

  it("asks before deleting the list, then goes back to the lists with the focus on their heading", async () => {
    const { api, list } = serve();
    api.addTask(list.id, "Milk");
    api.addList("Work");
    const user = userEvent.setup();
    renderTodo(`/lists/${list.id}/`);

    await user.click(await screen.findByRole("button", { name: "Delete list" }));
    expect(screen.getByRole("group")).toHaveAccessibleName(
      "Delete the list “Groceries” and its 1 task? This cannot be undone.",
    );
    await user.click(within(screen.getByRole("group")).getByRole("button", { name: "Delete list" }));

    const heading = await screen.findByRole("heading", { level: 1, name: "Your lists" });
    await waitFor(() => expect(heading).toHaveFocus());
    expect(screen.getByRole("status")).toHaveTextContent("List “Groceries” deleted.");
    expect(await screen.findByRole("link", { name: "Work" })).toBeInTheDocument();
    expect(api.lists.map((item) => item.name)).toEqual(["Work"]);
  });

  it("renames the list and shows the new name in the heading and the tab's title", async () => {
    const { api, list } = serve();
    const user = userEvent.setup();
    renderTodo(`/lists/${list.id}/`);

    await user.click(await screen.findByRole("button", { name: "Rename" }));
    const field = screen.getByLabelText("New name");
    await user.clear(field);
    await user.type(field, "Food{Enter}");

    expect(await api.sent("PATCH", `/api/v1/lists/${list.id}/`)[0].json()).toEqual({ name: "Food" });
    expect(await screen.findByRole("heading", { level: 1, name: "Food" })).toBeInTheDocument();
    expect(document.title).toBe("Food · Acme");
    expect(screen.getByRole("button", { name: "Rename" })).toHaveFocus();
  });

  it("says so when the list does not exist", async () => {
    serve();
    renderTodo("/lists/999/");
    expect(await screen.findByRole("heading", { level: 1, name: "List not found" })).toBeInTheDocument();
    expect(screen.getByRole("link", { name: "Back to your lists" })).toHaveAttribute("href", "/lists/");
  });

  it("shows a failed action as an alert and keeps the page", async () => {
    const { api, list } = serve();
    const milk = api.addTask(list.id, "Milk");
    api.answerNext(`PATCH /api/v1/tasks/${milk.id}/`, json({ status: 500, code: "error", detail: "Server error." }, 500));
    const user = userEvent.setup();
    renderTodo(`/lists/${list.id}/`);

    const complete = await screen.findByRole("button", { name: "Complete “Milk”" });
    await user.click(complete);

    expect(await screen.findByRole("alert")).toHaveTextContent("Server error.");
    expect(titles()).toEqual(["Milk"]);
    expect(complete).toHaveFocus();
  });

  it("offers a retry when the list cannot be loaded", async () => {
    const { api, list } = serve();
    api.answerNext(`GET /api/v1/lists/${list.id}/`, json({ status: 503, code: "unavailable", detail: "Down." }, 503));
    const user = userEvent.setup();
    renderTodo(`/lists/${list.id}/`);

    expect(await screen.findByRole("alert")).toHaveTextContent("This list could not be loaded.");
    await user.click(screen.getByRole("button", { name: "Try again" }));
    expect(await screen.findByRole("heading", { level: 1, name: "Groceries" })).toBeInTheDocument();
  });
});
