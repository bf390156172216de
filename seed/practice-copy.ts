/**
 * A copy of a seed file to try registration on: the real event is over (registration closes when
 * it ends), so the copy moves every date forward by whole 52-week years, to the first that starts
 * a week from now or later, and is clearly labelled as not the real event, under its own slug.
 * Whole weeks keep each weekday and the clock times (with their UTC offsets) as the file gives
 * them; the season moves by about a day a year.
 */
const week = 7 * 24 * 3_600_000;
const year = 52 * week;
const instant = /^(\d{4}-\d{2}-\d{2})(T.*)$/;

export const practiceLabel = 'Practice copy, not a real event';

export function practiceCopy(file: { event: { slug: string; title: string; startsAt: string } }, now = new Date()): unknown {
  const starts = Date.parse(file.event.startsAt);
  const years = Math.max(1, Math.ceil((now.getTime() + week - starts) / year));
  const shift = (date: string) => new Date(Date.parse(`${date}T00:00:00Z`) + years * year).toISOString().slice(0, 10);
  const moved = JSON.parse(JSON.stringify(file), (_key, value: unknown) => {
    const match = typeof value === 'string' ? instant.exec(value) : null;
    return match ? `${shift(match[1]!)}${match[2]}` : value;
  });
  moved.event.slug = `${file.event.slug}-practice`;
  moved.event.title = `${practiceLabel}: ${file.event.title}`;
  return moved;
}
