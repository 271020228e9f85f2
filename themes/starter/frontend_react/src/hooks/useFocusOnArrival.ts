import { useEffect, useRef, type RefObject } from "react";
import { useLocation } from "react-router";

/**
 * After a navigation inside the app (a link, the back button), moves the focus to the page's
 * heading once `ready`, so keyboard and screen reader users start on the new page. A page the
 * server just sent keeps the browser's own focus (the skip link stays first).
 */
export function useFocusOnArrival(heading: RefObject<HTMLElement | null>, ready: boolean): void {
  const { key } = useLocation();
  // The router gives the page it started on the key "default".
  const pending = useRef(key !== "default");
  useEffect(() => {
    if (ready && pending.current && heading.current) {
      pending.current = false;
      heading.current.focus();
    }
  }, [ready, heading]);
}
