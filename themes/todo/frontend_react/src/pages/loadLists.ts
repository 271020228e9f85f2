import { api } from "@starter/api";
import { attempt, type Outcome } from "@starter/problems";

import type { TodoList } from "../types";

export interface ListsData {
  lists: TodoList[];
  /** How many lists the plan allows; null when unlimited (or no module provides plans). */
  limit: number | null;
}

/** Every list of the user (the API pages them; the lists page shows them all) and the plan's limit. */
export async function loadLists(): Promise<Outcome<ListsData>> {
  const summary = attempt(api.GET("/lists/summary/"));
  const lists: TodoList[] = [];
  for (let page = 1; ; page += 1) {
    const result = await attempt(api.GET("/lists/", { params: { query: { page, page_size: 100 } } }));
    if (!result.ok) return result;
    lists.push(...result.data.results);
    if (!result.data.next) break;
  }
  const totals = await summary;
  if (!totals.ok) return totals;
  return { ok: true, data: { lists, limit: totals.data.list_limit } };
}
