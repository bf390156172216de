import { describe, expect, it } from 'vitest';
import { isNoticed, messageOnRegistering, messageOnUpdating, scheduleNoticeFor, scheduleNoticeWait, type PublishedChange } from '../src/rules/messages.js';
import { joinLinkDue, joinLinkReleased, joinLinkRoundAt } from '../src/rules/join-links.js';

// The rules as plain functions, without a database: who is mailed what, and when.

const now = new Date('2026-09-23T06:00:00Z');
const minutes = (count: number) => new Date(now.getTime() + count * 60_000);
const session = { startsAt: minutes(90), endsAt: minutes(210), zoomJoinUrl: 'https://zoom.example/j/1' };
const confirmedOnline = { status: 'CONFIRMED', attendanceMode: 'REMOTE', registrationCancelled: false, approval: 'NOT_REQUIRED' } as const;

describe('who is mailed on registering and updating', () => {
  it('confirms a new registrant, tells a known address\'s owner, and confirms a cancelled registration that chooses sessions again', () => {
    expect(messageOnRegistering({ addressKnown: false })).toBe('CONFIRMATION');
    expect(messageOnRegistering({ addressKnown: true })).toBe('ADDRESS_IN_USE');
    expect(messageOnUpdating({ wasCancelled: true, sessionsChosen: true })).toBe('CONFIRMATION');
    expect(messageOnUpdating({ wasCancelled: false, sessionsChosen: true })).toBeNull();
    expect(messageOnUpdating({ wasCancelled: true, sessionsChosen: false })).toBeNull();
  });
});

describe('join links', () => {
  it('are due at the release time (the start less the lead time), at once after it, never for a session over or without a link', () => {
    expect(joinLinkRoundAt(session, 60, now)).toEqual(minutes(30));
    expect(joinLinkRoundAt(session, 120, now)).toEqual(now);
    expect(joinLinkReleased(session, 60, now)).toBe(false);
    expect(joinLinkReleased(session, 120, now)).toBe(true);
    expect(joinLinkRoundAt({ ...session, zoomJoinUrl: null }, 120, now)).toBeNull();
    expect(joinLinkRoundAt({ ...session, endsAt: now }, 120, now)).toBeNull();
    expect(joinLinkReleased({ ...session, endsAt: now }, 120, now)).toBe(false);
  });

  it('go only to a confirmed remote participant whose registration stands and is approved or needs no approval, from the release', () => {
    expect(joinLinkDue(confirmedOnline, session, 120, now)).toBe('https://zoom.example/j/1');
    expect(joinLinkDue(confirmedOnline, session, 60, now)).toBeNull();
    expect(joinLinkDue({ ...confirmedOnline, attendanceMode: 'IN_PERSON' }, session, 120, now)).toBeNull();
    expect(joinLinkDue({ ...confirmedOnline, status: 'WAITLISTED' }, session, 120, now)).toBeNull();
    expect(joinLinkDue({ ...confirmedOnline, registrationCancelled: true }, session, 120, now)).toBeNull();
    expect(joinLinkDue({ ...confirmedOnline, approval: 'APPROVED' }, session, 120, now)).toBe('https://zoom.example/j/1');
    expect(joinLinkDue({ ...confirmedOnline, approval: 'PENDING' }, session, 120, now)).toBeNull();
    expect(joinLinkDue({ ...confirmedOnline, approval: 'DECLINED' }, session, 120, now)).toBeNull();
  });
});

describe('schedule change notices', () => {
  const change = (sessionId: string, fields: string[], at: Date, kind: PublishedChange['kind'] = 'CHANGED'): PublishedChange => ({ kind, sessionId, fields, changedAt: at });

  it('report a held session\'s new time or title, merged over revisions, not other fields, sessions or changes made before it was chosen', () => {
    const changes = [
      change('s1', ['title'], minutes(-10)),
      change('s1', ['startsAt', 'endsAt', 'description'], minutes(-5)),
      change('s2', ['description', 'roomSeats'], minutes(-5)),
      change('s3', ['endsAt'], minutes(-20)),
      change('s4', [], minutes(-5), 'ADDED'),
    ];
    const held = [
      { sessionId: 's1', chosenAt: minutes(-60), endsAt: minutes(60) },
      { sessionId: 's2', chosenAt: minutes(-60), endsAt: minutes(60) },
      // Chosen after its change: the registrant saw the new time.
      { sessionId: 's3', chosenAt: minutes(-15), endsAt: minutes(60) },
    ];
    expect(scheduleNoticeFor(changes, held, now)).toEqual([{ sessionId: 's1', fields: ['startsAt', 'endsAt', 'title'] }]);
    // A session over tells nothing any more.
    expect(scheduleNoticeFor(changes, [{ ...held[0]!, endsAt: now }], now)).toEqual([]);
    expect(changes.map(isNoticed)).toEqual([true, true, false, true, false]);
  });

  it('wait until the schedule has been quiet for the settling time after its last change', () => {
    expect(scheduleNoticeWait(minutes(-1), 120, now)).toEqual(minutes(1));
    expect(scheduleNoticeWait(minutes(-2), 120, now)).toBeNull();
  });
});
