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
const problems: string[] = [];

// Registrations run while the bundle loads: throwing there would leave every page on
// "Loading…". A clash is kept out and shown at the top of the app instead (App.tsx).
function refuse(problem: string): void {
  problems.push(problem);
  console.error(problem);
}

export function registerRoute(route: AppRoute): void {
  if (routes.some((existing) => existing.path === route.path)) {
    refuse(`A React route for ${route.path} is registered twice: the second one is ignored.`);
    return;
  }
  routes.push(route);
}

export function registerDashboardCard(card: DashboardCard): void {
  if (cards.some((existing) => existing.id === card.id)) {
    refuse(`A dashboard card with id "${card.id}" is registered twice: the second one is ignored.`);
    return;
  }
  cards.push(card);
}

/** Registrations that were refused, for the app to show. */
export function registryProblems(): readonly string[] {
  return problems;
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
  problems.length = 0;
}
