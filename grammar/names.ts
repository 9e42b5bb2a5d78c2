// Tables indexed by a user's name (variables, threads, properties, params, counters) that must be plain
// records, for JSON: without a prototype, so that `constructor`, `toString` or `__proto__` are only names.
export function nameTable<T>(entries: Iterable<readonly [string, T]> = []): Record<string, T> {
  const table = Object.create(null) as Record<string, T>;
  for (const [name, value] of entries) table[name] = value;
  return table;
}
