/*
 * Checks of a frab schedule export against the published c3voc schemas (tests/fixtures/frab/),
 * with libraries that share no code with the one that writes it: libxml2 (compiled to wasm) for
 * the XSD, Ajv for the JSON schema, fast-xml-parser to read the XML back.
 */
import { readFile } from 'node:fs/promises';
import { Ajv } from 'ajv';
import ajvFormats from 'ajv-formats';
import draft6MetaSchema from 'ajv/dist/refs/json-schema-draft-06.json' with { type: 'json' };
import { XMLParser } from 'fast-xml-parser';
import { expect } from 'vitest';
import { validateXML } from 'xmllint-wasm';

const xsd = await readFile('tests/fixtures/frab/schedule.xml.xsd', 'utf8');
const jsonSchema = JSON.parse(await readFile('tests/fixtures/frab/schedule.schema.json', 'utf8')) as object;

// Ajv 8 knows draft-06 once given its meta-schema. The published schema writes `$oneOf` (a
// disabled `oneOf`: not a keyword, so no constraint) and `$todo`; its `color` format is the XSD's
// hexColor; its union types (`["string", "null"]`) are draft-06 as written. Everything else is
// checked as written, formats included.
const ajv = new Ajv({ allErrors: true, allowUnionTypes: true });
ajv.addMetaSchema(draft6MetaSchema);
// ajv-formats is CommonJS: its plugin is also its own `default`.
ajvFormats.default(ajv);
ajv.addFormat('color', /^#[0-9a-fA-F]{6}$/);
ajv.addKeyword('$oneOf');
ajv.addKeyword('$todo');
const validJson = ajv.compile(jsonSchema);

export async function expectValidXml(xml: string): Promise<void> {
  const result = await validateXML({ xml: [{ fileName: 'schedule.xml', contents: xml }], schema: [{ fileName: 'schedule.xml.xsd', contents: xsd }] });
  expect(result.errors.map((error) => error.message)).toEqual([]);
  expect(result.valid).toBe(true);
}

export function expectValidJson(json: unknown): void {
  validJson(json);
  expect(validJson.errors ?? []).toEqual([]);
}

export interface XmlEvent {
  '@guid': string;
  '@id': string;
  date: string;
  start: string;
  duration: string;
  room: string;
  slug: string;
  url: string;
  title: string;
  subtitle: string;
  track: string;
  type: string;
  language: string;
  abstract: string;
  description?: string;
  persons: { person?: { '#text': string; '@guid': string }[] } | '';
  attachments?: { attachment: { '#text': string; '@href': string }[] };
}

export interface XmlSchedule {
  schedule: {
    version: string;
    conference: { acronym: string; title: string; start: string; end: string; days: string; time_zone_name: string; track?: { '@name': string; '@slug': string }[] };
    day: { '@index': string; '@date': string; '@start': string; '@end': string; room: { '@name': string; '@guid': string; event?: XmlEvent[] }[] }[];
  };
}

// fast-xml-parser, not the library that wrote the XML: values as text, entities decoded.
const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: false,
  isArray: (_name, path) =>
    ['schedule.day', 'schedule.day.room', 'schedule.day.room.event', 'schedule.day.room.event.persons.person', 'schedule.day.room.event.attachments.attachment', 'schedule.conference.track'].includes(String(path)),
});

/** The XML's `<schedule>`, as an independent parser reads it. */
export const parseScheduleXml = (xml: string): XmlSchedule['schedule'] => (parser.parse(xml) as XmlSchedule).schedule;
