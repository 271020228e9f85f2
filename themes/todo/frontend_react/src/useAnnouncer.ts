import { useCallback, useState, type ReactNode } from "react";

export interface Announcement {
  id: number;
  content: ReactNode;
}

/** What the page's live region says after each action (components/LiveStatus.tsx). */
export function useAnnouncer(initial: ReactNode = null) {
  const [announcement, setAnnouncement] = useState<Announcement | null>(
    initial ? { id: 1, content: initial } : null,
  );
  // A new id each time, so the same words said twice ("Task added.") are announced twice.
  const announce = useCallback(
    (content: ReactNode) => setAnnouncement((previous) => ({ id: (previous?.id ?? 0) + 1, content })),
    [],
  );
  return [announcement, announce] as const;
}
