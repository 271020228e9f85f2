// The typed client of the project's REST API (/api/v1/). Types come from the OpenAPI schema
// (api-client/schema.d.ts, `make api-client`); requests carry the session cookie and, for
// unsafe methods, the CSRF token, exactly like the site's own forms, and the team the page
// shows. No token is ever stored in the browser (docs/frontends/react.md, "Authentication").
import createClient, { type Middleware } from "openapi-fetch";

import type { paths } from "@api/schema";

import { readConfig } from "./config";

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS", "TRACE"]);

/**
 * The CSRF token: Django's csrftoken cookie when readable (it changes when the user signs in
 * again, in this tab or another one), else the token the page was rendered with.
 */
export function csrfToken(): string {
  const cookie = document.cookie.split("; ").find((part) => part.startsWith("csrftoken="));
  if (cookie) return decodeURIComponent(cookie.slice("csrftoken=".length));
  return document.querySelector<HTMLMetaElement>('meta[name="csrf-token"]')?.content ?? "";
}

/** Where a request without a valid session sends the window: the login page, then back here. */
export function loginRedirect(loginUrl: string, location: Location = window.location): string {
  const next = location.pathname + location.search;
  return `${loginUrl}?${new URLSearchParams({ next })}`;
}

/**
 * The team the page was rendered for (#root's data-team-id). Sent with every write as X-Team:
 * after a switch to another team in another tab, the server refuses it with 409 (code
 * "team_changed") instead of writing into the team switched to.
 */
export function pageTeam(): string {
  const root = document.getElementById("root");
  return root ? readConfig(root).teamId : "";
}

const session: Middleware = {
  onRequest({ request }) {
    if (!SAFE_METHODS.has(request.method)) {
      request.headers.set("X-CSRFToken", csrfToken());
      const team = pageTeam();
      if (team) request.headers.set("X-Team", team);
    }
    return request;
  },
  onResponse({ response }) {
    // The session ended (logged out in another tab, expired): sign in again, then come back.
    if (response.status === 401) {
      const login = document.getElementById("root")?.dataset.urlLogin ?? "/accounts/login/";
      window.location.assign(loginRedirect(login));
    }
    return response;
  },
};

export const api = createClient<paths>({
  baseUrl: `${window.location.origin}/api/v1`,
  credentials: "same-origin",
  headers: { Accept: "application/json" },
  // Looked up on every call, so tests can replace the network (the true external boundary).
  fetch: (request: Request) => globalThis.fetch(request),
});
api.use(session);
