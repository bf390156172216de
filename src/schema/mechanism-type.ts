import { MechanismTypeCode } from '../generated/prisma/enums.js';
import type { MechanismType as MechanismTypeRow } from '../generated/prisma/client.js';
import { builder } from './builder.js';
import { translatedFields, translationTypes } from './translation.js';

/** Mechanism types serve every event: their text is in their own default language, and in any an event offers. */
const text = translatedFields<MechanismTypeRow>((type, languages) => ({ defaultLanguage: type.defaultLanguage, contentLanguages: languages.offered }));
export const mechanismTypeTranslations = translationTypes('MechanismType');

export const MechanismTypeCodeEnum = builder.enumType(MechanismTypeCode, {
  name: 'MechanismTypeCode',
  description: 'The three categories of grievance mechanism of the access to remedy pillar of the UNGPs.',
});

export const MechanismType = builder.prismaNode('MechanismType', {
  id: { field: 'id' },
  nullable: true,
  fields: (t) => ({
    code: t.expose('code', { type: MechanismTypeCodeEnum }),
    name: t.string(text.of('name')),
    nameLanguage: t.field(text.languageOf('name', 'required')),
    description: t.string({ nullable: true, ...text.of('description') }),
    descriptionLanguage: t.field(text.languageOf('description')),
    examples: t.stringList({ description: 'Forms the mechanism may take.', ...text.of('examples') }),
    examplesLanguage: t.field(text.languageOf('examples', 'required')),
    defaultLanguage: t.field({ type: 'Locale', description: 'The language of its own text, shown where a translation is missing.', resolve: (type) => type.defaultLanguage }),
    translations: t.field(mechanismTypeTranslations.field()),
    sessions: t.relatedConnection('sessions', {
      cursor: 'id',
      totalCount: true,
      query: { orderBy: [{ startsAt: 'asc' }, { id: 'asc' }] },
    }),
  }),
});
