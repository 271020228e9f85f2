import { useRef } from "react";

import { useConfig } from "../ConfigContext";
import { AccountCard } from "../components/AccountCard";
import { ErrorBoundary } from "../components/ErrorBoundary";
import { StatusPanel } from "../components/StatusPanel";
import { useDocumentTitle } from "../hooks/useDocumentTitle";
import { useFocusOnArrival } from "../hooks/useFocusOnArrival";
import { registeredCards } from "../registry";

/** The signed-in home: the starter's cards, then those themes and your code register. */
export function Dashboard() {
  const config = useConfig();
  const heading = useRef<HTMLHeadingElement>(null);
  useDocumentTitle("Dashboard");
  // Back from the lists (an in-app link): keyboard and screen reader users start here.
  useFocusOnArrival(heading, true);
  const accountUrl = config.urls.accountSettings || config.urls.passwordChange;
  return (
    <div className="container page">
      <header className="page-header">
        <div>
          <p className="eyebrow">Dashboard</p>
          <h1 ref={heading} tabIndex={-1}>
            Welcome back
          </h1>
          {config.user && (
            <p className="page-header__lead">
              Signed in as <strong>{config.user.email}</strong>
            </p>
          )}
        </div>
        {accountUrl && (
          <a className="btn btn--secondary" href={accountUrl}>
            {config.urls.accountSettings ? "Account settings" : "Change password"}
          </a>
        )}
      </header>

      <div className="dashboard-grid">
        {registeredCards().map(({ id, Component }) => (
          <ErrorBoundary key={id} what="This card">
            <Component />
          </ErrorBoundary>
        ))}
        <AccountCard />
        <section className="card" aria-labelledby="project-title">
          <h2 id="project-title" className="card__title">
            This project
          </h2>
          <dl className="details-list">
            <div>
              <dt>Theme</dt>
              <dd>
                <span className="tag">{config.theme || "none"}</span>
              </dd>
            </div>
            <div>
              <dt>Modules</dt>
              <dd>
                {config.modules.length ? (
                  <ul className="tag-list" aria-label="Installed modules">
                    {config.modules.map((name) => (
                      <li key={name} className="tag tag--accent">
                        {name}
                      </li>
                    ))}
                  </ul>
                ) : (
                  <span className="muted">No optional modules installed yet.</span>
                )}
              </dd>
            </div>
          </dl>
        </section>
        <StatusPanel />
      </div>
    </div>
  );
}
