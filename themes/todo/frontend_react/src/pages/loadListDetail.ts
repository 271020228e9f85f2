import { api } from "@starter/api";
import { attempt, type Outcome } from "@starter/problems";

import type { TaskQuery } from "../taskQuery";
import { TASKS_PER_PAGE, type Task, type TodoList } from "../types";

export interface TaskPage {
  tasks: Task[];
  /** Tasks matching the filter, on every page. */
  count: number;
  /** The page shown: the one asked for, or the last one when that is past the end. */
  page: number;
  pages: number;
}

export interface ListDetailData {
  list: TodoList;
  page: TaskPage;
}

const pagesFor = (count: number) => Math.max(1, Math.ceil(count / TASKS_PER_PAGE));

/** One page of a list's tasks; a page past the end (its last task just went) shows the last one. */
export async function loadTaskPage(listId: number, query: TaskQuery): Promise<Outcome<TaskPage>> {
  const get = (page: number) =>
    attempt(
      api.GET("/tasks/", {
        params: {
          query: {
            list: listId,
            status: query.status,
            search: query.q || undefined,
            page,
            page_size: TASKS_PER_PAGE,
          },
        },
      }),
    );
  let page = query.page;
  let result = await get(page);
  if (!result.ok && result.problem.status === 404 && page > 1) {
    const first = await get(1);
    if (!first.ok) return first;
    page = pagesFor(first.data.count);
    result = page === 1 ? first : await get(page);
  }
  if (!result.ok) return result;
  const { results, count } = result.data;
  return { ok: true, data: { tasks: results, count, page, pages: pagesFor(count) } };
}

/** The list (name and counts) and the page of tasks the query asks for, at the same time. */
export async function loadListDetail(listId: number, query: TaskQuery): Promise<Outcome<ListDetailData>> {
  const [list, page] = await Promise.all([
    attempt(api.GET("/lists/{id}/", { params: { path: { id: String(listId) } } })),
    loadTaskPage(listId, query),
  ]);
  if (!list.ok) return list;
  if (!page.ok) return page;
  return { ok: true, data: { list: list.data, page: page.data } };
}
