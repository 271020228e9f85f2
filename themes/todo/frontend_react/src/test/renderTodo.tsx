// Renders the todo pages inside the routes register.tsx declares, so links between them work
// as in the app (no full reload).
import { Route, Routes } from "react-router";

import { renderPage, testConfig } from "@starter/test/render";

import type { PageConfig } from "@starter/config";
import { ListDetailPage } from "../pages/ListDetailPage";
import { ListsPage } from "../pages/ListsPage";

export function renderTodo(path: string, config: PageConfig = testConfig({ theme: "todo" })) {
  document.head.innerHTML = '<meta name="csrf-token" content="csrf-from-the-page">';
  // The page's #root names its team, which the API client sends with each write (X-Team).
  document.body.innerHTML = `<div id="root" data-team-id="${config.teamId}"></div>`;
  return renderPage(
    <Routes>
      <Route path="/lists/" element={<ListsPage />} />
      <Route path="/lists/:listId/" element={<ListDetailPage />} />
    </Routes>,
    { config, path },
  );
}

/** The page configuration of a project with billing: a pricing page to upgrade on. */
export function configWithPricing(): PageConfig {
  const config = testConfig({ theme: "todo" });
  return { ...config, urls: { ...config.urls, pricing: "/pricing/" } };
}
