/** A field's error under it, linked to the input with aria-describedby={id}. */
export function FieldError({ id, message }: { id: string; message?: string }) {
  if (!message) return null;
  return (
    <ul className="errorlist" id={id}>
      <li>{message}</li>
    </ul>
  );
}

/** The attributes that tie an input to its error (FieldError). */
export function invalidProps(id: string, message?: string) {
  return message ? { "aria-invalid": true as const, "aria-describedby": id } : {};
}
