import { useEffect, useRef, useState } from "react";
import { Link, useNavigate, useParams, useSearchParams } from "react-router";

import { api } from "@starter/api";
import { ErrorState } from "@starter/components/ErrorState";
import { Loading } from "@starter/components/Loading";
import { useDocumentTitle } from "@starter/hooks/useDocumentTitle";
import { useFocusOnArrival } from "@starter/hooks/useFocusOnArrival";
import { attempt, type Outcome } from "@starter/problems";

import { ADD_TASK_TITLE_ID, AddTaskForm } from "../components/AddTaskForm";
import { DeleteList } from "../components/DeleteList";
import { FormError } from "../components/FormError";
import { ListMissing } from "../components/ListMissing";
import { LiveStatus } from "../components/LiveStatus";
import { Pager } from "../components/Pager";
import { RenameList } from "../components/RenameList";
import { SearchForm } from "../components/SearchForm";
import { StatusTabs } from "../components/StatusTabs";
import { TaskEditRow } from "../components/TaskEditRow";
import { TaskRow, type Direction } from "../components/TaskRow";
import { isOverdue, todayIso } from "../dates";
import { matchesSearch, readTaskQuery, taskSearch, type TaskQuery } from "../taskQuery";
import { LISTS_URL, TASKS_PER_PAGE, type Task, type TodoList } from "../types";
import { useAnnouncer } from "../useAnnouncer";
import { loadListDetail, type TaskPage } from "./loadListDetail";

type State =
  | { kind: "loading" }
  | { kind: "missing" }
  | { kind: "failed"; message: string }
  | { kind: "ready"; key: string; list: TodoList; page: TaskPage; refreshError: string };

type Control = "toggle" | "edit" | "up" | "down" | "delete";

/** Where the focus goes once the tasks are shown again after an action. */
type FocusTarget =
  | { kind: "add" } // the new task's title field
  | { kind: "tasks" } // the tasks' heading, after changing page
  // A control of a task; when the task is gone from the page, the task now at `index` (or the
  // one before it). `follow`: a task moved off the page, the page it went to is shown.
  | { kind: "task"; id: number; control: Control; index: number; follow?: Direction };

const EMPTY: Record<TaskQuery["status"], string> = {
  open: "Nothing left to do. Add a task above.",
  done: "No completed tasks yet.",
  overdue: "Nothing overdue.",
  all: "This list is empty. Add a task above.",
};

/** /lists/:listId/ — one list per mount, so moving between lists starts afresh. */
export function ListDetailPage() {
  const { listId = "" } = useParams();
  if (!/^\d{1,18}$/.test(listId)) return <ListMissing />;
  return <ListDetail key={listId} listId={Number(listId)} />;
}

/** The page a task just added is shown on, so the user sees it (views._page_showing). */
function pageShowing(task: Task, query: TaskQuery, list: TodoList, count: number): number {
  const shown =
    matchesSearch(task.title, query.q) &&
    (query.status === "open" || query.status === "all" || (query.status === "overdue" && isOverdue(task)));
  if (!shown) return query.page;
  if (query.status === "all") {
    // Open tasks come first: it is the last of them. With a search, their number is unknown.
    if (query.q) return query.page;
    return Math.floor(list.open_count / TASKS_PER_PAGE) + 1;
  }
  return Math.floor(count / TASKS_PER_PAGE) + 1;
}

function resolveFocus(root: HTMLElement, target: FocusTarget, tasksHeading: HTMLElement | null): HTMLElement | null {
  const add = () => root.querySelector<HTMLElement>(`#${ADD_TASK_TITLE_ID}`);
  if (target.kind === "add") return add();
  if (target.kind === "tasks") return tasksHeading;
  const control = (name: Control) => root.querySelector<HTMLElement>(`[data-focus="${name}-${target.id}"]:not(:disabled)`);
  const other: Partial<Record<Control, Control>> = { up: "down", down: "up" };
  const checks = root.querySelectorAll<HTMLElement>(".todo-tasks .todo-check");
  return (
    control(target.control) ??
    (other[target.control] ? control(other[target.control]!) : null) ??
    checks[target.index] ??
    checks[target.index - 1] ??
    add()
  );
}

function ListDetail({ listId }: { listId: number }) {
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  const query = readTaskQuery(params);
  const { status, q, page } = query;
  const [version, setVersion] = useState(0);
  const key = `${status}|${q}|${page}|${version}`;
  const [state, setState] = useState<State>({ kind: "loading" });
  const [editingId, setEditingId] = useState<number | null>(null);
  const [actionError, setActionError] = useState("");
  const [announcement, announce] = useAnnouncer();
  const heading = useRef<HTMLHeadingElement>(null);
  const panel = useRef<HTMLElement>(null);
  const tasksHeading = useRef<HTMLHeadingElement>(null);
  const pendingFocus = useRef<FocusTarget | null>(null);
  const writing = useRef(false);
  const today = todayIso();

  useDocumentTitle(state.kind === "ready" ? state.list.name : null);
  useFocusOnArrival(heading, state.kind === "ready");

  useEffect(() => {
    let live = true;
    void loadListDetail(listId, { status, q, page }).then((result) => {
      if (!live) return;
      setState((previous) => {
        if (result.ok) return { kind: "ready", key, refreshError: "", ...result.data };
        if (result.problem.status === 404) return { kind: "missing" };
        if (previous.kind === "ready") return { ...previous, key, refreshError: result.problem.message };
        return { kind: "failed", message: result.problem.message };
      });
    });
    return () => {
      live = false;
    };
  }, [listId, status, q, page, key]);

  const ready = state.kind === "ready" && state.key === key;

  useEffect(() => {
    const target = pendingFocus.current;
    if (!target || state.kind !== "ready" || state.key !== key || !panel.current) return;
    if (target.kind === "task" && target.follow && !state.page.tasks.some((task) => task.id === target.id)) {
      // The task moved past the page's edge: show the page it is on now, with the focus on it.
      const next = state.page.page + (target.follow === "down" ? 1 : -1);
      pendingFocus.current = { ...target, follow: undefined };
      if (next >= 1 && next <= state.page.pages) {
        setParams(taskSearch({ status, q, page: next }));
        return;
      }
    }
    pendingFocus.current = null;
    resolveFocus(panel.current, target, tasksHeading.current)?.focus();
  }, [state, key, editingId, status, q, setParams]);

  if (state.kind === "missing") return <ListMissing />;

  const refresh = (focus: FocusTarget | null = null) => {
    pendingFocus.current = focus;
    setVersion((n) => n + 1);
  };
  const goToPage = (number: number, focus: FocusTarget | null) => {
    pendingFocus.current = focus;
    setParams(taskSearch({ ...query, page: number }));
  };

  /**
   * Runs one write at a time: `call` starts the request only when no other write is in flight,
   * so a double click sends one request. A failure is shown above the tasks; the focus stays.
   */
  async function write<T>(call: () => Promise<Outcome<T>>, done: (data: T) => void) {
    if (writing.current) return;
    writing.current = true;
    setActionError("");
    const result = await call();
    writing.current = false;
    if (result.ok) {
      done(result.data);
      return;
    }
    setActionError(
      result.problem.status === 404
        ? "That task no longer exists: the list has been read again."
        : result.problem.message,
    );
    if (result.problem.status === 404) refresh();
  }

  const taskPath = (task: Task) => ({ params: { path: { id: String(task.id) } } });

  function toggle(task: Task, index: number) {
    void write(() => attempt(api.PATCH("/tasks/{id}/", { ...taskPath(task), body: { done: !task.done } })), () => {
      announce(`Task “${task.title}” ${task.done ? "reopened" : "completed"}.`);
      refresh({ kind: "task", id: task.id, control: "toggle", index });
    });
  }

  function move(task: Task, direction: Direction, index: number) {
    void write(() => attempt(api.POST("/tasks/{id}/move/", { ...taskPath(task), body: { direction } })), () => {
      announce(`Task “${task.title}” moved ${direction}.`);
      refresh({ kind: "task", id: task.id, control: direction, index, follow: direction });
    });
  }

  function remove(task: Task, index: number, current: TaskPage) {
    void write(() => attempt(api.DELETE("/tasks/{id}/", taskPath(task))), () => {
      announce(`Task “${task.title}” deleted.`);
      if (current.tasks.length === 1 && current.page > 1) {
        // The page's last task: the page before it, focus on its last task.
        goToPage(current.page - 1, { kind: "task", id: task.id, control: "toggle", index: TASKS_PER_PAGE - 1 });
      } else {
        refresh({ kind: "task", id: task.id, control: "toggle", index });
      }
    });
  }

  function saved(task: Task, index: number) {
    setEditingId(null);
    setState((previous) =>
      previous.kind === "ready"
        ? { ...previous, page: { ...previous.page, tasks: previous.page.tasks.map((t) => (t.id === task.id ? task : t)) } }
        : previous,
    );
    announce(`Task “${task.title}” saved.`);
    refresh({ kind: "task", id: task.id, control: "edit", index });
  }

  function cancelEdit(task: Task, index: number) {
    pendingFocus.current = { kind: "task", id: task.id, control: "edit", index };
    setEditingId(null);
  }

  function added(task: Task, list: TodoList, current: TaskPage) {
    announce(`Task “${task.title}” added.`);
    const target = pageShowing(task, query, list, current.count);
    if (target !== page) goToPage(target, { kind: "add" });
    else refresh({ kind: "add" });
  }

  const tasksLabel = (current: TaskPage) =>
    `${status[0].toUpperCase()}${status.slice(1)} tasks${current.pages > 1 ? `, page ${current.page} of ${current.pages}` : ""}`;

  return (
    <div className="container page todo-page">
      <header className="page-header">
        <div>
          <p className="eyebrow">
            <Link to={LISTS_URL}>Lists</Link>
          </p>
          <h1 ref={heading} tabIndex={-1}>
            {state.kind === "ready" ? state.list.name : "List"}
          </h1>
        </div>
        {state.kind === "ready" && (
          <div className="todo-list-actions">
            <RenameList
              list={state.list}
              onRenamed={(list) => {
                setState((previous) => (previous.kind === "ready" ? { ...previous, list } : previous));
                announce(`List renamed to “${list.name}”.`);
              }}
            />
            <DeleteList
              list={state.list}
              onDeleted={() => navigate(LISTS_URL, { state: { message: `List “${state.list.name}” deleted.` } })}
            />
          </div>
        )}
      </header>
      <LiveStatus announcement={announcement} />

      {state.kind === "loading" && <Loading label="Loading the list…" />}
      {state.kind === "failed" && (
        <ErrorState
          message={`This list could not be loaded. ${state.message}`}
          onRetry={() => {
            setState({ kind: "loading" });
            refresh();
          }}
        />
      )}
      {state.kind === "ready" && (
        <>
          <SearchForm value={q} onSearch={(text) => setParams(taskSearch({ status, q: text, page: 1 }), { replace: true })} />
          <section ref={panel} className="todo-panel" aria-label="Tasks" aria-busy={!ready || undefined}>
            {state.refreshError && (
              <ErrorState message={`The tasks could not be refreshed. ${state.refreshError}`} onRetry={() => refresh()} />
            )}
            <FormError message={actionError} />
            <StatusTabs list={state.list} query={query} />
            <AddTaskForm listId={listId} onAdded={(task) => added(task, state.list, state.page)} />
            <h2 ref={tasksHeading} id="todo-tasks-title" className="visually-hidden" tabIndex={-1}>
              {tasksLabel(state.page)}
            </h2>
            {state.page.tasks.length ? (
              <>
                <ul className="todo-tasks" aria-labelledby="todo-tasks-title">
                  {state.page.tasks.map((task, index) =>
                    task.id === editingId ? (
                      <TaskEditRow
                        key={task.id}
                        task={task}
                        onSaved={(saved_) => saved(saved_, index)}
                        onCancel={() => cancelEdit(task, index)}
                      />
                    ) : (
                      <TaskRow
                        key={task.id}
                        task={task}
                        today={today}
                        canMoveUp={index > 0 || state.page.page > 1}
                        canMoveDown={index < state.page.tasks.length - 1 || state.page.page < state.page.pages}
                        onToggle={() => toggle(task, index)}
                        onEdit={() => setEditingId(task.id)}
                        onMove={(direction) => move(task, direction, index)}
                        onDelete={() => remove(task, index, state.page)}
                      />
                    ),
                  )}
                </ul>
                <Pager
                  query={query}
                  page={state.page.page}
                  pages={state.page.pages}
                  onNavigate={() => (pendingFocus.current = { kind: "tasks" })}
                />
              </>
            ) : (
              <p className="todo-empty">
                {q ? `No ${status === "all" ? "" : `${status} `}tasks match “${q}”.` : EMPTY[status]}
              </p>
            )}
          </section>
        </>
      )}
    </div>
  );
}
