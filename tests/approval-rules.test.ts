import { describe, expect, it } from 'vitest';
import { approvalModeIssues, approvalOnChoosing, modesOffered, reviewChanges, reviewRefusal } from '../src/rules/registration-approval.js';

// The approval rules as plain functions, without GraphQL or a database.

const reviewed = { approvalRequiredFor: ['IN_PERSON' as const] };
const standing = (approval: 'NOT_REQUIRED' | 'PENDING' | 'APPROVED' | 'DECLINED', attendanceMode: 'IN_PERSON' | 'REMOTE' = 'IN_PERSON', cancelledAt: Date | null = null) => ({ approval, attendanceMode, cancelledAt });

describe('who waits for approval', () => {
  it('a new registration in a reviewed mode is a new request; in another mode none is needed', () => {
    expect(approvalOnChoosing(reviewed, null, 'IN_PERSON')).toEqual({ approval: 'PENDING', newRequest: true });
    expect(approvalOnChoosing(reviewed, null, 'REMOTE')).toEqual({ approval: 'NOT_REQUIRED', newRequest: false });
    expect(approvalOnChoosing({ approvalRequiredFor: [] }, null, 'IN_PERSON')).toEqual({ approval: 'NOT_REQUIRED', newRequest: false });
  });

  it('a registration keeps its standing while it keeps its mode and stands; a change of mode or a return is a new request', () => {
    expect(approvalOnChoosing(reviewed, standing('APPROVED'), 'IN_PERSON')).toEqual({ approval: 'APPROVED', newRequest: false });
    expect(approvalOnChoosing(reviewed, standing('PENDING'), 'IN_PERSON')).toEqual({ approval: 'PENDING', newRequest: false });
    // Made before the mode needed approval: still needs none.
    expect(approvalOnChoosing(reviewed, standing('NOT_REQUIRED'), 'IN_PERSON')).toEqual({ approval: 'NOT_REQUIRED', newRequest: false });
    expect(approvalOnChoosing(reviewed, standing('NOT_REQUIRED', 'REMOTE'), 'IN_PERSON')).toEqual({ approval: 'PENDING', newRequest: true });
    expect(approvalOnChoosing(reviewed, standing('APPROVED', 'IN_PERSON', new Date()), 'IN_PERSON')).toEqual({ approval: 'PENDING', newRequest: true });
    expect(approvalOnChoosing(reviewed, standing('PENDING'), 'REMOTE')).toEqual({ approval: 'NOT_REQUIRED', newRequest: false });
  });

  it('a declined request can\'t be made again in its mode, but the registrant may attend another way', () => {
    expect(approvalOnChoosing(reviewed, standing('DECLINED'), 'IN_PERSON')).toBeNull();
    expect(approvalOnChoosing(reviewed, standing('DECLINED', 'IN_PERSON', new Date()), 'IN_PERSON')).toBeNull();
    expect(approvalOnChoosing(reviewed, standing('DECLINED'), 'REMOTE')).toEqual({ approval: 'NOT_REQUIRED', newRequest: false });
  });

  it('only modes the event\'s format offers may need approval, each once', () => {
    expect(modesOffered('ONLINE')).toEqual(['REMOTE']);
    expect(approvalModeIssues({ format: 'HYBRID', approvalRequiredFor: ['IN_PERSON', 'REMOTE'] })).toEqual([]);
    expect(approvalModeIssues({ format: 'ONLINE', approvalRequiredFor: ['IN_PERSON'] })).toEqual([{ index: 0, message: 'the event\'s format (ONLINE) offers no IN_PERSON attendance' }]);
    expect(approvalModeIssues({ format: 'IN_PERSON', approvalRequiredFor: ['IN_PERSON', 'IN_PERSON'] })).toEqual([{ index: 1, message: 'is listed twice' }]);
  });
});

describe('what may be reviewed', () => {
  const row = (approval: 'NOT_REQUIRED' | 'PENDING' | 'APPROVED' | 'DECLINED', eventId = 'e1', cancelledAt: Date | null = null) => ({ approval, eventId, cancelledAt });

  it('refuses the unknown, another event\'s, the cancelled, what needs no approval, and approving the declined', () => {
    expect(reviewRefusal('approve', undefined, 'e1')).toBe('names no registration');
    expect(reviewRefusal('approve', row('PENDING', 'e2'), 'e1')).toBe('is a registration of another event: review one event at a time');
    expect(reviewRefusal('decline', row('PENDING', 'e1', new Date()), 'e1')).toBe('was cancelled by the registrant');
    expect(reviewRefusal('decline', row('NOT_REQUIRED'), 'e1')).toBe('needs no approval');
    expect(reviewRefusal('approve', row('DECLINED'), 'e1')).toBe('was declined');
    expect(reviewRefusal('approve', row('PENDING'), 'e1')).toBeNull();
    expect(reviewRefusal('decline', row('APPROVED'), 'e1')).toBeNull();
  });

  it('leaves what was already decided so as it is', () => {
    expect(reviewChanges('approve', 'PENDING')).toBe(true);
    expect(reviewChanges('approve', 'APPROVED')).toBe(false);
    expect(reviewChanges('decline', 'APPROVED')).toBe(true);
    expect(reviewChanges('decline', 'DECLINED')).toBe(false);
  });
});
