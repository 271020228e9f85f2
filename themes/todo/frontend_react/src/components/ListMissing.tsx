import { useRef } from "react";
import { Link } from "react-router";

import { useFocusOnArrival } from "@starter/hooks/useFocusOnArrival";

import { LISTS_URL } from "../types";

/** A list that is not there (deleted, perhaps in another tab, or someone else's). */
export function ListMissing() {
  const heading = useRef<HTMLHeadingElement>(null);
  useFocusOnArrival(heading, true);
  return (
    <div className="container page error-page">
      <p className="error-page__code">404</p>
      <h1 ref={heading} tabIndex={-1}>
        List not found
      </h1>
      <p className="error-page__lead">This list does not exist, or it was deleted.</p>
      <p className="error-page__actions">
        <Link className="btn btn--primary" to={LISTS_URL}>
          Back to your lists
        </Link>
      </p>
    </div>
  );
}
