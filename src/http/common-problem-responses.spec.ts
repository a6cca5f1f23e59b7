import type { OpenAPIObject } from '@nestjs/swagger';
import { foldCommonProblemResponses } from './common-problem-responses';

const problem = (status: number, detail: string) => ({
  description: `about ${status}`,
  content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' }, example: { status, detail } } },
});

describe('foldCommonProblemResponses', () => {
  it("folds the common statuses into default with one example each, and keeps the operation's own rows", () => {
    const document = {
      paths: {
        '/things/{id}': {
          put: {
            responses: { 200: { description: 'ok' }, 400: problem(400, 'bad'), 401: problem(401, 'key'), 429: problem(429, 'slow'), 503: problem(503, 'down') },
          },
        },
      },
    } as unknown as OpenAPIObject;
    foldCommonProblemResponses(document);
    const { responses } = document.paths['/things/{id}'].put as any;
    expect(Object.keys(responses).sort()).toEqual(['200', '400', '401', 'default']);
    expect(responses.default.description).toMatch(/: 429 Too Many Requests, 503 Service Unavailable\.$/);
    expect(responses.default.content['application/problem+json']).toEqual({
      schema: { $ref: '#/components/schemas/Problem' },
      examples: {
        429: { summary: '429 Too Many Requests', description: 'about 429', value: { status: 429, detail: 'slow' } },
        503: { summary: '503 Service Unavailable', description: 'about 503', value: { status: 503, detail: 'down' } },
      },
    });
  });

  it('leaves an operation whose only 4xx are common ones as it is', () => {
    const health = { responses: { 200: { description: 'ok' }, 431: problem(431, 'big'), 500: problem(500, 'fault') } };
    const document = { paths: { '/health': { get: health } } } as unknown as OpenAPIObject;
    foldCommonProblemResponses(document);
    expect(Object.keys(health.responses)).toEqual(['200', '431', '500']);
  });
});
