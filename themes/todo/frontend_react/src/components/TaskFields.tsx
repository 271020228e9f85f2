import type { Ref } from "react";

import { PRIORITIES, type Priority, type Task } from "../types";
import { FieldError, invalidProps } from "./FieldError";

/** A task's editable fields as the form holds them ("" for no due date). */
export interface TaskDraft {
  title: string;
  due_date: string;
  priority: Priority;
}

export const TASK_FIELDS = ["title", "due_date", "priority"] as const;
export const emptyDraft = (): TaskDraft => ({ title: "", due_date: "", priority: 2 });
export const draftOf = (task: Task): TaskDraft => ({
  title: task.title,
  due_date: task.due_date ?? "",
  priority: task.priority ?? 2,
});
/** The request body: an empty due date is "no due date". */
export const draftBody = (draft: TaskDraft) => ({
  title: draft.title,
  due_date: draft.due_date || null,
  priority: draft.priority,
});

interface Props {
  /** Makes the ids unique on the page (the add form and an inline edit share it). */
  idPrefix: string;
  draft: TaskDraft;
  onChange: (draft: TaskDraft) => void;
  errors: Record<string, string>;
  titleRef?: Ref<HTMLInputElement>;
  /** A class per field ("todo-add__" gives todo-add__title...), for the add form's grid. */
  classPrefix?: string;
}

/** Task, Due and Priority, with their labels and errors: the add form's and the inline edit's. */
export function TaskFields({ idPrefix, draft, onChange, errors, titleRef, classPrefix = "" }: Props) {
  const id = (field: string) => `${idPrefix}-${field}`;
  const errorId = (field: string) => `${idPrefix}-${field}-error`;
  const fieldClass = (field: string) =>
    ["field", classPrefix && `${classPrefix}${field}`, errors[field] && "field--invalid"].filter(Boolean).join(" ");
  return (
    <>
      <div className={fieldClass("title")}>
        <label htmlFor={id("title")}>Task</label>
        <input
          ref={titleRef}
          id={id("title")}
          type="text"
          name="title"
          required
          maxLength={200}
          placeholder="What needs doing?"
          value={draft.title}
          onChange={(event) => onChange({ ...draft, title: event.target.value })}
          {...invalidProps(errorId("title"), errors.title)}
        />
        <FieldError id={errorId("title")} message={errors.title} />
      </div>
      <div className={fieldClass("due_date")}>
        <label htmlFor={id("due_date")}>Due</label>
        <input
          id={id("due_date")}
          type="date"
          name="due_date"
          value={draft.due_date}
          onChange={(event) => onChange({ ...draft, due_date: event.target.value })}
          {...invalidProps(errorId("due_date"), errors.due_date)}
        />
        <FieldError id={errorId("due_date")} message={errors.due_date} />
      </div>
      <div className={fieldClass("priority")}>
        <label htmlFor={id("priority")}>Priority</label>
        <select
          id={id("priority")}
          name="priority"
          value={draft.priority}
          onChange={(event) => onChange({ ...draft, priority: Number(event.target.value) as Priority })}
          {...invalidProps(errorId("priority"), errors.priority)}
        >
          {PRIORITIES.map(({ value, label }) => (
            <option key={value} value={value}>
              {label}
            </option>
          ))}
        </select>
        <FieldError id={errorId("priority")} message={errors.priority} />
      </div>
    </>
  );
}

/** The first field with an error, to put the focus on. */
export function firstInvalid(form: HTMLFormElement | null): HTMLElement | null {
  return form?.querySelector<HTMLElement>('[aria-invalid="true"]') ?? null;
}
