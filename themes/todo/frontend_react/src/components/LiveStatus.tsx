import type { Announcement } from "../useAnnouncer";

/**
 * The polite live region of a page: always in the document (so screen readers hear what is put
 * in it), empty until an action succeeds.
 */
export function LiveStatus({ announcement }: { announcement: Announcement | null }) {
  return (
    <div className="todo-live" role="status" aria-live="polite">
      {announcement && (
        <p key={announcement.id} className="alert alert--success">
          {announcement.content}
        </p>
      )}
    </div>
  );
}
