import { act, render } from "@testing-library/react";
import { useEffect } from "react";
import { MemoryRouter, useNavigate } from "react-router";
import { describe, expect, it } from "vitest";

import { ServerContent } from "./ServerContent";

function serverPage(path: string) {
  document.body.innerHTML = `
    <nav><ul class="site-nav__links">
      <li><a href="/">Home</a></li>
      <li><a href="/dashboard/" aria-current="page">Dashboard</a></li>
      <li><a href="/lists/">Lists</a></li>
    </ul></nav>
    <div class="messages"><p>Successfully signed in.</p></div>
    <div data-server-path="${path}"><h2>Your plan: Free</h2></div>`;
}

const current = () => Array.from(document.querySelectorAll("[aria-current=page]")).map((a) => a.textContent);
const moduleCards = () => document.querySelector<HTMLElement>("[data-server-path]")!;

// Follows an in-app link, as a react-router <Link> would.
const router: { navigate?: (path: string) => void } = {};
function Navigator() {
  const navigate = useNavigate();
  useEffect(() => {
    router.navigate = navigate;
  }, [navigate]);
  return null;
}

function renderAt(path: string) {
  return render(
    <MemoryRouter initialEntries={[path]}>
      <ServerContent />
      <Navigator />
    </MemoryRouter>,
    { container: document.body.appendChild(document.createElement("div")) },
  );
}

describe("ServerContent", () => {
  it("leaves the first page as the server rendered it", () => {
    serverPage("/dashboard/");
    renderAt("/dashboard/");
    expect(current()).toEqual(["Dashboard"]);
    expect(moduleCards().hidden).toBe(false);
    expect(document.querySelector(".messages")).not.toBeNull();
  });

  it("after an in-app link, moves aria-current, hides the old page's cards and its messages", () => {
    serverPage("/dashboard/");
    renderAt("/dashboard/");
    act(() => router.navigate?.("/lists/12/"));
    expect(current()).toEqual(["Lists"]);
    expect(moduleCards().hidden).toBe(true);
    expect(document.querySelector(".messages")).toBeNull();

    act(() => router.navigate?.("/dashboard/"));
    expect(moduleCards().hidden).toBe(false);
  });

  it("marks Home only on the home page itself", () => {
    serverPage("/app/reports");
    renderAt("/app/reports");
    expect(current()).toEqual([]);
  });
});
