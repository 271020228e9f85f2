import { describe, expect, it } from "vitest";

import { attempt, OFFLINE, problemFrom } from "./problems";

describe("API problems", () => {
  it("puts the form's field errors by name and the others in one message", () => {
    const body = {
      status: 400,
      code: "invalid",
      detail: "Invalid input.",
      errors: { title: ["A task needs a title."], non_field_errors: ["Something else."] },
    };
    expect(problemFrom(body, 400, ["title", "due_date"])).toEqual({
      status: 400,
      code: "invalid",
      message: "Something else.",
      fields: { title: "A task needs a title." },
    });
    // A field the form does not show becomes the message.
    expect(problemFrom({ errors: { list: ["Invalid pk."] } }, 400, ["title"]).message).toBe("Invalid pk.");
  });

  it("uses the detail and keeps the code when there are no field errors", () => {
    const refusal = problemFrom({ status: 403, code: "plan_limit", detail: "Upgrade to create more." }, 403);
    expect(refusal.message).toBe("Upgrade to create more.");
    expect(refusal.code).toBe("plan_limit");
    expect(problemFrom(undefined, 500).message).toBe("Something went wrong. Please try again.");
  });

  it("turns a network failure into a problem instead of an exception", async () => {
    const outcome = await attempt(Promise.reject(new TypeError("Failed to fetch")));
    expect(outcome).toEqual({ ok: false, problem: { status: 0, code: "network", message: OFFLINE, fields: {} } });
  });
});
