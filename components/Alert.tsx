/** An error (announced at once) or a confirmation (announced politely), or nothing. */
export function Alert({ error, success }: { error?: string | null; success?: string | null }) {
  if (error) {
    return (
      <div className="alert error" role="alert">
        {error}
      </div>
    );
  }
  if (success) {
    return (
      <div className="alert success" role="status">
        {success}
      </div>
    );
  }
  return null;
}
