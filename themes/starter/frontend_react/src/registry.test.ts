import { afterEach, describe, expect, it, vi } from "vitest";

import {
  registerDashboardCard,
  registerRoute,
  registeredCards,
  registeredRoutes,
  registryProblems,
  resetRegistry,
} from "./registry";

const Nothing = () => null;

describe("registry", () => {
  afterEach(() => {
    resetRegistry();
    vi.restoreAllMocks();
  });

  it("keeps routes in registration order", () => {
    registerRoute({ path: "/lists/", Component: Nothing });
    registerRoute({ path: "/app/reports", Component: Nothing });
    expect(registeredRoutes().map((route) => route.path)).toEqual(["/lists/", "/app/reports"]);
  });

  it("keeps the first of a path registered twice and reports the clash, naming it", () => {
    const console = vi.spyOn(globalThis.console, "error").mockImplementation(() => {});
    const First = () => null;
    registerRoute({ path: "/app/reports", Component: First });
    registerRoute({ path: "/app/reports", Component: Nothing });
    expect(registeredRoutes()).toEqual([{ path: "/app/reports", Component: First }]);
    expect(registryProblems()).toEqual([expect.stringContaining("/app/reports")]);
    expect(console).toHaveBeenCalledOnce();
  });

  it("sorts dashboard cards by order, 50 when unset", () => {
    registerDashboardCard({ id: "late", Component: Nothing, order: 90 });
    registerDashboardCard({ id: "default", Component: Nothing });
    registerDashboardCard({ id: "early", Component: Nothing, order: 5 });
    expect(registeredCards().map((card) => card.id)).toEqual(["early", "default", "late"]);
  });

  it("keeps the first of a card id registered twice and reports the clash", () => {
    vi.spyOn(globalThis.console, "error").mockImplementation(() => {});
    registerDashboardCard({ id: "usage", Component: Nothing });
    registerDashboardCard({ id: "usage", Component: Nothing });
    expect(registeredCards()).toHaveLength(1);
    expect(registryProblems()).toEqual([expect.stringContaining('"usage"')]);
  });
});
