// The todo API's shapes, from the OpenAPI schema (api-client/schema.d.ts, `make api-client`).
import type { components } from "@api/schema";

export type TodoList = components["schemas"]["TodoList"];
export type Task = components["schemas"]["Task"];
export type TodoSummary = components["schemas"]["TodoSummary"];
export type Priority = components["schemas"]["PriorityEnum"];

/** The task filters, as on the HTMX pages and in the API's ?status= (selectors.STATUSES). */
export const STATUSES = ["open", "done", "overdue", "all"] as const;
export type TaskStatus = (typeof STATUSES)[number];
export const DEFAULT_STATUS: TaskStatus = "open";

/** Tasks per page, like the HTMX pages (views.TASKS_PER_PAGE). */
export const TASKS_PER_PAGE = 50;

export const PRIORITIES: { value: Priority; label: string }[] = [
  { value: 1, label: "Low" },
  { value: 2, label: "Normal" },
  { value: 3, label: "High" },
];

export const listUrl = (id: number) => `/lists/${id}/`;
export const LISTS_URL = "/lists/";
