// Renders a component the way mount.tsx does, with a page configuration tests can adjust.
import { render } from "@testing-library/react";
import type { ReactNode } from "react";
import { MemoryRouter } from "react-router";

import { ConfigContext } from "../ConfigContext";
import type { PageConfig } from "../config";

export function testConfig(overrides: Partial<PageConfig> = {}): PageConfig {
  return {
    projectName: "Acme",
    projectDescription: "Work, done calmly",
    theme: "starter",
    modules: ["auth", "api"],
    user: { email: "ada@example.com", isStaff: false },
    teamId: "7",
    urls: {
      home: "/",
      dashboard: "/dashboard/",
      login: "/accounts/login/",
      passwordChange: "/accounts/password/change/",
      signup: "/accounts/signup/",
      accountSettings: "/accounts/",
      pricing: "",
      billing: "",
      apiKeys: "/accounts/api-keys/",
    },
    ...overrides,
  };
}

export function renderPage(ui: ReactNode, { config = testConfig(), path = "/" } = {}) {
  return render(
    <ConfigContext.Provider value={config}>
      <MemoryRouter initialEntries={[path]}>{ui}</MemoryRouter>
    </ConfigContext.Provider>,
  );
}

/** Replies to fetch() by URL path, like the server would; records every request. */
export function fakeServer(routes: Record<string, (request: Request) => Response | Promise<Response>>) {
  const requests: Request[] = [];
  const fetch = async (input: RequestInfo | URL, init?: RequestInit) => {
    const request = input instanceof Request ? input : new Request(new URL(String(input), window.location.origin), init);
    requests.push(request);
    const { pathname } = new URL(request.url);
    const key = `${request.method} ${pathname}`;
    const handler = routes[key];
    if (!handler) return new Response(JSON.stringify({ detail: `No route for ${key}` }), { status: 404 });
    return handler(request);
  };
  return { fetch, requests };
}

export const json = (body: unknown, status = 200) =>
  new Response(JSON.stringify(body), { status, headers: { "Content-Type": "application/json" } });
