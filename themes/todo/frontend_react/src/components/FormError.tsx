/** An error about the whole form (or the request), read out as soon as it appears. */
export function FormError({ message }: { message: string }) {
  if (!message) return null;
  return (
    <div className="alert alert--error" role="alert">
      <p>{message}</p>
    </div>
  );
}
