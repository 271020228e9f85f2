import { useCallback, useEffect, useState } from "react";

import { useConfig } from "../ConfigContext";
import { loginRedirect } from "../api";
import { ErrorState } from "./ErrorState";
import { Loading } from "./Loading";

/** What /dashboard/status/ answers with Accept: application/json (the starter's views.py). */
export interface SystemStatus {
  database_ok: boolean;
  pending_migrations: number | null;
  debug?: boolean;
  django_version?: string;
}

type State =
  | { kind: "loading" }
  | { kind: "error" }
  | { kind: "ready"; status: SystemStatus; checkedAt: Date };

/** The dashboard's "System status" card: database and migrations, fetched when shown. */
export function StatusPanel({ url = "/dashboard/status/" }: { url?: string }) {
  const config = useConfig();
  const [state, setState] = useState<State>({ kind: "loading" });

  const load = useCallback(async () => {
    setState({ kind: "loading" });
    try {
      const response = await fetch(url, {
        headers: { Accept: "application/json" },
        credentials: "same-origin",
      });
      if (response.status === 401) {
        window.location.assign(loginRedirect(config.urls.login));
        return;
      }
      if (!response.ok) throw new Error(String(response.status));
      setState({ kind: "ready", status: (await response.json()) as SystemStatus, checkedAt: new Date() });
    } catch {
      setState({ kind: "error" });
    }
  }, [url, config.urls.login]);

  useEffect(() => {
    // Fetching on mount is what this effect is for; the state it sets comes after the await.
    // eslint-disable-next-line react-hooks/set-state-in-effect
    void load();
  }, [load]);

  return (
    <section className="card card--wide" aria-labelledby="status-title">
      <h2 id="status-title" className="card__title">
        System status
      </h2>
      <div aria-live="polite">
        {state.kind === "loading" && <Loading label="Checking the database and migrations…" />}
        {state.kind === "error" && (
          <ErrorState message="The status could not be loaded." onRetry={() => void load()} />
        )}
        {state.kind === "ready" && (
          <StatusList status={state.status} checkedAt={state.checkedAt} onRefresh={() => void load()} />
        )}
      </div>
    </section>
  );
}

function StatusItem({ tone, label, value }: { tone: "ok" | "warn" | "error" | "neutral"; label: string; value: string }) {
  return (
    <li className="status-item">
      <span className={`dot dot--${tone}`} aria-hidden="true" />
      <span className="status-item__label">{label}</span>
      <span className="status-item__value">{value}</span>
    </li>
  );
}

function StatusList({ status, checkedAt, onRefresh }: { status: SystemStatus; checkedAt: Date; onRefresh: () => void }) {
  const pending = status.pending_migrations;
  return (
    <div className="status">
      <ul className="status-list">
        <StatusItem
          tone={status.database_ok ? "ok" : "error"}
          label="Database"
          value={status.database_ok ? "Reachable" : "Unreachable"}
        />
        <StatusItem
          tone={pending === null ? "error" : pending ? "warn" : "ok"}
          label="Migrations"
          value={pending === null ? "Unknown" : pending ? `${pending} pending` : "Up to date"}
        />
        {status.django_version && (
          <>
            <StatusItem tone={status.debug ? "warn" : "ok"} label="Debug mode" value={status.debug ? "On" : "Off"} />
            <StatusItem tone="neutral" label="Django" value={status.django_version} />
          </>
        )}
      </ul>
      {pending ? (
        <p className="status__hint">
          Run <code>python manage.py migrate</code> to apply the pending migrations.
        </p>
      ) : null}
      <p className="status__footer">
        <span className="muted">
          Checked at <time dateTime={checkedAt.toISOString()}>{checkedAt.toLocaleTimeString()}</time>
        </span>
        <button type="button" className="btn btn--ghost btn--sm" onClick={onRefresh}>
          Refresh
        </button>
      </p>
    </div>
  );
}
