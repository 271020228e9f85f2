import { afterEach, describe, expect, it } from "vitest";

import { registerDashboardCard, registerRoute, registeredCards, registeredRoutes, resetRegistry } from "./registry";

const Nothing = () => null;

describe("registry", () => {
  afterEach(() => resetRegistry());

  it("keeps routes in registration order", () => {
    registerRoute({ path: "/lists/", Component: Nothing });
    registerRoute({ path: "/app/reports", Component: Nothing });
    expect(registeredRoutes().map((route) => route.path)).toEqual(["/lists/", "/app/reports"]);
  });

  it("refuses a path registered twice, naming it", () => {
    registerRoute({ path: "/app/reports", Component: Nothing });
    expect(() => registerRoute({ path: "/app/reports", Component: Nothing })).toThrow("/app/reports");
  });

  it("sorts dashboard cards by order, 50 when unset", () => {
    registerDashboardCard({ id: "late", Component: Nothing, order: 90 });
    registerDashboardCard({ id: "default", Component: Nothing });
    registerDashboardCard({ id: "early", Component: Nothing, order: 5 });
    expect(registeredCards().map((card) => card.id)).toEqual(["early", "default", "late"]);
  });

  it("refuses a card id registered twice", () => {
    registerDashboardCard({ id: "usage", Component: Nothing });
    expect(() => registerDashboardCard({ id: "usage", Component: Nothing })).toThrow('"usage"');
  });
});
