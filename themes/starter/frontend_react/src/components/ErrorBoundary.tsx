import { Component, type ErrorInfo, type ReactNode } from "react";

import { ErrorState } from "./ErrorState";

interface Props {
  children: ReactNode;
  /** What failed, in the user's words ("This card", "This page"). */
  what?: string;
}

/**
 * Keeps one failing part (a registered card or page, or an API answer it did not expect) from
 * blanking the whole page: that part shows an error, the rest keeps working.
 */
export class ErrorBoundary extends Component<Props, { failed: boolean }> {
  state = { failed: false };

  static getDerivedStateFromError() {
    return { failed: true };
  }

  componentDidCatch(error: Error, info: ErrorInfo) {
    console.error(error, info.componentStack);
  }

  render() {
    if (this.state.failed) {
      const what = this.props.what ?? "This part of the page";
      return <ErrorState message={`${what} could not be shown. Reload the page to try again.`} />;
    }
    return this.props.children;
  }
}
