// When an event takes registrations.

/** When a registration window is open: from `registrationOpensAt` to `registrationClosesAt`, or the event's end. */
export function registrationClosedReason(
  event: { status: string; registrationOpensAt: Date | null; registrationClosesAt: Date | null; endsAt: Date },
  now: Date,
): string | null {
  if (event.status === 'CANCELLED') return 'The event is cancelled.';
  if (event.registrationOpensAt && now < event.registrationOpensAt) return `Registration opens at ${event.registrationOpensAt.toISOString()}.`;
  const closesAt = event.registrationClosesAt ?? event.endsAt;
  if (now >= closesAt) return `Registration closed at ${closesAt.toISOString()}.`;
  return null;
}
