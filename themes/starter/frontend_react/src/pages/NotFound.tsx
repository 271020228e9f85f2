import { useRef } from "react";

import { useConfig } from "../ConfigContext";
import { useDocumentTitle } from "../hooks/useDocumentTitle";
import { useFocusOnArrival } from "../hooks/useFocusOnArrival";

/** A path the app has no page for (the server answered with the app for it). */
export function NotFound() {
  const config = useConfig();
  const heading = useRef<HTMLHeadingElement>(null);
  useDocumentTitle("Page not found");
  useFocusOnArrival(heading, true);
  return (
    <div className="container page error-page">
      <p className="error-page__code">404</p>
      <h1 ref={heading} tabIndex={-1}>
        Page not found
      </h1>
      <p className="error-page__lead">There is nothing at this address.</p>
      <p className="error-page__actions">
        <a className="btn btn--primary" href={config.urls.dashboard}>
          Go to your dashboard
        </a>
      </p>
    </div>
  );
}
