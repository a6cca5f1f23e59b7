import { ParseUUIDPipe } from '@nestjs/common';
import { ProblemException } from './problem.exception';

/** What a path parameter that must be a UUID says when it is not one. */
export function uuidParamMessage(name: string, example: string): string {
  return `${name} must be a UUID, e.g. ${example}`;
}

/** Validates a UUID path parameter; anything else is a 400 naming the parameter. */
export function uuidParamPipe(name: string, example: string): ParseUUIDPipe {
  return new ParseUUIDPipe({ exceptionFactory: () => ProblemException.field(name, uuidParamMessage(name, example)) });
}
