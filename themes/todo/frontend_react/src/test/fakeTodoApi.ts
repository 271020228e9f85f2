// The todo API in memory, for the page tests: the same answers as api.py (counts, ordering,
// validation errors in the api module's shape, 403 plan_limit, 404s), behind the starter's
// fakeServer, so the tests replace nothing but fetch().
import { fakeServer, json } from "@starter/test/render";

import type { Task, TodoList } from "../types";

type StoredList = Pick<TodoList, "id" | "name">;
/** A task as the server holds it: what the API shows as read-only, it changes. */
type StoredTask = { -readonly [K in keyof Task]: Task[K] };
type Handler = (request: Request) => Response | Promise<Response>;

export const TODAY = "2030-06-15";

const invalid = (errors: Record<string, string[]>) =>
  json({ status: 400, code: "invalid", detail: "Invalid input.", errors }, 400);
const notFound = () => json({ status: 404, code: "not_found", detail: "Not found." }, 404);

export function fakeTodoApi({ limit = null as number | null } = {}) {
  const lists: StoredList[] = [];
  const tasks: StoredTask[] = [];
  let nextId = 1;
  /** Answers queued for "METHOD /path/" (failures to test), used before the normal ones. */
  const queued: Record<string, Response[]> = {};

  const withCounts = (list: StoredList): TodoList => {
    const own = tasks.filter((task) => task.list === list.id);
    return {
      ...list,
      open_count: own.filter((task) => !task.done).length,
      done_count: own.filter((task) => task.done).length,
      overdue_count: own.filter((task) => !task.done && task.due_date && task.due_date < TODAY).length,
      created_at: "2030-01-01T10:00:00Z",
      updated_at: "2030-01-01T10:00:00Z",
    };
  };
  const sorted = () => [...lists].sort((a, b) => a.name.toLowerCase().localeCompare(b.name.toLowerCase()));

  function addList(name: string): TodoList {
    const list = { id: nextId++, name };
    lists.push(list);
    return withCounts(list);
  }

  function addTask(listId: number, title: string, fields: Partial<Task> = {}): Task {
    const group = tasks.filter((task) => task.list === listId && Boolean(task.done) === Boolean(fields.done));
    const task: StoredTask = {
      id: nextId++,
      list: listId,
      title,
      done: false,
      completed_at: fields.done ? "2030-06-14T09:00:00Z" : null,
      due_date: null,
      priority: 2,
      position: group.length,
      created_at: "2030-01-01T10:00:00Z",
      updated_at: "2030-01-01T10:00:00Z",
      ...fields,
    };
    tasks.push(task);
    return task;
  }

  function nameProblem(name: string, except?: number): Response | null {
    const clean = name.trim();
    if (!clean) return invalid({ name: ["This field may not be blank."] });
    if (lists.some((list) => list.id !== except && list.name.toLowerCase() === clean.toLowerCase())) {
      return invalid({ non_field_errors: ["There is already a list with this name."] });
    }
    return null;
  }

  function page<T>(items: T[], url: URL): Response {
    const size = Number(url.searchParams.get("page_size") ?? 50);
    const number = Number(url.searchParams.get("page") ?? 1);
    const start = (number - 1) * size;
    if (number > 1 && start >= items.length) return notFound();
    const next = start + size < items.length ? `${url.origin}${url.pathname}?page=${number + 1}` : null;
    return json({ count: items.length, next, previous: null, results: items.slice(start, start + size) });
  }

  function taskList(url: URL): StoredTask[] {
    const status = url.searchParams.get("status") ?? "all";
    const words = (url.searchParams.get("search") ?? "").toLowerCase().split(/\s+/).filter(Boolean);
    const listId = Number(url.searchParams.get("list"));
    return tasks
      .filter((task) => !listId || task.list === listId)
      .filter((task) =>
        status === "open" ? !task.done : status === "done" ? task.done : status === "overdue" ? !task.done && task.due_date && task.due_date < TODAY : true,
      )
      .filter((task) => words.every((word) => task.title.toLowerCase().includes(word)))
      .sort((a, b) => Number(a.done) - Number(b.done) || a.position - b.position || a.id - b.id);
  }

  const byId = (match: RegExpMatchArray) => Number(match[1]);

  const routes: [RegExp, Handler][] = [
    [/^GET \/api\/v1\/lists\/$/, (request) => page(sorted().map(withCounts), new URL(request.url))],
    [
      /^POST \/api\/v1\/lists\/$/,
      async (request) => {
        const { name } = (await request.clone().json()) as { name: string };
        if (limit !== null && lists.length >= limit) {
          const noun = limit === 1 ? "list" : "lists";
          return json({ status: 403, code: "plan_limit", detail: `Your plan includes ${limit} ${noun}. Upgrade to create more.` }, 403);
        }
        return nameProblem(name) ?? json(addList(name.trim()), 201);
      },
    ],
    [
      /^GET \/api\/v1\/lists\/summary\/$/,
      () => {
        const open = tasks.filter((task) => !task.done);
        return json({
          lists: lists.length,
          list_limit: limit,
          open: open.length,
          due_today: open.filter((task) => task.due_date === TODAY).length,
          overdue: open.filter((task) => task.due_date && task.due_date < TODAY).length,
          done: tasks.length - open.length,
        });
      },
    ],
  ];
  const listRoute = (method: string, handler: (list: StoredList, request: Request) => Response | Promise<Response>) =>
    routes.push([
      new RegExp(`^${method} /api/v1/lists/(\\d+)/$`),
      (request) => {
        const match = new URL(request.url).pathname.match(/(\d+)\/$/)!;
        const list = lists.find((item) => item.id === byId(match));
        return list ? handler(list, request) : notFound();
      },
    ]);
  const taskRoute = (
    method: string,
    suffix: string,
    handler: (task: StoredTask, request: Request) => Response | Promise<Response>,
  ) =>
    routes.push([
      new RegExp(`^${method} /api/v1/tasks/(\\d+)/${suffix}$`),
      (request) => {
        const match = new URL(request.url).pathname.match(/tasks\/(\d+)\//)!;
        const task = tasks.find((item) => item.id === byId(match));
        return task ? handler(task, request) : notFound();
      },
    ]);

  listRoute("GET", (list) => json(withCounts(list)));
  listRoute("PATCH", async (list, request) => {
    const { name } = (await request.clone().json()) as { name: string };
    const problem = nameProblem(name, list.id);
    if (problem) return problem;
    list.name = name.trim();
    return json(withCounts(list));
  });
  listRoute("DELETE", (list) => {
    lists.splice(lists.indexOf(list), 1);
    for (const task of tasks.filter((item) => item.list === list.id)) tasks.splice(tasks.indexOf(task), 1);
    return new Response(null, { status: 204 });
  });
  routes.push([/^GET \/api\/v1\/tasks\/$/, (request) => page(taskList(new URL(request.url)), new URL(request.url))]);
  routes.push([
    /^POST \/api\/v1\/tasks\/$/,
    async (request) => {
      const body = (await request.clone().json()) as Partial<Task>;
      if (!body.title?.trim()) return invalid({ title: ["This field may not be blank."] });
      if (!lists.some((list) => list.id === body.list)) return invalid({ list: ["Invalid pk - object does not exist."] });
      return json(addTask(body.list!, body.title.trim(), { due_date: body.due_date ?? null, priority: body.priority ?? 2 }), 201);
    },
  ]);
  taskRoute("PATCH", "", async (task, request) => {
    const body = (await request.clone().json()) as Partial<Task>;
    if (body.title !== undefined && !body.title.trim()) return invalid({ title: ["This field may not be blank."] });
    if (body.done !== undefined && body.done !== task.done) {
      task.position = tasks.filter((item) => item.list === task.list && item.done === body.done).length;
      task.completed_at = body.done ? "2030-06-15T09:00:00Z" : null;
    }
    Object.assign(task, body);
    return json(task);
  });
  taskRoute("DELETE", "", (task) => {
    tasks.splice(tasks.indexOf(task), 1);
    return new Response(null, { status: 204 });
  });
  taskRoute("POST", "move/", async (task, request) => {
    const { direction } = (await request.clone().json()) as { direction: "up" | "down" };
    const group = tasks
      .filter((item) => item.list === task.list && item.done === task.done)
      .sort((a, b) => a.position - b.position || a.id - b.id);
    const index = group.indexOf(task);
    const target = direction === "up" ? index - 1 : index + 1;
    if (target >= 0 && target < group.length) [group[index], group[target]] = [group[target], group[index]];
    group.forEach((item, position) => (item.position = position));
    return json(task);
  });

  const handlers = new Proxy({} as Record<string, Handler>, {
    get(_, key: string) {
      if (queued[key]?.length) {
        const response = queued[key].shift()!;
        return () => response;
      }
      const route = routes.find(([pattern]) => pattern.test(key));
      return route?.[1];
    },
  });
  const server = fakeServer(handlers);

  return {
    fetch: server.fetch,
    requests: server.requests,
    lists,
    tasks,
    addList,
    addTask,
    /** The next request to `key` ("POST /api/v1/lists/") gets `response` instead. */
    answerNext(key: string, response: Response) {
      (queued[key] ??= []).push(response);
    },
    /** The requests sent to `method` `path` (the path without the query). */
    sent(method: string, path: string) {
      return server.requests.filter((request) => request.method === method && new URL(request.url).pathname === path);
    },
  };
}

export { json };
