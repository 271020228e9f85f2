import { useRef, useState, type FormEvent } from "react";

import { api } from "@starter/api";
import { attempt } from "@starter/problems";

import { isPlanLimit } from "../planLimit";
import type { TodoList } from "../types";
import { FieldError, invalidProps } from "./FieldError";
import { FormError } from "./FormError";

export const NEW_LIST_INPUT_ID = "todo-new-list-name";

interface Props {
  onCreated: (list: TodoList) => void;
  /** The API refused because the plan allows no more lists (403 plan_limit). */
  onPlanLimit: (message: string) => void;
}

/** "New list": the name, validated by the API; the focus stays in the field for the next one. */
export function NewListForm({ onCreated, onPlanLimit }: Props) {
  const [name, setName] = useState("");
  const [busy, setBusy] = useState(false);
  const [fieldError, setFieldError] = useState("");
  const [formError, setFormError] = useState("");
  const input = useRef<HTMLInputElement>(null);
  const errorId = `${NEW_LIST_INPUT_ID}-error`;

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (busy) return;
    setBusy(true);
    const result = await attempt(api.POST("/lists/", { body: { name } }), ["name"]);
    setBusy(false);
    if (result.ok) {
      setName("");
      setFieldError("");
      setFormError("");
      input.current?.focus();
      onCreated(result.data);
      return;
    }
    const problem = result.problem;
    if (isPlanLimit(problem)) {
      onPlanLimit(problem.message);
      return;
    }
    // "There is already a list with this name." comes as a non-field error: it is about the name.
    const invalid = problem.status === 400;
    setFieldError(problem.fields.name ?? (invalid ? problem.message : ""));
    setFormError(invalid ? "" : problem.message);
    input.current?.focus();
  }

  return (
    <form className="form todo-inline-form" onSubmit={submit}>
      <FormError message={formError} />
      <div className={`field${fieldError ? " field--invalid" : ""}`}>
        <label htmlFor={NEW_LIST_INPUT_ID}>List name</label>
        <input
          ref={input}
          id={NEW_LIST_INPUT_ID}
          type="text"
          name="name"
          required
          maxLength={100}
          placeholder="e.g. Launch checklist"
          value={name}
          onChange={(event) => setName(event.target.value)}
          {...invalidProps(errorId, fieldError)}
        />
        <FieldError id={errorId} message={fieldError} />
      </div>
      <button type="submit" className="btn btn--primary" aria-busy={busy || undefined}>
        Create list
      </button>
    </form>
  );
}
