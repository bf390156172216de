import { z } from 'zod';
import type { FieldIssue } from '../errors.js';
import type { AttendanceMode, Prisma, StakeholderGroup } from '../generated/prisma/client.js';

// Who may register, and with what choices: the mode the event's format allows, its interpretation
// languages, and sessions of the event that have not ended.

type Mode = AttendanceMode;

export const email = z.email();

/** A session chosen by global ID: the type name tells a session from a break or anything else. */
export interface ChosenItem {
  typename: string;
  id: string;
}

export interface RegistrationChanges {
  name: string;
  organization?: string | null;
  stakeholderGroup?: StakeholderGroup | null;
  attendanceMode: Mode;
  sessions: ChosenItem[];
  interpretationLanguage?: string | null;
}

export interface NewRegistration extends RegistrationChanges {
  eventSlug: string;
  email: string;
  consent: boolean;
}

export type EventForRegistration = Prisma.EventGetPayload<{ include: { sessions: { select: { id: true; endsAt: true } } } }>;

export function checkChanges(event: EventForRegistration, changes: Partial<RegistrationChanges>, now: Date): FieldIssue[] {
  const issues: FieldIssue[] = [];
  if (changes.name !== undefined && !changes.name.trim()) issues.push({ path: 'input.name', message: 'must not be empty' });
  const mode = changes.attendanceMode;
  if (mode === 'REMOTE' && event.format === 'IN_PERSON') issues.push({ path: 'input.attendanceMode', message: 'this event has no remote participation' });
  if (mode === 'IN_PERSON' && event.format === 'ONLINE') issues.push({ path: 'input.attendanceMode', message: 'this event is online only' });
  const language = changes.interpretationLanguage;
  if (language && !event.interpretationLanguages.includes(language)) {
    issues.push({ path: 'input.interpretationLanguage', message: `the event offers ${event.interpretationLanguages.join(', ') || 'no interpretation'}` });
  }
  if (changes.sessions) {
    if (changes.sessions.length === 0) issues.push({ path: 'input.sessionIds', message: 'choose at least one session' });
    const seen = new Set<string>();
    changes.sessions.forEach((item, index) => {
      const path = `input.sessionIds[${index}]`;
      const session = event.sessions.find((candidate) => candidate.id === item.id);
      if (item.typename === 'Break') issues.push({ path, message: 'is a break: only sessions can be registered for' });
      else if (item.typename === 'AgendaItem') issues.push({ path, message: 'is an agenda item: give its session\'s id (`session { id }`)' });
      else if (item.typename !== 'Session' || !session) issues.push({ path, message: 'is not a session of this event' });
      else if (session.endsAt <= now) issues.push({ path, message: 'has already ended' });
      else if (seen.has(item.id)) issues.push({ path, message: 'is chosen twice' });
      seen.add(item.id);
    });
  }
  return issues;
}
