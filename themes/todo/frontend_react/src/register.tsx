// The todo theme's React pages and dashboard card, registered with the starter's app
// (loaded by the starter's src/themes.ts, which imports every theme's register.tsx). Django keeps
// serving these URLs (views.py: sign-in required, another user's list is a 404) with the React
// shells in ../templates/todo/.
import { registerDashboardCard, registerRoute } from "@starter/registry";

// The HTMX pages' stylesheet styles the same classes here (in the bundle, so a page reached by a
// link from the dashboard has it too), then the few rules only the React pages need.
import "../../frontend_htmx/static/todo/css/todo.css";
import "./todo.css";

import { TasksCard } from "./dashboard/TasksCard";
import { ListDetailPage } from "./pages/ListDetailPage";
import { ListsPage } from "./pages/ListsPage";

registerRoute({ path: "/lists/", Component: ListsPage });
registerRoute({ path: "/lists/:listId/", Component: ListDetailPage });
registerDashboardCard({ id: "todo-tasks", Component: TasksCard, order: 10 });
