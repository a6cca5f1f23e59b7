import type { OpenAPIObject } from '@nestjs/swagger';
import { titleForStatus } from './problem.exception';

/**
 * The errors every operation answers alike (the key's scope, the body's size and type, throttling,
 * oversized headers, faults). As a row each, they made Update Customer 5,300 px tall in Swagger UI;
 * folded into one `default` response with an example per status, the rows left are the ones that say
 * something about the operation. `default`, not `4XX`/`5XX`: Swagger UI marks a status it finds only
 * in a range "Undocumented". 401 keeps its row: it is the error a newcomer meets first.
 */
const COMMON_STATUSES = [403, 413, 415, 429, 431, 500, 503];

interface ResponseObject {
  description: string;
  content?: Record<string, { schema?: unknown; example?: unknown; examples?: Record<string, unknown> }>;
}

/**
 * Folds each operation's common problem responses into `default`, where the operation keeps a 4xx row
 * of its own (an operation with only common errors, such as /health, lists them as they are).
 */
export function foldCommonProblemResponses(document: OpenAPIObject): void {
  for (const item of Object.values(document.paths)) {
    for (const operation of Object.values(item)) {
      const responses = (operation as { responses?: Record<string, ResponseObject> }).responses;
      if (!responses) continue;
      const common = COMMON_STATUSES.filter((status) => responses[status] !== undefined);
      const keepsOwn4xx = Object.keys(responses).some((code) => /^4\d\d$/.test(code) && !common.includes(Number(code)));
      if (common.length === 0 || !keepsOwn4xx) continue;
      const schema = responses[common[0]].content?.['application/problem+json']?.schema;
      const examples = Object.fromEntries(
        common.map((status) => {
          const { description, content } = responses[status];
          delete responses[status];
          return [String(status), { summary: `${status} ${titleForStatus(status)}`, description, value: content?.['application/problem+json']?.example }];
        }),
      );
      responses.default = {
        description: `Errors alike on every operation, one example per status (its \`type\` page says how to fix it): ${common.map((status) => `${status} ${titleForStatus(status)}`).join(', ')}.`,
        content: { 'application/problem+json': { schema, examples } },
      };
    }
  }
}
