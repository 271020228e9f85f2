import { Link } from "react-router";

import { taskSearch, type TaskQuery } from "../taskQuery";
import { STATUSES, type TaskStatus, type TodoList } from "../types";

const LABELS: Record<TaskStatus, string> = { open: "Open", done: "Done", overdue: "Overdue", all: "All" };

function countFor(list: TodoList, status: TaskStatus): number {
  if (status === "open") return list.open_count;
  if (status === "done") return list.done_count;
  if (status === "overdue") return list.overdue_count;
  return list.open_count + list.done_count;
}

/** Open, Done, Overdue, All with their counts; links, so each filter has its URL. */
export function StatusTabs({ list, query }: { list: TodoList; query: TaskQuery }) {
  return (
    <nav className="todo-tabs" aria-label="Filter tasks">
      {STATUSES.map((status) => (
        <Link
          key={status}
          className="todo-tab"
          to={{ search: taskSearch({ status, q: query.q, page: 1 }) }}
          aria-current={query.status === status ? "page" : undefined}
        >
          {LABELS[status]} <span className="todo-tab__count">{countFor(list, status)}</span>
        </Link>
      ))}
    </nav>
  );
}
