import { describe, expect, it } from "vitest";

import { matchesSearch, readTaskQuery, taskSearch } from "./taskQuery";

describe("a list page's query", () => {
  it("reads the status, search and page, falling back like the server", () => {
    expect(readTaskQuery(new URLSearchParams(""))).toEqual({ status: "open", q: "", page: 1 });
    expect(readTaskQuery(new URLSearchParams("status=done&q=+milk+&page=3"))).toEqual({
      status: "done",
      q: "milk",
      page: 3,
    });
    expect(readTaskQuery(new URLSearchParams("status=nope&page=²"))).toEqual({ status: "open", q: "", page: 1 });
    expect(readTaskQuery(new URLSearchParams("page=99999999999999999999")).page).toBe(1);
  });

  it("drops NUL characters and keeps at most 100 characters of search", () => {
    expect(readTaskQuery(new URLSearchParams("q=Mi%00lk")).q).toBe("Milk");
    expect(readTaskQuery(new URLSearchParams(`q=${"x".repeat(300)}`)).q).toHaveLength(100);
  });

  it("writes the query back, leaving out page 1 and an empty search", () => {
    expect(taskSearch({ status: "open", q: "", page: 1 })).toBe("?status=open");
    expect(taskSearch({ status: "all", q: "oat milk", page: 2 })).toBe("?status=all&q=oat+milk&page=2");
  });

  it("matches a title like the API's search: every word, anywhere, any case", () => {
    expect(matchesSearch("Buy oat MILK", "milk buy")).toBe(true);
    expect(matchesSearch("Buy oat milk", "bread")).toBe(false);
    expect(matchesSearch("Anything", "")).toBe(true);
  });
});
