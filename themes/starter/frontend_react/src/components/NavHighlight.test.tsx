import { render } from "@testing-library/react";
import { MemoryRouter } from "react-router";
import { describe, expect, it } from "vitest";

import { NavHighlight } from "./NavHighlight";

function navigation() {
  document.body.innerHTML = `
    <nav><ul class="site-nav__links">
      <li><a href="/">Home</a></li>
      <li><a href="/dashboard/" aria-current="page">Dashboard</a></li>
      <li><a href="/lists/">Lists</a></li>
    </ul></nav>`;
  const current = () => Array.from(document.querySelectorAll("[aria-current=page]")).map((a) => a.textContent);
  return { current };
}

describe("NavHighlight", () => {
  it("moves aria-current to the link of the page the router shows", () => {
    const { current } = navigation();
    render(
      <MemoryRouter initialEntries={["/lists/12/"]}>
        <NavHighlight />
      </MemoryRouter>,
      { container: document.body.appendChild(document.createElement("div")) },
    );
    expect(current()).toEqual(["Lists"]);
  });

  it("marks Home only on the home page itself", () => {
    const { current } = navigation();
    render(
      <MemoryRouter initialEntries={["/app/reports"]}>
        <NavHighlight />
      </MemoryRouter>,
      { container: document.body.appendChild(document.createElement("div")) },
    );
    expect(current()).toEqual([]);
  });
});
