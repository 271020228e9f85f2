// Your React code: pages and dashboard cards of this project, registered through the starter's
// extension points (docs: QuickScale's docs/frontends/react.md). This folder is yours: template
// updates never touch it. The template's React code lives in quickscale_themes/*/frontend_react/.
//
// A page: Django serves the app for every URL under /app/, so register paths there:
//
//   import { registerRoute } from "@starter/registry";
//   import { Reports } from "./Reports";
//   registerRoute({ path: "/app/reports", Component: Reports });
//
// A dashboard card (lower `order` comes first; the starter's cards follow):
//
//   import { registerDashboardCard } from "@starter/registry";
//   registerDashboardCard({ id: "usage", Component: UsageCard, order: 5 });
//
// Call the REST API with the typed client: `api.GET("/me/")` from "@starter/api".
export {};
