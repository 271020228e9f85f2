// The signed-in app's bundle. Themes register their pages and cards first (each theme's
// frontend_react/src/register.tsx, found by file name), then the project's own code
// ({project}/frontend/index.tsx), so the project has the last word.
import "../themes";
import "@client";

import { App } from "../App";
import { mount } from "../mount";

mount(() => <App />);
