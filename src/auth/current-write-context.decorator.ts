import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import type { IdentifiedRequest, WriteContext } from '../http/request-context';
import type { AuthenticatedRequest } from './api-key.guard';

/** Who is writing (the authenticated key's name) and in which request, for the audit trail. */
export const CurrentWriteContext = createParamDecorator((_data: unknown, context: ExecutionContext): WriteContext => {
  const request = context.switchToHttp().getRequest<AuthenticatedRequest & IdentifiedRequest>();
  return { actor: request.adminKey?.name ?? 'unknown', requestId: request.id ?? null };
});
