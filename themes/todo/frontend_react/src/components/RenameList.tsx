import { useEffect, useId, useRef, useState, type FormEvent, type KeyboardEvent } from "react";

import { api } from "@starter/api";
import { attempt } from "@starter/problems";

import type { TodoList } from "../types";
import { FieldError, invalidProps } from "./FieldError";
import { FormError } from "./FormError";

interface Props {
  list: TodoList;
  onRenamed: (list: TodoList) => void;
  /** The toggle's accessible name when "Rename" alone is ambiguous (a card among others). */
  accessibleName?: string;
}

/** "Rename": a button that opens a small form; Escape or Cancel closes it, back on the button. */
export function RenameList({ list, onRenamed, accessibleName }: Props) {
  const [open, setOpen] = useState(false);
  const [name, setName] = useState(list.name);
  const [busy, setBusy] = useState(false);
  const [fieldError, setFieldError] = useState("");
  const [formError, setFormError] = useState("");
  const formId = useId();
  const toggle = useRef<HTMLButtonElement>(null);
  const input = useRef<HTMLInputElement>(null);
  const moved = useRef(false);

  useEffect(() => {
    if (!moved.current) return;
    if (open) {
      input.current?.focus();
      input.current?.select();
    }
    else toggle.current?.focus();
  }, [open]);

  function show(value: boolean) {
    moved.current = true;
    setName(list.name);
    setFieldError("");
    setFormError("");
    setOpen(value);
  }

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (busy) return;
    setBusy(true);
    const result = await attempt(
      api.PATCH("/lists/{id}/", { params: { path: { id: String(list.id) } }, body: { name } }),
      ["name"],
    );
    setBusy(false);
    if (result.ok) {
      show(false);
      onRenamed(result.data);
      return;
    }
    const { status, fields, message } = result.problem;
    // The unique-name rule is not tied to the field in the API (non_field_errors): it is
    // about the only field here, so it is shown under it. Other failures are about the request.
    const invalid = status === 400;
    setFieldError(fields.name ?? (invalid ? message : ""));
    setFormError(invalid ? "" : message);
    input.current?.focus();
  }

  function onKeyDown(event: KeyboardEvent) {
    if (event.key === "Escape") {
      event.preventDefault();
      show(false);
    }
  }

  const inputId = `${formId}-name`;
  const errorId = `${formId}-error`;
  return (
    <div className="todo-rename-box">
      <button
        ref={toggle}
        type="button"
        className="btn btn--secondary btn--sm"
        aria-expanded={open}
        aria-controls={open ? formId : undefined}
        aria-label={accessibleName}
        onClick={() => show(!open)}
      >
        Rename
      </button>
      {open && (
        <form id={formId} className="form todo-inline-form todo-rename-form" onSubmit={submit} onKeyDown={onKeyDown}>
          <FormError message={formError} />
          <div className={`field${fieldError ? " field--invalid" : ""}`}>
            <label htmlFor={inputId}>New name</label>
            <input
              ref={input}
              id={inputId}
              type="text"
              name="name"
              required
              maxLength={100}
              value={name}
              onChange={(event) => setName(event.target.value)}
              {...invalidProps(errorId, fieldError)}
            />
            <FieldError id={errorId} message={fieldError} />
          </div>
          <div className="todo-rename-form__actions">
            <button type="submit" className="btn btn--primary btn--sm" aria-busy={busy || undefined}>
              Save name
            </button>
            <button type="button" className="btn btn--ghost btn--sm" onClick={() => show(false)}>
              Cancel
            </button>
          </div>
        </form>
      )}
    </div>
  );
}
