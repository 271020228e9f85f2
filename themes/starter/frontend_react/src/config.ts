// What the server tells the React app about the page: read once from the data-* attributes of
// the #root element (templates/starter/react_page.html), so no request is needed to start.

export interface PageConfig {
  projectName: string;
  projectDescription: string;
  theme: string;
  modules: string[];
  user: { email: string; isStaff: boolean } | null;
  /** The id of the team the page shows (request.team); "" for visitors. Writes send it as X-Team. */
  teamId: string;
  /** Named pages; "" when the project has no such page (a module is not installed). */
  urls: {
    home: string;
    dashboard: string;
    login: string;
    passwordChange: string;
    signup: string;
    accountSettings: string;
    pricing: string;
    billing: string;
    apiKeys: string;
  };
}

export function readConfig(root: HTMLElement): PageConfig {
  const data = root.dataset;
  return {
    projectName: data.projectName ?? "",
    projectDescription: data.projectDescription ?? "",
    theme: data.theme ?? "",
    modules: (data.modules ?? "").split(",").filter(Boolean),
    user: data.userEmail ? { email: data.userEmail, isStaff: data.userStaff === "true" } : null,
    teamId: data.teamId ?? "",
    urls: {
      home: data.urlHome ?? "/",
      dashboard: data.urlDashboard ?? "/dashboard/",
      login: data.urlLogin ?? "/accounts/login/",
      passwordChange: data.urlPasswordChange ?? "",
      signup: data.urlSignup ?? "",
      accountSettings: data.urlAccountSettings ?? "",
      pricing: data.urlPricing ?? "",
      billing: data.urlBilling ?? "",
      apiKeys: data.urlApiKeys ?? "",
    },
  };
}
