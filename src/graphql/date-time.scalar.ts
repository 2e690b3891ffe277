import { GraphQLError, GraphQLScalarType, Kind } from "graphql";

function parse(value: unknown): Date {
  const date = typeof value === "string" ? new Date(value) : new Date(NaN);
  if (Number.isNaN(date.getTime())) throw new GraphQLError("DateTime must be an ISO-8601 string.");
  return date;
}

// The same instants are sent again and again (a held list of sessions): each is formatted once.
const formatted = new WeakMap<Date, string>();

function serialize(value: unknown): string {
  if (!(value instanceof Date)) return new Date(String(value)).toISOString();
  let text = formatted.get(value);
  if (text === undefined) formatted.set(value, (text = value.toISOString()));
  return text;
}

/** The contract's DateTime: ISO-8601 in UTC with milliseconds, e.g. 2026-11-27T15:49:42.000Z. */
export const DateTimeScalar = new GraphQLScalarType({
  name: "DateTime",
  description: "An ISO-8601 date-time in UTC, e.g. 2026-11-27T15:49:42.000Z.",
  serialize,
  parseValue: parse,
  parseLiteral: (ast) => parse(ast.kind === Kind.STRING ? ast.value : undefined),
});
