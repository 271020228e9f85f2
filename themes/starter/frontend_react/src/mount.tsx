import { StrictMode, type ReactNode } from "react";
import { createRoot } from "react-dom/client";

import { ConfigContext } from "./ConfigContext";
import { readConfig } from "./config";
import "./styles.css";

/** Renders a page into #root (templates/starter/react_page.html) with its configuration. */
export function mount(render: () => ReactNode): void {
  const root = document.getElementById("root");
  if (!root) throw new Error("The page has no #root element (templates/starter/react_page.html).");
  const config = readConfig(root);
  createRoot(root).render(
    <StrictMode>
      <ConfigContext.Provider value={config}>{render()}</ConfigContext.Provider>
    </StrictMode>,
  );
}
