import { describe, expect, it } from "vitest";

import { readConfig } from "./config";

describe("readConfig", () => {
  it("reads the page's data attributes; an empty email means nobody is signed in", () => {
    const root = document.createElement("div");
    Object.assign(root.dataset, {
      projectName: "Acme",
      modules: "auth,api",
      userEmail: "",
      urlSignup: "/accounts/signup/",
      urlPricing: "",
    });
    const config = readConfig(root);
    expect(config.projectName).toBe("Acme");
    expect(config.modules).toEqual(["auth", "api"]);
    expect(config.user).toBeNull();
    expect(config.urls.signup).toBe("/accounts/signup/");
    expect(config.urls.pricing).toBe("");
    expect(config.teamId).toBe("");
  });

  it("reads the id of the team the page shows", () => {
    const root = document.createElement("div");
    Object.assign(root.dataset, { userEmail: "ada@example.com", teamId: "42" });
    expect(readConfig(root).teamId).toBe("42");
  });

  it("knows a signed-in staff user", () => {
    const root = document.createElement("div");
    Object.assign(root.dataset, { userEmail: "ada@example.com", userStaff: "true", modules: "" });
    expect(readConfig(root).user).toEqual({ email: "ada@example.com", isStaff: true });
    expect(readConfig(root).modules).toEqual([]);
  });
});
