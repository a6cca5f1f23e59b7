import { parse } from 'node:querystring';

const DEEP_OBJECT = /^([a-z_]+)\[([^[\]]*)\]$/;

/**
 * Express's query parser: node:querystring (as Express's default `simple` parser), plus OpenAPI's
 * `deepObject` style for the parameters named in `deepObjects`: `metadata[region]=eu` becomes
 * `{ metadata: { region: 'eu' } }`. Anything else with brackets (a nested `metadata[a][b]`) stays a
 * key of its own, which validation then refuses by name.
 */
export function queryParser(deepObjects: readonly string[]): (text: string) => Record<string, unknown> {
  return (text) => {
    const query = Object.create(null) as Record<string, unknown>;
    for (const [key, value] of Object.entries(parse(text))) {
      const match = DEEP_OBJECT.exec(key);
      if (match && deepObjects.includes(match[1])) {
        const object = (query[match[1]] ??= Object.create(null) as Record<string, unknown>) as Record<string, unknown>;
        if (typeof object === 'object') object[match[2]] = value;
        else query[key] = value;
      } else {
        query[key] = value;
      }
    }
    return query;
  };
}
