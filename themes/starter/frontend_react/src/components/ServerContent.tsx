import { useEffect, useRef } from "react";
import { useLocation } from "react-router";

/**
 * Keeps the server-rendered parts of the page in step with the page the router shows. Links
 * inside the app (dashboard -> lists) do not reload the page, so without this:
 * - the navigation's aria-current would stay on the page first loaded (the longest matching
 *   link wins: "/lists/" over "/");
 * - what the server rendered for that page beside the app (the dashboard's module cards,
 *   marked data-server-path in react_page.html) would stay on every other page;
 * - the messages of that page load ("Successfully signed in.") would follow the user around.
 */
export function ServerContent({ navLinks = ".site-nav__links a" }: { navLinks?: string }) {
  const { pathname } = useLocation();
  const firstPath = useRef(pathname);

  useEffect(() => {
    const links = Array.from(document.querySelectorAll<HTMLAnchorElement>(navLinks)).filter(
      (link) => link.origin === window.location.origin,
    );
    const matches = (link: HTMLAnchorElement) =>
      link.pathname === pathname || (link.pathname !== "/" && pathname.startsWith(link.pathname));
    const current = links.filter(matches).sort((a, b) => b.pathname.length - a.pathname.length)[0];
    for (const link of links) {
      if (link === current) link.setAttribute("aria-current", "page");
      else link.removeAttribute("aria-current");
    }

    for (const block of document.querySelectorAll<HTMLElement>("[data-server-path]")) {
      block.hidden = block.dataset.serverPath !== pathname;
    }

    if (pathname !== firstPath.current) {
      for (const messages of document.querySelectorAll(".messages")) messages.remove();
    }
  }, [pathname, navLinks]);

  return null;
}
