/*
 * The frab export's times are the event's zone's whatever zone the server process runs in: the
 * server is started as `npm start` runs it, with TZ=Pacific/Auckland (UTC+12 on those dates, a
 * different calendar day in the evening).
 */
import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectValidJson, expectValidXml, parseScheduleXml } from './support/frab-schedule.js';
import { startServer, type ServerProcess } from './support/server-process.js';

const zone = { TZ: 'Pacific/Auckland' };

describe('the frab schedule from a server running in Auckland', () => {
  let server: ServerProcess;
  beforeAll(async () => {
    server = await startServer(zone);
  }, 120_000);
  afterAll(() => server?.stop());

  it('is a process environment that Node reads as Auckland', () => {
    const hours = execFileSync(process.execPath, ['-p', 'new Date("2021-09-23T08:00:00Z").getHours()'], { env: { ...process.env, ...zone } });
    expect(hours.toString().trim()).toBe('20');
  });

  it('gives the seeded sessions their Geneva times and days, in XML and JSON', async () => {
    const xml = await (await fetch(`${server.url}/events/ohchr-remedy-tech-2021/schedule.xml`)).text();
    await expectValidXml(xml);
    const schedule = parseScheduleXml(xml);
    const events = schedule.day.map((day) => [day['@date'], day['@start'], day.room.flatMap((room) => (room.event ?? []).map((event) => [event.date, event.start, event.duration]))]);
    expect(events).toEqual([
      ['2021-09-23', '2021-09-23T00:00:00+02:00', [['2021-09-23T10:00:00+02:00', '10:00', '02:00'], ['2021-09-23T15:00:00+02:00', '15:00', '03:00']]],
      ['2021-09-24', '2021-09-24T00:00:00+02:00', [['2021-09-24T10:00:00+02:00', '10:00', '02:00'], ['2021-09-24T15:00:00+02:00', '15:00', '02:00']]],
    ]);
    expect(schedule.conference.time_zone_name).toBe('Europe/Zurich');

    const json = (await (await fetch(`${server.url}/events/ohchr-remedy-tech-2021/schedule.json`)).json()) as any;
    expectValidJson(json);
    const days = json.schedule.conference.days as { date: string; rooms: Record<string, { date: string; start: string }[]> }[];
    expect(days.map((day) => [day.date, Object.values(day.rooms).flat().map((event) => [event.date, event.start])])).toEqual([
      ['2021-09-23', [['2021-09-23T10:00:00+02:00', '10:00'], ['2021-09-23T15:00:00+02:00', '15:00']]],
      ['2021-09-24', [['2021-09-24T10:00:00+02:00', '10:00'], ['2021-09-24T15:00:00+02:00', '15:00']]],
    ]);
  });
});
