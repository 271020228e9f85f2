// What a list page shows lives in its URL, as on the HTMX pages: ?status=done&q=milk&page=2.
// Links, the back button and a reload all show the same tasks.
import { DEFAULT_STATUS, STATUSES, type TaskStatus } from "./types";

export interface TaskQuery {
  status: TaskStatus;
  /** The search text, trimmed, at most 100 characters (like selectors.TaskFilter). */
  q: string;
  page: number;
}

export function readTaskQuery(params: URLSearchParams): TaskQuery {
  const status = params.get("status");
  const page = Number(params.get("page"));
  return {
    status: STATUSES.includes(status as TaskStatus) ? (status as TaskStatus) : DEFAULT_STATUS,
    q: (params.get("q") ?? "").replace(/\0/g, "").trim().slice(0, 100),
    page: Number.isSafeInteger(page) && page > 1 ? page : 1,
  };
}

/** "?status=open&q=milk&page=2" (page 1 and an empty search are left out). */
export function taskSearch({ status, q, page }: TaskQuery): string {
  const params = new URLSearchParams({ status });
  if (q) params.set("q", q);
  if (page > 1) params.set("page", String(page));
  return `?${params}`;
}

/** Whether the API's search (every word, anywhere in the title, any case) finds `title`. */
export function matchesSearch(title: string, q: string): boolean {
  const text = title.toLowerCase();
  return q
    .toLowerCase()
    .split(/\s+/)
    .filter(Boolean)
    .every((word) => text.includes(word));
}
