import { BrowserRouter, Route, Routes } from "react-router";

import { ErrorBoundary } from "./components/ErrorBoundary";
import { ServerContent } from "./components/ServerContent";
import { Dashboard } from "./pages/Dashboard";
import { NotFound } from "./pages/NotFound";
import { registeredRoutes, registryProblems } from "./registry";

/**
 * The signed-in app. Django serves the same page for /dashboard/, for the paths themes register
 * (the todo theme: /lists/...) and for /app/... (your frontend/index.tsx); the router picks the
 * page, and links between them need no full reload.
 */
export function App() {
  return (
    <BrowserRouter>
      <ServerContent />
      {registryProblems().length > 0 && (
        <div className="container" role="alert">
          {registryProblems().map((problem) => (
            <p key={problem} className="alert alert--error">
              {problem}
            </p>
          ))}
        </div>
      )}
      <Routes>
        <Route path="/dashboard/" element={<Dashboard />} />
        {registeredRoutes().map(({ path, Component }) => (
          <Route
            key={path}
            path={path}
            element={
              <ErrorBoundary what="This page">
                <Component />
              </ErrorBoundary>
            }
          />
        ))}
        <Route path="*" element={<NotFound />} />
      </Routes>
    </BrowserRouter>
  );
}
