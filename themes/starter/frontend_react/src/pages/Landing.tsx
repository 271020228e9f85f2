import type { ReactNode } from "react";

import { useConfig } from "../ConfigContext";

const icon = (paths: ReactNode) => (
  <svg viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="1.8" strokeLinecap="round" strokeLinejoin="round">
    {paths}
  </svg>
);

const FEATURES: { title: string; text: string; icon: ReactNode }[] = [
  {
    title: "Secure by default",
    text: "Email sign-in, strong password rules, CSRF protection and HTTPS-ready settings out of the box.",
    icon: icon(<><path d="M12 3l7 3v5c0 4.5-3 8.3-7 10-4-1.7-7-5.5-7-10V6l7-3z" /><path d="M9 12l2 2 4-4" /></>),
  },
  {
    title: "Fast everywhere",
    text: "A small, cached app on top of a fast API: pages respond instantly once loaded, even on a slow phone connection.",
    icon: icon(<path d="M13 2L4 14h7l-1 8 9-12h-7l1-8z" />),
  },
  {
    title: "A dashboard that helps",
    text: "Your account, your settings and the health of the service, on one screen the moment you sign in.",
    icon: icon(<><rect x="3" y="3" width="7" height="9" rx="1.5" /><rect x="14" y="3" width="7" height="5" rx="1.5" /><rect x="14" y="12" width="7" height="9" rx="1.5" /><rect x="3" y="16" width="7" height="5" rx="1.5" /></>),
  },
  {
    title: "Your data, your database",
    text: "Everything lives in a standard SQL database under your control: no lock-in, simple to back up.",
    icon: icon(<><ellipse cx="12" cy="5" rx="8" ry="3" /><path d="M4 5v6c0 1.7 3.6 3 8 3s8-1.3 8-3V5" /><path d="M4 11v6c0 1.7 3.6 3 8 3s8-1.3 8-3v-6" /></>),
  },
  {
    title: "Accessible to everyone",
    text: "Keyboard friendly, screen-reader labelled and comfortable in light or dark mode, on any screen size.",
    icon: icon(<><circle cx="12" cy="12" r="9" /><circle cx="12" cy="8" r="1.2" fill="currentColor" stroke="none" /><path d="M8 11h8M12 11v7M9.5 18l2.5-4 2.5 4" /></>),
  },
  {
    title: "Always improving",
    text: "Security fixes and new features ship regularly, without disrupting the way you already work.",
    icon: icon(<><path d="M21 12a9 9 0 1 1-3-6.7" /><path d="M21 4v5h-5" /></>),
  },
];

/** The public home page. */
export function Landing() {
  const { projectName, projectDescription, user, urls } = useConfig();
  const primary = user
    ? { href: urls.dashboard, label: "Go to your dashboard" }
    : urls.signup
      ? { href: urls.signup, label: "Create your account" }
      : { href: urls.login, label: "Log in to get started" };
  const closing = user
    ? { href: urls.dashboard, label: "Open dashboard" }
    : urls.signup
      ? { href: urls.signup, label: "Sign up free" }
      : { href: urls.login, label: "Log in" };

  return (
    <>
      <section className="hero" aria-labelledby="hero-title">
        <div className="container hero__inner">
          <div className="hero__copy">
            <p className="eyebrow">Welcome to {projectName}</p>
            <h1 id="hero-title" className="hero__title">
              {projectDescription || projectName}
            </h1>
            <p className="hero__lead">
              {projectName} gives your team one calm place to get the work done: fast pages, secure accounts
              and a dashboard that shows what matters the moment you sign in.
            </p>
            <div className="hero__actions">
              <a className="btn btn--primary btn--lg" href={primary.href}>
                {primary.label}
              </a>
              <a className="btn btn--secondary btn--lg" href="#features">
                See what's included
              </a>
            </div>
            <ul className="hero__points">
              <li>No setup on your side</li>
              <li>Works on any device</li>
              <li>Your data stays yours</li>
            </ul>
          </div>
          {/* A product preview drawn in HTML and CSS (bar heights are in app.css). */}
          <div className="preview" aria-hidden="true">
            <div className="preview__bar">
              <span /><span /><span />
            </div>
            <div className="preview__body">
              <div className="preview__stats">
                <div className="preview__stat"><small>Users</small><strong>2,481</strong><em className="up">+12%</em></div>
                <div className="preview__stat"><small>Uptime</small><strong>99.98%</strong><em className="up">30 days</em></div>
                <div className="preview__stat"><small>Response</small><strong>84 ms</strong><em className="up">-9%</em></div>
              </div>
              <div className="preview__chart">
                {Array.from({ length: 10 }, (_, i) => <span key={i} />)}
              </div>
              <div className="preview__rows">
                {["ok", "ok", "warn"].map((tone, i) => (
                  <div key={i}><i className={`dot dot--${tone}`} /><b /><u /></div>
                ))}
              </div>
            </div>
          </div>
        </div>
      </section>

      <section id="features" className="section" aria-labelledby="features-title">
        <div className="container">
          <header className="section__header">
            <p className="eyebrow">Why {projectName}</p>
            <h2 id="features-title">Everything you need, nothing in your way</h2>
            <p className="section__lead">
              Built on proven, boring technology so you can focus on your customers instead of your tooling.
            </p>
          </header>
          <ul className="feature-grid">
            {FEATURES.map((feature) => (
              <li key={feature.title} className="feature">
                <span className="feature__icon" aria-hidden="true">{feature.icon}</span>
                <h3>{feature.title}</h3>
                <p>{feature.text}</p>
              </li>
            ))}
          </ul>
        </div>
      </section>

      <section className="section section--tight" aria-labelledby="cta-title">
        <div className="container">
          <div className="cta">
            <div>
              <h2 id="cta-title">Ready when you are</h2>
              <p>
                {user
                  ? "Pick up where you left off — your dashboard is one click away."
                  : `Sign in and see ${projectName} in action in under a minute.`}
              </p>
            </div>
            <a className="btn btn--light btn--lg" href={closing.href}>
              {closing.label}
            </a>
          </div>
        </div>
      </section>
    </>
  );
}
