import { createContext, useContext } from "react";

import type { PageConfig } from "./config";

export const ConfigContext = createContext<PageConfig | null>(null);

/** The page's configuration (config.ts); every page is rendered inside a provider. */
export function useConfig(): PageConfig {
  const config = useContext(ConfigContext);
  if (!config) throw new Error("useConfig() outside <ConfigContext.Provider>");
  return config;
}
