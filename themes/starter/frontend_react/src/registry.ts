// Extension points of the React app: themes (their frontend_react/src/register.tsx) and the
// project's own code ({project}/frontend/index.tsx) add pages and dashboard cards here, so
// nobody edits the template's files to extend the app (docs/frontends/react.md).
import type { ComponentType } from "react";

export interface AppRoute {
  /** A react-router path under a URL Django serves with the app (e.g. "/lists/*", "/app/reports"). */
  path: string;
  Component: ComponentType;
}

export interface DashboardCard {
  id: string;
  Component: ComponentType;
  /** Lower comes first; the starter's own cards use 10, 20 and 90. */
  order?: number;
}

const routes: AppRoute[] = [];
const cards: DashboardCard[] = [];

export function registerRoute(route: AppRoute): void {
  if (routes.some((existing) => existing.path === route.path)) {
    throw new Error(`A React route for ${route.path} is registered twice.`);
  }
  routes.push(route);
}

export function registerDashboardCard(card: DashboardCard): void {
  if (cards.some((existing) => existing.id === card.id)) {
    throw new Error(`A dashboard card with id "${card.id}" is registered twice.`);
  }
  cards.push(card);
}

export function registeredRoutes(): readonly AppRoute[] {
  return routes;
}

export function registeredCards(): DashboardCard[] {
  return [...cards].sort((a, b) => (a.order ?? 50) - (b.order ?? 50));
}

/** Tests only: forget what was registered. */
export function resetRegistry(): void {
  routes.length = 0;
  cards.length = 0;
}
