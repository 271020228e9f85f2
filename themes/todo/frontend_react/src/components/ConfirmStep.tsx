import { useEffect, useId, useRef, useState, type KeyboardEvent, type ReactNode } from "react";

import { FormError } from "./FormError";

interface Props {
  /** The button that asks, e.g. "Delete list". */
  label: string;
  /** Its accessible name when the label alone is ambiguous ("Delete “Groceries”"). */
  accessibleName?: string;
  /** The question asked before anything happens. */
  question: ReactNode;
  /** The button that does it, e.g. "Delete list". */
  confirmLabel: string;
  /** Does it; resolves to an error message, or "" when it worked (the parent moves the focus). */
  onConfirm: () => Promise<string>;
}

/**
 * A destructive action in two steps, inline (no modal to trap the focus in): the button opens
 * the question under it with the focus on "Keep it"; "Keep it" or Escape closes it, back on the
 * button; the confirm button does it.
 */
export function ConfirmStep({ label, accessibleName, question, confirmLabel, onConfirm }: Props) {
  const [asking, setAsking] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState("");
  const id = useId();
  const start = useRef<HTMLButtonElement>(null);
  const keep = useRef<HTMLButtonElement>(null);
  const moved = useRef(false);

  useEffect(() => {
    // Only after the user opened or closed the question, never on the first render.
    if (!moved.current) return;
    (asking ? keep : start).current?.focus();
  }, [asking]);

  function show(open: boolean) {
    moved.current = true;
    setError("");
    setAsking(open);
  }

  async function confirm() {
    if (busy) return;
    setBusy(true);
    const problem = await onConfirm();
    // On success the parent removes this component; only a failure needs the state back.
    if (problem) {
      setError(problem);
      setBusy(false);
    }
  }

  function onKeyDown(event: KeyboardEvent) {
    if (event.key === "Escape") {
      event.preventDefault();
      show(false);
    }
  }

  return (
    <div className="todo-confirm-box">
      <button
        ref={start}
        type="button"
        className="btn btn--ghost btn--sm todo-delete"
        aria-label={accessibleName}
        aria-expanded={asking}
        aria-controls={asking ? id : undefined}
        onClick={() => show(!asking)}
      >
        {label}
      </button>
      {asking && (
        <div id={id} className="todo-confirm" role="group" aria-labelledby={`${id}-question`} onKeyDown={onKeyDown}>
          <p id={`${id}-question`} className="todo-confirm__question">
            {question}
          </p>
          <FormError message={error} />
          <div className="todo-confirm__actions">
            <button
              type="button"
              className="btn btn--danger btn--sm"
              aria-busy={busy || undefined}
              onClick={() => void confirm()}
            >
              {confirmLabel}
            </button>
            <button ref={keep} type="button" className="btn btn--ghost btn--sm" onClick={() => show(false)}>
              Keep it
            </button>
          </div>
        </div>
      )}
    </div>
  );
}
