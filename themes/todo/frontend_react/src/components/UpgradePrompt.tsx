import type { Ref } from "react";

import { useConfig } from "@starter/ConfigContext";

interface Props {
  /** The API's refusal ("Your plan includes 3 lists. Upgrade to create more."), if any. */
  message: string;
  limit: number | null;
  ref?: Ref<HTMLDivElement>;
}

/** Shown instead of the new-list form when the plan's list limit is reached (billing). */
export function UpgradePrompt({ message, limit, ref }: Props) {
  const { urls } = useConfig();
  const text =
    message ||
    (limit === null ? "" : `Your plan includes ${limit} list${limit === 1 ? "" : "s"}, and you have them all.`);
  return (
    <div ref={ref} className="alert alert--warning todo-upgrade" role="status" tabIndex={-1}>
      <p>{text}</p>
      {urls.pricing && (
        <p>
          <a className="btn btn--primary btn--sm" href={urls.pricing}>
            Upgrade your plan
          </a>
        </p>
      )}
    </div>
  );
}
