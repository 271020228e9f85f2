import { problemFrom } from "@starter/problems";
import { describe, expect, it } from "vitest";

import { isPlanLimit } from "./planLimit";

describe("isPlanLimit", () => {
  it("recognises the lists API's plan refusal and nothing else", () => {
    expect(isPlanLimit(problemFrom({ code: "plan_limit", detail: "Upgrade." }, 403))).toBe(true);
    expect(isPlanLimit(problemFrom({ code: "permission_denied" }, 403))).toBe(false);
    expect(isPlanLimit(problemFrom({ code: "plan_limit" }, 400))).toBe(false);
  });
});
