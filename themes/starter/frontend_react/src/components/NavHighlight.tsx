import { useEffect } from "react";
import { useLocation } from "react-router";

/**
 * Keeps the server-rendered navigation's aria-current on the link of the page the router
 * shows: after a link inside the app (dashboard -> lists) the page is not reloaded, so the
 * server's choice would go stale. The longest matching link wins ("/lists/" over "/").
 */
export function NavHighlight({ selector = ".site-nav__links a" }: { selector?: string }) {
  const { pathname } = useLocation();
  useEffect(() => {
    const links = Array.from(document.querySelectorAll<HTMLAnchorElement>(selector)).filter(
      (link) => link.origin === window.location.origin,
    );
    const matches = (link: HTMLAnchorElement) =>
      link.pathname === pathname || (link.pathname !== "/" && pathname.startsWith(link.pathname));
    const current = links.filter(matches).sort((a, b) => b.pathname.length - a.pathname.length)[0];
    for (const link of links) {
      if (link === current) link.setAttribute("aria-current", "page");
      else link.removeAttribute("aria-current");
    }
  }, [pathname, selector]);
  return null;
}
