import { z } from 'zod';
import { responseCache } from '../cache.js';
import { prisma } from '../db/client.js';
import { ConflictError, NotFoundError, ValidationError } from '../errors.js';
import { MechanismType, MechanismTypeCodeEnum, mechanismTypeTranslations } from '../schema/mechanism-type.js';
import { entityWrites, type WriteInput } from './admin-writes.js';
import { found } from './event.js';
import { changedFields } from '../rules/changed-fields.js';
import { mechanismTypeInput, mechanismTypeLanguageIssues } from '../rules/event-file.js';
import { parseInput, text } from '../rules/input-fields.js';
import { mergeTranslations, translationList, translationsColumn, type StoredTranslations, type TranslationsColumn } from '../rules/translation-input.js';

const mechanismTypeFields = mechanismTypeInput.extend({ translations: translationList('MechanismType').default({}) });
// The code stays (seed files match types by it), and examples left out stay as they are rather than default to none.
const mechanismTypeChanges = mechanismTypeFields.omit({ code: true }).extend({ examples: z.array(text), translations: translationList('MechanismType') }).partial();

/** A mechanism type's translations after a write: in any language but its default. */
function checkedTranslations(translations: StoredTranslations, defaultLanguage: string): TranslationsColumn {
  const issues = mechanismTypeLanguageIssues({ defaultLanguage, translations }).map(({ language, message }) => ({ path: 'input.translations', message: `${language} ${message}` }));
  if (issues.length) throw new ValidationError(issues);
  return translationsColumn(translations);
}

/** Mechanism types show in `mechanismTypes` and in every event's sessions: cached answers showing any are stale. */
async function mechanismTypesChanged(): Promise<void> {
  await responseCache.invalidate([{ typename: 'MechanismType' }]);
}

export async function createMechanismType(input: WriteInput): Promise<string> {
  const { translations, ...data } = parseInput(mechanismTypeFields, input, 'input');
  if (await prisma.mechanismType.count({ where: { code: data.code } })) {
    throw new ValidationError([{ path: 'input.code', message: 'has a mechanism type already' }]);
  }
  // In a transaction, as every admin write: the audit log's trigger records it there.
  const { id } = await prisma.$transaction((tx) => tx.mechanismType.create({ data: { ...data, translations: checkedTranslations(translations, data.defaultLanguage) } }));
  await mechanismTypesChanged();
  return id;
}

export async function updateMechanismType({ id, ...input }: WriteInput<'id'>): Promise<string> {
  const { translations, ...given } = parseInput(mechanismTypeChanges, input, 'input');
  const current = await found(prisma.mechanismType.findUnique({ where: { id: id.id } }), 'mechanism type');
  const merged = mergeTranslations(current.translations, translations ?? {});
  const changes = { ...given, translations: checkedTranslations(merged, given.defaultLanguage ?? current.defaultLanguage) };
  if (changedFields(current, changes).length > 0) {
    await prisma.$transaction((tx) => tx.mechanismType.update({ where: { id: current.id }, data: changes }));
    await mechanismTypesChanged();
  }
  return current.id;
}

/** Deletes a mechanism type no session focuses on; it belongs to no event (null). */
export async function deleteMechanismType(id: string): Promise<null> {
  await prisma.$transaction(async (tx) => {
    // Locked, so no session can take the type between the count and the delete: its reference waits for the lock.
    await found(tx.$queryRaw<{ id: string }[]>`SELECT id FROM "MechanismType" WHERE id = ${id} FOR UPDATE`.then(([row]) => row ?? null), 'mechanism type');
    const sessions = await tx.session.count({ where: { mechanismTypeId: id } });
    if (sessions > 0) throw new ConflictError(`${sessions} sessions focus on this mechanism type; give them another one first.`);
    await tx.mechanismType.delete({ where: { id } });
  });
  await mechanismTypesChanged();
  return null;
}

entityWrites(MechanismType, {
  translations: mechanismTypeTranslations,
  createOnly: (t) => ({ code: t.field({ type: MechanismTypeCodeEnum, required: true, description: 'One mechanism type per code.' }) }),
  fields: (t, creating) => ({
    name: t.string({ required: creating }),
    description: t.string(),
    examples: t.stringList({ description: 'Forms the mechanism may take.' }),
    defaultLanguage: t.string({ description: 'The language of its name, description and examples (BCP 47, for example `en`); `en` when left out.' }),
  }),
  create: { refusals: [ValidationError], write: createMechanismType },
  update: { write: updateMechanismType },
  delete: {
    refusals: [NotFoundError, ConflictError],
    description: 'Deletes a mechanism type; refused while a session focuses on it.',
    write: deleteMechanismType,
  },
});

