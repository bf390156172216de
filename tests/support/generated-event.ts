import type { EventImport } from '../../src/rules/event-file.js';

/**
 * A large synthetic event for size-independence checks: `sessions` sessions of one hour over
 * consecutive days, each with two parts and five panelist roles drawn from `panelists` panelists.
 */
export function generatedEvent({ slug, sessions, panelists, timeZone = 'America/New_York' }: { slug: string; sessions: number; panelists: number; timeZone?: string }): EventImport {
  const start = Date.UTC(2030, 0, 7, 14);
  const hour = 3_600_000;
  const at = (index: number) => new Date(start + Math.floor(index / 8) * 24 * hour + (index % 8) * hour).toISOString();
  const roles = ['MODERATOR', 'PANELIST', 'SPEAKER'] as const;
  return {
    mechanismTypes: [],
    event: {
      slug,
      title: `Generated event ${slug}`,
      organizer: 'Test organizer',
      status: 'CONFIRMED',
      startsAt: at(0),
      endsAt: new Date(Date.parse(at(sessions - 1)) + hour).toISOString(),
      timeZone,
      format: 'ONLINE',
      interpretationLanguages: ['en'],
      panelists: Array.from({ length: panelists }, (_, index) => ({ key: `p${index}`, name: `Panelist ${index}` })),
      sessions: Array.from({ length: sessions }, (_, index) => ({
        number: index + 1,
        title: `Session ${index + 1}`,
        startsAt: at(index),
        endsAt: new Date(Date.parse(at(index)) + hour).toISOString(),
        mechanismType: (['JUDICIAL', 'STATE_BASED_NON_JUDICIAL', 'NON_STATE_BASED'] as const)[index % 3],
        panelists: Array.from({ length: 3 }, (_, role) => ({ panelist: `p${(index * 5 + role) % panelists}`, role: roles[role]! })),
        parts: [1, 2].map((position) => ({
          position,
          title: `Part ${position}`,
          panelists: [{ panelist: `p${(index * 5 + 2 + position) % panelists}`, role: 'SPEAKER' as const }],
        })),
      })),
      documents: [{ title: 'Programme', kind: 'AGENDA' }],
    },
  };
}
