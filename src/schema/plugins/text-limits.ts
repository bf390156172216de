import SchemaBuilder, { BasePlugin, type PothosOutputFieldConfig, type SchemaTypes } from '@pothos/core';
import { getNamedType, getNullableType, isInputObjectType, isListType, type GraphQLFieldResolver, type GraphQLInputType, type GraphQLResolveInfo } from 'graphql';
import { ValidationError, type FieldIssue } from '../../errors.js';

/** Free text (descriptions, summaries, biographies) may be long; any other string is a name, title, URL, slug or token. */
const longTextFields = new Set(['description', 'summary', 'background', 'mandate', 'bio', 'approvalInstructions']);
/**
 * A person's or an organisation's name is one short line: mail and exports print it as it is, so a
 * line break or a bidirectional override in it would let anyone lay out text of their own there.
 */
const oneLineFields = new Set(['name', 'organization']);
export const textLimits = { long: 20_000, short: 1_000, oneLine: 200 };

/**
 * Control and format characters (line breaks, tabs, bidirectional overrides and isolates, U+2028
 * and U+2029), except the zero-width joiner and non-joiner, which Persian and Indic names need.
 */
const layoutCharacter = /(?![\u200c\u200d])[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/u;

function checkText(text: string, path: string, field: string, issues: FieldIssue[]): void {
  const oneLine = oneLineFields.has(field);
  const layout = oneLine ? layoutCharacter.exec(text)?.[0] : undefined;
  // PostgreSQL's text can't hold NUL: it would answer an internal error instead of this one.
  if (text.includes('\0')) issues.push({ path, message: 'must not contain the NUL character (\\u0000)' });
  else if (layout) {
    const code = layout.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0');
    issues.push({ path, message: `must be one line without control or bidirectional formatting characters (found U+${code})` });
  }
  const limit = oneLine ? textLimits.oneLine : longTextFields.has(field) ? textLimits.long : textLimits.short;
  if (text.length > limit) issues.push({ path, message: `must be at most ${limit} characters` });
}

/** Every string in a JSON value (an import file), named by its key. */
function checkJson(value: unknown, path: string, field: string, issues: FieldIssue[]): void {
  if (typeof value === 'string') checkText(value, path, field, issues);
  else if (Array.isArray(value)) value.forEach((item, index) => checkJson(item, `${path}[${index}]`, field, issues));
  else if (value && typeof value === 'object') for (const [key, item] of Object.entries(value)) checkJson(item, `${path}.${key}`, key, issues);
}

/** Every string in an argument's value, walked along its GraphQL input type. */
function checkInput(value: unknown, type: GraphQLInputType, path: string, field: string, issues: FieldIssue[]): void {
  if (value === null || value === undefined) return;
  const nullable = getNullableType(type);
  if (isListType(nullable)) {
    if (Array.isArray(value)) value.forEach((item, index) => checkInput(item, nullable.ofType, `${path}[${index}]`, field, issues));
  } else if (isInputObjectType(nullable)) {
    for (const [name, inputField] of Object.entries(nullable.getFields())) checkInput((value as Record<string, unknown>)[name], inputField.type, `${path}.${name}`, name, issues);
  } else if (getNamedType(nullable).name === 'JSONObject') {
    checkJson(value, path, field, issues);
  } else if (typeof value === 'string') {
    checkText(value, path, field, issues);
  }
}

function checkArguments(args: Record<string, unknown>, info: GraphQLResolveInfo): void {
  const issues: FieldIssue[] = [];
  for (const argument of info.parentType.getFields()[info.fieldName]?.args ?? []) checkInput(args[argument.name], argument.type, argument.name, argument.name, issues);
  if (issues.length) throw new ValidationError(issues);
}

/**
 * Every string a field is given, wherever it is in its arguments (an import file's too), is
 * checked before the field runs: no NUL character, no more than `textLimits` characters, and a
 * name or organisation on one line, or the field answers a ValidationError naming it. One place, so no field can forget it.
 */
export class TextLimitsPlugin<Types extends SchemaTypes> extends BasePlugin<Types> {
  override wrapResolve(resolver: GraphQLFieldResolver<unknown, Types['Context'], object>, fieldConfig: PothosOutputFieldConfig<Types>): GraphQLFieldResolver<unknown, Types['Context'], object> {
    if (Object.keys(fieldConfig.args).length === 0) return resolver;
    return (parent, args, context, info) => {
      checkArguments(args as Record<string, unknown>, info);
      return resolver(parent, args, context, info);
    };
  }

  override wrapSubscribe(subscribe: GraphQLFieldResolver<unknown, Types['Context'], object> | undefined, fieldConfig: PothosOutputFieldConfig<Types>): GraphQLFieldResolver<unknown, Types['Context'], object> | undefined {
    if (!subscribe || Object.keys(fieldConfig.args).length === 0) return subscribe;
    return (parent, args, context, info) => {
      checkArguments(args as Record<string, unknown>, info);
      return subscribe(parent, args, context, info);
    };
  }
}

declare global {
  export namespace PothosSchemaTypes {
    interface Plugins<Types extends SchemaTypes> {
      textLimits: TextLimitsPlugin<Types>;
    }
  }
}

const pluginName = 'textLimits';
SchemaBuilder.registerPlugin(pluginName, TextLimitsPlugin);
export default pluginName;
