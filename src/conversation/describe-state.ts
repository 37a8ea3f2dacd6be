/** welcome | menu | flow/<id>/<step>, for logs and tests. */
export function describeState(value: unknown): string {
  if (typeof value === 'string') return value;
  const parts: string[] = [];
  let at: unknown = value;
  while (at && typeof at === 'object') {
    const [key, inner] = Object.entries(at)[0] ?? [];
    if (key === undefined) break;
    parts.push(key);
    at = inner;
  }
  if (typeof at === 'string') parts.push(at);
  return parts.join('/');
}
