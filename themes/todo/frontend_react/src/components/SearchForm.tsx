import { useEffect, useRef, useState, type FormEvent } from "react";

/** How long typing pauses before the search runs (as the HTMX page: 300 ms). */
export const SEARCH_DELAY_MS = 300;

interface Props {
  /** The search in the URL. */
  value: string;
  onSearch: (q: string) => void;
}

/** Searches the list's tasks as you type (after a pause) or on Enter. */
export function SearchForm({ value, onSearch }: Props) {
  const [text, setText] = useState(value);
  const [shown, setShown] = useState(value);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);

  // The URL changed without typing (back button, a link): show its search.
  if (value !== shown) {
    setShown(value);
    if (value !== text.trim()) setText(value);
  }

  useEffect(() => () => clearTimeout(timer.current), []);

  function change(next: string) {
    setText(next);
    clearTimeout(timer.current);
    timer.current = setTimeout(() => onSearch(next.trim()), SEARCH_DELAY_MS);
  }

  function submit(event: FormEvent) {
    event.preventDefault();
    clearTimeout(timer.current);
    onSearch(text.trim());
  }

  return (
    <form className="todo-search" role="search" onSubmit={submit}>
      <label htmlFor="task-search-q" className="visually-hidden">
        Search tasks
      </label>
      <input
        id="task-search-q"
        type="search"
        name="q"
        value={text}
        maxLength={100}
        placeholder="Search tasks"
        autoComplete="off"
        onChange={(event) => change(event.target.value)}
      />
      <button type="submit" className="btn btn--secondary btn--sm">
        Search
      </button>
    </form>
  );
}
