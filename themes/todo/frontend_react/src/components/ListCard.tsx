import { Link } from "react-router";

import { listUrl, type TodoList } from "../types";
import { DeleteList } from "./DeleteList";
import { RenameList } from "./RenameList";

interface Props {
  list: TodoList;
  isNew: boolean;
  onRenamed: (list: TodoList) => void;
  onDeleted: (list: TodoList) => void;
}

/** One list on the lists page: its name (the whole card opens it), counts, rename and delete. */
export function ListCard({ list, isNew, onRenamed, onDeleted }: Props) {
  return (
    <li className={`card todo-list-card${isNew ? " todo-list-card--new" : ""}`} data-list-id={list.id}>
      <h2 className="card__title">
        <Link to={listUrl(list.id)}>{list.name}</Link>
      </h2>
      <p className="todo-counts">
        <span className="tag">{list.open_count} open</span>
        <span className="tag tag--success">{list.done_count} done</span>
        {list.overdue_count > 0 && <span className="tag tag--warning">{list.overdue_count} overdue</span>}
      </p>
      <div className="todo-list-card__actions">
        <RenameList list={list} onRenamed={onRenamed} accessibleName={`Rename “${list.name}”`} />
        <DeleteList
          list={list}
          onDeleted={() => onDeleted(list)}
          label="Delete"
          accessibleName={`Delete “${list.name}”`}
        />
      </div>
    </li>
  );
}
