import { useEffect, useRef, useState } from "react";
import { Link, useLocation, useNavigate } from "react-router";

import { ErrorState } from "@starter/components/ErrorState";
import { Loading } from "@starter/components/Loading";
import { useDocumentTitle } from "@starter/hooks/useDocumentTitle";
import { useFocusOnArrival } from "@starter/hooks/useFocusOnArrival";

import { ListCard } from "../components/ListCard";
import { LiveStatus } from "../components/LiveStatus";
import { NEW_LIST_INPUT_ID, NewListForm } from "../components/NewListForm";
import { UpgradePrompt } from "../components/UpgradePrompt";
import { listUrl, type TodoList } from "../types";
import { useAnnouncer } from "../useAnnouncer";
import { loadLists, type ListsData } from "./loadLists";

type State =
  | { kind: "loading" }
  | { kind: "failed"; message: string }
  | ({ kind: "ready"; version: number; refreshError: string } & ListsData);

/** Where the focus goes once the lists are shown again after an action. */
type FocusTarget =
  | { kind: "new-list" } // the name field, or the upgrade prompt when the form is gone
  | { kind: "card"; index: number } // the list now at `index` (after a delete), or the one before
  | { kind: "rename"; id: number };

/** /lists/: the user's lists with their counts; create, rename and delete lists. */
export function ListsPage() {
  const location = useLocation();
  const navigate = useNavigate();
  // What the previous page did ("List “Groceries” deleted."), passed in the navigation's state.
  const arrivedWith = (location.state as { message?: string } | null)?.message ?? null;
  const [announcement, announce] = useAnnouncer(arrivedWith);
  const [version, setVersion] = useState(0);
  const [state, setState] = useState<State>({ kind: "loading" });
  const [limitMessage, setLimitMessage] = useState("");
  const [createdId, setCreatedId] = useState<number | null>(null);
  const heading = useRef<HTMLHeadingElement>(null);
  const panel = useRef<HTMLDivElement>(null);
  const prompt = useRef<HTMLDivElement>(null);
  const pendingFocus = useRef<FocusTarget | null>(null);

  useDocumentTitle("Your lists");
  useFocusOnArrival(heading, true);

  useEffect(() => {
    // Said once: a reload or the back button later must not say it again.
    if (arrivedWith) void navigate(location.pathname + location.search, { replace: true, state: null });
  }, [arrivedWith, navigate, location.pathname, location.search]);

  useEffect(() => {
    let live = true;
    void loadLists().then((result) => {
      if (!live) return;
      setState((previous) => {
        if (result.ok) return { kind: "ready", version, refreshError: "", ...result.data };
        // A failed refresh keeps what is shown; a failed first load has nothing to keep.
        if (previous.kind === "ready") return { ...previous, version, refreshError: result.problem.message };
        return { kind: "failed", message: result.problem.message };
      });
    });
    return () => {
      live = false;
    };
  }, [version]);

  const ready = state.kind === "ready" && state.version === version;
  useEffect(() => {
    const target = pendingFocus.current;
    if (!ready || !target || !panel.current) return;
    pendingFocus.current = null;
    const panelEl = panel.current;
    const nameField = () => panelEl.querySelector<HTMLElement>(`#${NEW_LIST_INPUT_ID}`);
    let element: HTMLElement | null = null;
    if (target.kind === "new-list") element = nameField() ?? prompt.current;
    if (target.kind === "card") {
      const links = panelEl.querySelectorAll<HTMLElement>(".todo-list-card .card__title a");
      element = links[target.index] ?? links[target.index - 1] ?? nameField() ?? prompt.current;
    }
    if (target.kind === "rename") {
      element = panelEl.querySelector<HTMLElement>(`[data-list-id="${target.id}"] .todo-rename-box > button`);
    }
    element?.focus();
  }, [ready, state]);

  const refresh = (focus: FocusTarget | null = null) => {
    pendingFocus.current = focus;
    setVersion((n) => n + 1);
  };

  function created(list: TodoList) {
    setCreatedId(list.id);
    announce(
      <>
        List “<Link to={listUrl(list.id)}>{list.name}</Link>” created.
      </>,
    );
    refresh({ kind: "new-list" });
  }

  function refused(message: string) {
    setLimitMessage(message);
    refresh({ kind: "new-list" });
  }

  function renamed(list: TodoList) {
    announce(`List renamed to “${list.name}”.`);
    refresh({ kind: "rename", id: list.id });
  }

  function deleted(list: TodoList, index: number) {
    setLimitMessage("");
    announce(`List “${list.name}” deleted.`);
    refresh({ kind: "card", index });
  }

  return (
    <div className="container page todo-page">
      <header className="page-header">
        <div>
          <p className="eyebrow">Lists</p>
          <h1 ref={heading} tabIndex={-1}>
            Your lists
          </h1>
          <p className="page-header__lead">Group your tasks into lists; open one to add, complete and reorder tasks.</p>
        </div>
      </header>
      <LiveStatus announcement={announcement} />

      {state.kind === "loading" && <Loading label="Loading your lists…" />}
      {state.kind === "failed" && (
        <ErrorState
          message={`Your lists could not be loaded. ${state.message}`}
          onRetry={() => {
            setState({ kind: "loading" });
            refresh();
          }}
        />
      )}
      {state.kind === "ready" && (
        <div ref={panel} className="todo-lists" aria-busy={!ready || undefined}>
          {state.refreshError && (
            <ErrorState message={`Your lists could not be refreshed. ${state.refreshError}`} onRetry={() => refresh()} />
          )}
          <section className="card todo-new-list" aria-labelledby="new-list-title">
            <h2 id="new-list-title" className="card__title">
              New list
            </h2>
            {limitMessage || (state.limit !== null && state.lists.length >= state.limit) ? (
              <UpgradePrompt ref={prompt} message={limitMessage} limit={state.limit} />
            ) : (
              <>
                <NewListForm onCreated={created} onPlanLimit={refused} />
                {state.limit !== null && (
                  <p className="muted todo-limit">
                    {state.lists.length} of {state.limit} lists on your plan.
                  </p>
                )}
              </>
            )}
          </section>

          {state.lists.length ? (
            <ul className="todo-list-grid" aria-label="Your lists">
              {state.lists.map((list, index) => (
                <ListCard
                  key={list.id}
                  list={list}
                  isNew={list.id === createdId}
                  onRenamed={renamed}
                  onDeleted={() => deleted(list, index)}
                />
              ))}
            </ul>
          ) : (
            <p className="todo-empty">No lists yet. Create your first one above.</p>
          )}
        </div>
      )}
    </div>
  );
}
