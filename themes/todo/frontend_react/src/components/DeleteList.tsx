import { api } from "@starter/api";
import { attempt } from "@starter/problems";

import type { TodoList } from "../types";
import { ConfirmStep } from "./ConfirmStep";

interface Props {
  list: TodoList;
  onDeleted: () => void;
  /** The button's text ("Delete list" unless told). */
  label?: string;
  /** Its accessible name when the text alone is ambiguous (a card among others). */
  accessibleName?: string;
}

/** "Delete list", then "Delete the list “Groceries” and its 4 tasks?" before anything is deleted. */
export function DeleteList({ list, onDeleted, label = "Delete list", accessibleName }: Props) {
  const tasks = list.open_count + list.done_count;
  return (
    <ConfirmStep
      label={label}
      accessibleName={accessibleName}
      question={`Delete the list “${list.name}” and its ${tasks} task${tasks === 1 ? "" : "s"}? This cannot be undone.`}
      confirmLabel="Delete list"
      onConfirm={async () => {
        const result = await attempt(api.DELETE("/lists/{id}/", { params: { path: { id: String(list.id) } } }));
        // Already gone (deleted in another tab): what the user wanted.
        if (result.ok || result.problem.status === 404) {
          onDeleted();
          return "";
        }
        return result.problem.message;
      }}
    />
  );
}
