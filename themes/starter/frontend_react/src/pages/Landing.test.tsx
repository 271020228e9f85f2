import { screen } from "@testing-library/react";
import { describe, expect, it } from "vitest";

import { renderPage, testConfig } from "../test/render";
import { Landing } from "./Landing";

describe("Landing", () => {
  it("invites visitors to sign up when sign-up exists", () => {
    renderPage(<Landing />, { config: testConfig({ user: null }) });
    expect(screen.getByRole("heading", { level: 1 })).toHaveTextContent("Work, done calmly");
    expect(screen.getByRole("link", { name: "Create your account" })).toHaveAttribute("href", "/accounts/signup/");
  });

  it("falls back to the login page without a sign-up page", () => {
    const config = testConfig({ user: null });
    renderPage(<Landing />, { config: { ...config, urls: { ...config.urls, signup: "" } } });
    expect(screen.getByRole("link", { name: "Log in to get started" })).toHaveAttribute("href", "/accounts/login/");
  });

  it("sends signed-in users to their dashboard", () => {
    renderPage(<Landing />);
    expect(screen.getByRole("link", { name: "Go to your dashboard" })).toHaveAttribute("href", "/dashboard/");
    expect(screen.queryByRole("link", { name: /sign up/i })).not.toBeInTheDocument();
  });
});
