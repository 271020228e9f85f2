import { describe, expect, it } from "vitest";

import { registeredCards, registeredRoutes } from "@starter/registry";

import "./register";

describe("the todo theme's registrations", () => {
  it("adds the lists pages under the URLs Django serves them at, and the dashboard card", () => {
    expect(registeredRoutes().map((route) => route.path)).toEqual(["/lists/", "/lists/:listId/"]);
    expect(registeredCards().map((card) => card.id)).toContain("todo-tasks");
  });
});
