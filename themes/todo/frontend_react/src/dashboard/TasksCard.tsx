import { useEffect, useState } from "react";
import { Link } from "react-router";

import { api } from "@starter/api";
import { ErrorState } from "@starter/components/ErrorState";
import { Loading } from "@starter/components/Loading";
import { attempt } from "@starter/problems";

import { LISTS_URL, type TodoSummary } from "../types";

type State = { kind: "loading" } | { kind: "failed" } | { kind: "ready"; totals: TodoSummary };

/** The dashboard's "Your tasks" card: totals across the user's lists (GET /api/v1/lists/summary/). */
export function TasksCard() {
  const [attemptNo, setAttemptNo] = useState(0);
  const [state, setState] = useState<State>({ kind: "loading" });

  useEffect(() => {
    let live = true;
    void attempt(api.GET("/lists/summary/")).then((result) => {
      if (live) setState(result.ok ? { kind: "ready", totals: result.data } : { kind: "failed" });
    });
    return () => {
      live = false;
    };
  }, [attemptNo]);

  return (
    <section className="card" aria-labelledby="todo-card-title">
      <h2 id="todo-card-title" className="card__title">
        Your tasks
      </h2>
      <div aria-live="polite">
        {state.kind === "loading" && <Loading label="Counting your tasks…" />}
        {state.kind === "failed" && (
          <ErrorState
            message="Your tasks could not be counted."
            onRetry={() => {
              setState({ kind: "loading" });
              setAttemptNo((n) => n + 1);
            }}
          />
        )}
        {state.kind === "ready" && (
          <dl className="details-list">
            <div>
              <dt>Lists</dt>
              <dd>{state.totals.lists}</dd>
            </div>
            <div>
              <dt>Open tasks</dt>
              <dd>{state.totals.open}</dd>
            </div>
            <div>
              <dt>Due today</dt>
              <dd>{state.totals.due_today}</dd>
            </div>
            <div>
              <dt>Overdue</dt>
              <dd>{state.totals.overdue ? <span className="tag tag--warning">{state.totals.overdue}</span> : 0}</dd>
            </div>
            <div>
              <dt>Done</dt>
              <dd>{state.totals.done}</dd>
            </div>
          </dl>
        )}
      </div>
      <p className="card__actions">
        <Link className="btn btn--secondary btn--sm" to={LISTS_URL}>
          Go to your lists
        </Link>
      </p>
    </section>
  );
}
