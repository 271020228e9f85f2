import { formatDay, formatShortDay, isOverdue } from "../dates";
import type { Task } from "../types";

export type Direction = "up" | "down";

interface Props {
  task: Task;
  today: string;
  canMoveUp: boolean;
  canMoveDown: boolean;
  onToggle: () => void;
  onEdit: () => void;
  onMove: (direction: Direction) => void;
  onDelete: () => void;
}

/**
 * One task: complete or reopen, edit in place, move up or down (open tasks), delete. Every
 * button is named after the task ("Complete “Buy milk”"); data-focus lets the page put the
 * focus back on the same control after the list is read again.
 */
export function TaskRow({ task, today, canMoveUp, canMoveDown, onToggle, onEdit, onMove, onDelete }: Props) {
  const name = `“${task.title}”`;
  const overdue = isOverdue(task, today);
  return (
    <li id={`task-${task.id}`} className={`todo-task${task.done ? " todo-task--done" : ""}`}>
      <div className="todo-task__form">
        <button
          type="button"
          className="todo-check"
          aria-pressed={Boolean(task.done)}
          aria-label={`${task.done ? "Reopen" : "Complete"} ${name}`}
          data-focus={`toggle-${task.id}`}
          onClick={onToggle}
        />
        <div className="todo-task__body">
          <span className="todo-task__title">{task.title}</span>
          <span className="todo-task__meta">
            {task.priority === 3 && <span className="tag tag--warning">High</span>}
            {task.priority === 1 && <span className="tag">Low</span>}
            {task.due_date && (
              <span className={overdue ? "todo-due todo-due--overdue" : "todo-due"}>
                {overdue && "Overdue · "}Due <time dateTime={task.due_date}>{formatDay(task.due_date)}</time>
              </span>
            )}
            {task.done && task.completed_at && (
              <span className="muted">
                Done <time dateTime={task.completed_at}>{formatShortDay(task.completed_at)}</time>
              </span>
            )}
          </span>
        </div>
        <div className="todo-task__actions">
          <button
            type="button"
            className="btn btn--ghost btn--sm"
            aria-label={`Edit ${name}`}
            data-focus={`edit-${task.id}`}
            onClick={onEdit}
          >
            Edit
          </button>
          {!task.done && (
            <>
              <button
                type="button"
                className="btn btn--ghost btn--sm todo-move"
                aria-label={`Move ${name} up`}
                data-focus={`up-${task.id}`}
                disabled={!canMoveUp}
                onClick={() => onMove("up")}
              >
                <span aria-hidden="true">↑</span>
              </button>
              <button
                type="button"
                className="btn btn--ghost btn--sm todo-move"
                aria-label={`Move ${name} down`}
                data-focus={`down-${task.id}`}
                disabled={!canMoveDown}
                onClick={() => onMove("down")}
              >
                <span aria-hidden="true">↓</span>
              </button>
            </>
          )}
          <button
            type="button"
            className="btn btn--ghost btn--sm todo-delete"
            aria-label={`Delete ${name}`}
            data-focus={`delete-${task.id}`}
            onClick={onDelete}
          >
            Delete
          </button>
        </div>
      </div>
    </li>
  );
}
