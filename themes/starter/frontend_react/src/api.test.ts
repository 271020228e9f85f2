import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

import { api, loginRedirect } from "./api";
import { fakeServer, json } from "./test/render";

describe("the API client", () => {
  beforeEach(() => {
    document.head.innerHTML = '<meta name="csrf-token" content="token-from-the-page">';
    document.body.innerHTML = '<div id="root" data-url-login="/accounts/login/"></div>';
  });
  afterEach(() => vi.unstubAllGlobals());

  it("sends GETs to /api/v1 with the session cookie and no CSRF header", async () => {
    const server = fakeServer({ "GET /api/v1/me/": () => json({ id: 1, email: "ada@example.com" }) });
    vi.stubGlobal("fetch", server.fetch);
    const { data } = await api.GET("/me/");
    expect(data?.email).toBe("ada@example.com");
    const [request] = server.requests;
    expect(request.credentials).toBe("same-origin");
    expect(request.headers.get("X-CSRFToken")).toBeNull();
  });

  it("adds the page's CSRF token to unsafe methods", async () => {
    const server = fakeServer({ "POST /api/v1/me/": () => json({}, 201) });
    vi.stubGlobal("fetch", server.fetch);
    // Any unsafe request carries it, whatever the path; the cast keeps this test schema-independent.
    await (api.POST as (path: string, init: object) => Promise<unknown>)("/me/", { body: {} });
    expect(server.requests[0].headers.get("X-CSRFToken")).toBe("token-from-the-page");
  });

  it("sends the page's team with unsafe methods only, so a write from a stale tab is refused", async () => {
    document.body.innerHTML = '<div id="root" data-url-login="/accounts/login/" data-team-id="42"></div>';
    const server = fakeServer({
      "GET /api/v1/me/": () => json({ id: 1, email: "ada@example.com" }),
      "POST /api/v1/me/": () => json({}, 201),
    });
    vi.stubGlobal("fetch", server.fetch);
    await api.GET("/me/");
    await (api.POST as (path: string, init: object) => Promise<unknown>)("/me/", { body: {} });
    expect(server.requests[0].headers.get("X-Team")).toBeNull();
    expect(server.requests[1].headers.get("X-Team")).toBe("42");
  });

  it("sends no team for a visitor's page", async () => {
    const server = fakeServer({ "POST /api/v1/me/": () => json({}, 201) });
    vi.stubGlobal("fetch", server.fetch);
    await (api.POST as (path: string, init: object) => Promise<unknown>)("/me/", { body: {} });
    expect(server.requests[0].headers.get("X-Team")).toBeNull();
  });

  it("prefers the csrftoken cookie, which a sign-in in another tab renews", async () => {
    document.cookie = "csrftoken=renewed-token; path=/";
    const server = fakeServer({ "POST /api/v1/me/": () => json({}, 201) });
    vi.stubGlobal("fetch", server.fetch);
    await (api.POST as (path: string, init: object) => Promise<unknown>)("/me/", { body: {} });
    document.cookie = "csrftoken=; expires=Thu, 01 Jan 1970 00:00:00 GMT; path=/";
    expect(server.requests[0].headers.get("X-CSRFToken")).toBe("renewed-token");
  });

  it("builds the login URL with the current path as next", () => {
    const here = { pathname: "/dashboard/", search: "" } as Location;
    expect(loginRedirect("/accounts/login/", here)).toBe("/accounts/login/?next=%2Fdashboard%2F");
  });

  it("sends the window to the login page, and back, when the session is gone", async () => {
    const assign = vi.fn();
    vi.stubGlobal("location", { ...window.location, origin: window.location.origin, pathname: "/lists/4/", search: "?q=milk", assign });
    const server = fakeServer({ "GET /api/v1/me/": () => json({ detail: "Not signed in" }, 401) });
    vi.stubGlobal("fetch", server.fetch);
    await api.GET("/me/");
    expect(assign).toHaveBeenCalledWith("/accounts/login/?next=%2Flists%2F4%2F%3Fq%3Dmilk");
  });
});
