import { Link } from "react-router";

import { taskSearch, type TaskQuery } from "../taskQuery";

interface Props {
  query: TaskQuery;
  page: number;
  pages: number;
  onNavigate: () => void;
}

/** Previous and Next for lists longer than a page (50 tasks). */
export function Pager({ query, page, pages, onNavigate }: Props) {
  if (pages <= 1) return null;
  return (
    <nav className="todo-pager" aria-label="Pages of tasks">
      {page > 1 && (
        <Link className="btn btn--secondary btn--sm" to={{ search: taskSearch({ ...query, page: page - 1 }) }} rel="prev" onClick={onNavigate}>
          Previous
        </Link>
      )}
      <span className="muted">
        Page {page} of {pages}
      </span>
      {page < pages && (
        <Link className="btn btn--secondary btn--sm" to={{ search: taskSearch({ ...query, page: page + 1 }) }} rel="next" onClick={onNavigate}>
          Next
        </Link>
      )}
    </nav>
  );
}
