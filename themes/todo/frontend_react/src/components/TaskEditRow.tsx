import { useEffect, useRef, useState, type FormEvent, type KeyboardEvent } from "react";

import { api } from "@starter/api";
import { attempt } from "@starter/problems";

import type { Task } from "../types";
import { FormError } from "./FormError";
import { draftBody, draftOf, firstInvalid, TASK_FIELDS, TaskFields } from "./TaskFields";

interface Props {
  task: Task;
  onSaved: (task: Task) => void;
  onCancel: () => void;
}

/** Inline editing: the task's row becomes a form. Escape or Cancel puts the row back unchanged. */
export function TaskEditRow({ task, onSaved, onCancel }: Props) {
  const [draft, setDraft] = useState(() => draftOf(task));
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState("");
  const [busy, setBusy] = useState(false);
  const [refusals, setRefusals] = useState(0);
  const form = useRef<HTMLFormElement>(null);
  const title = useRef<HTMLInputElement>(null);

  useEffect(() => title.current?.focus(), []);
  useEffect(() => {
    if (refusals) (firstInvalid(form.current) ?? title.current)?.focus();
  }, [refusals]);

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (busy) return;
    setBusy(true);
    const result = await attempt(
      api.PATCH("/tasks/{id}/", { params: { path: { id: String(task.id) } }, body: draftBody(draft) }),
      TASK_FIELDS,
    );
    setBusy(false);
    if (result.ok) {
      onSaved(result.data);
      return;
    }
    setErrors(result.problem.fields);
    setFormError(result.problem.message);
    setRefusals((n) => n + 1);
  }

  function onKeyDown(event: KeyboardEvent) {
    if (event.key === "Escape") {
      event.preventDefault();
      onCancel();
    }
  }

  return (
    <li id={`task-${task.id}`} className="todo-task todo-task--editing">
      <form ref={form} className="form todo-edit" aria-label={`Edit “${task.title}”`} onSubmit={submit} onKeyDown={onKeyDown}>
        <FormError message={formError} />
        <TaskFields idPrefix={`todo-task${task.id}`} draft={draft} onChange={setDraft} errors={errors} titleRef={title} />
        <div className="form__actions">
          <button type="submit" className="btn btn--primary btn--sm" aria-busy={busy || undefined}>
            Save
          </button>
          <button type="button" className="btn btn--ghost btn--sm" onClick={onCancel}>
            Cancel
          </button>
        </div>
      </form>
    </li>
  );
}
