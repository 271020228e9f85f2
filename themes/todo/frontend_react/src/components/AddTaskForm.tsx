import { useEffect, useRef, useState, type FormEvent } from "react";

import { api } from "@starter/api";
import { attempt } from "@starter/problems";

import type { Task } from "../types";
import { FormError } from "./FormError";
import { draftBody, emptyDraft, firstInvalid, TASK_FIELDS, TaskFields } from "./TaskFields";

export const ADD_TASK_TITLE_ID = "todo-new-task-title";

interface Props {
  listId: number;
  onAdded: (task: Task) => void;
}

/** Adds a task at the end of the list; the page puts the focus back in the title field. */
export function AddTaskForm({ listId, onAdded }: Props) {
  const [draft, setDraft] = useState(emptyDraft);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState("");
  const [busy, setBusy] = useState(false);
  const [refusals, setRefusals] = useState(0);
  const form = useRef<HTMLFormElement>(null);

  useEffect(() => {
    // After the API refused the task: the first field with an error (else the title) takes the focus.
    if (refusals) (firstInvalid(form.current) ?? form.current?.querySelector("input"))?.focus();
  }, [refusals]);

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (busy) return;
    setBusy(true);
    const result = await attempt(api.POST("/tasks/", { body: { list: listId, ...draftBody(draft) } }), TASK_FIELDS);
    setBusy(false);
    if (result.ok) {
      setDraft(emptyDraft());
      setErrors({});
      setFormError("");
      onAdded(result.data);
      return;
    }
    setErrors(result.problem.fields);
    setFormError(result.problem.message);
    setRefusals((n) => n + 1);
  }

  return (
    <form ref={form} className="form todo-add" aria-label="Add a task" onSubmit={submit}>
      <FormError message={formError} />
      <div className="todo-add__fields">
        <TaskFields
          idPrefix="todo-new-task"
          draft={draft}
          onChange={setDraft}
          errors={errors}
          classPrefix="todo-add__"
        />
        <button type="submit" className="btn btn--primary todo-add__submit" aria-busy={busy || undefined}>
          Add task
        </button>
      </div>
    </form>
  );
}
