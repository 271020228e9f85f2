// What a failed API call means for the user, for every page of the React app. The api module
// answers every error with one shape: {"status", "code", "detail", "errors": {"field": ["..."], "non_field_errors": [...]}}.

export interface Problem {
  status: number;
  /** The API's stable code: "invalid", "plan_limit", "not_found"... ("network" when offline). */
  code: string;
  /** One sentence for the whole form (errors the form has no field for, or the detail). */
  message: string;
  /** The first message of each field the form shows, by field name. */
  fields: Record<string, string>;
}

export const OFFLINE = "The server could not be reached. Check your connection and try again.";
const FALLBACK = "Something went wrong. Please try again.";

/** Splits an error body into messages for the form's `known` fields and one for the rest. */
export function problemFrom(body: unknown, status: number, known: readonly string[] = []): Problem {
  const error = (body && typeof body === "object" ? body : {}) as Record<string, unknown>;
  const errors = (error.errors && typeof error.errors === "object" ? error.errors : {}) as Record<string, unknown>;
  const fields: Record<string, string> = {};
  const others: string[] = [];
  for (const [field, messages] of Object.entries(errors)) {
    const first = Array.isArray(messages) ? messages.find((m) => typeof m === "string") : messages;
    if (typeof first !== "string") continue;
    if (known.includes(field)) fields[field] = first;
    else others.push(first);
  }
  const detail = typeof error.detail === "string" ? error.detail : "";
  const message = others[0] ?? (Object.keys(fields).length ? "" : detail || FALLBACK);
  return { status, code: typeof error.code === "string" ? error.code : "", message, fields };
}

export type Outcome<T> = { ok: true; data: T } | { ok: false; problem: Problem };

/**
 * Awaits a call of the typed client and says whether it worked: a network failure, a 4xx or a
 * 5xx all become a Problem, so pages handle one shape. (401s already send the window to the
 * login page: @starter/api.)
 */
export async function attempt<T>(
  call: Promise<{ data?: T; error?: unknown; response: Response }>,
  known: readonly string[] = [],
): Promise<Outcome<T>> {
  try {
    const { data, error, response } = await call;
    if (response.ok) return { ok: true, data: data as T };
    return { ok: false, problem: problemFrom(error, response.status, known) };
  } catch {
    return { ok: false, problem: { status: 0, code: "network", message: OFFLINE, fields: {} } };
  }
}
