import { useEffect } from "react";

import { useConfig } from "../ConfigContext";

/** Keeps the tab's title right as the router changes pages ("Groceries · Acme"). */
export function useDocumentTitle(title: string | null): void {
  const { projectName } = useConfig();
  useEffect(() => {
    if (title) document.title = projectName ? `${title} · ${projectName}` : title;
  }, [title, projectName]);
}
