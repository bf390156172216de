import { Prisma } from '../generated/prisma/client.js';

// Which fields a write changes: an admin write or an import that changes nothing writes nothing,
// publishes nothing and mails no one.

function sameValue(a: unknown, b: unknown): boolean {
  // Translations written as none (Prisma.DbNull) read back as null.
  if (a === Prisma.DbNull) return b === null;
  if (a instanceof Date && b instanceof Date) return a.getTime() === b.getTime();
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((item, index) => sameValue(item, b[index]));
  // JSON (translations): the same keys with the same values, in any order.
  if (a && b && typeof a === 'object' && typeof b === 'object' && !Array.isArray(a) && !Array.isArray(b)) {
    const keys = Object.keys(a);
    return keys.length === Object.keys(b).length && keys.every((key) => Object.hasOwn(b, key) && sameValue((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key]));
  }
  return a === b;
}

/** The fields `data` would change in `row`; undefined ones are left as they are, so they change nothing. */
export function changedFields(row: object, data: object): string[] {
  return Object.entries(data).flatMap(([field, value]) =>
    value === undefined || sameValue(value, (row as Record<string, unknown>)[field]) ? [] : [field],
  );
}
