import { applyDecorators } from '@nestjs/common';
import { ApiSecurity } from '@nestjs/swagger';
import { ApiProblemResponses } from '../http/api-problem-responses.decorator';
import { API_KEY_HEADER } from './api-key.guard';

export const API_KEY_SECURITY_SCHEME = API_KEY_HEADER;

/**
 * Documents the x-api-key requirement that the global ApiKeyGuard enforces, so Swagger UI's Authorize
 * sends the key. 403 (a read key on a write) is documented by the write operations themselves.
 */
export function AdminAuth(): ClassDecorator & MethodDecorator {
  return applyDecorators(ApiSecurity(API_KEY_SECURITY_SCHEME), ApiProblemResponses(401, 429, 431, 500, 503));
}
