// Due dates are calendar days ("2030-01-31"): compared as text, shown in the user's locale.

/** Today in the browser's time zone, as YYYY-MM-DD. */
export function todayIso(now: Date = new Date()): string {
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

const dayFormat = new Intl.DateTimeFormat(undefined, { day: "numeric", month: "short", year: "numeric" });
const shortDayFormat = new Intl.DateTimeFormat(undefined, { day: "numeric", month: "short" });

/** "31 Jan 2030" (in the user's locale) for a YYYY-MM-DD day, read as a local date. */
export function formatDay(iso: string): string {
  const [year, month, day] = iso.split("-").map(Number);
  return dayFormat.format(new Date(year, month - 1, day));
}

/** "31 Jan" for a timestamp (when a task was done). */
export function formatShortDay(timestamp: string): string {
  return shortDayFormat.format(new Date(timestamp));
}

export function isOverdue(task: { done?: boolean; due_date?: string | null }, today: string = todayIso()): boolean {
  return !task.done && !!task.due_date && task.due_date < today;
}
