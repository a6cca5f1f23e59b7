import { ParseUUIDPipe } from '@nestjs/common';
import { ApiParam } from '@nestjs/swagger';
import { fieldProblem } from '../common/api-problem-responses.decorator';
import { ProblemException } from '../common/problem.exception';

const uuidMessage = (name: string) => `${name} must be a UUID, e.g. 3b0c6f1e-8a3d-4f6a-9d27-5c1e2b7a9f10`;
const uuidPipe = (name: string) => new ParseUUIDPipe({ exceptionFactory: () => ProblemException.field(name, uuidMessage(name)) });

export const WebhookEndpointIdPipe = uuidPipe('webhook_endpoint_id');
export const DeliveryIdPipe = uuidPipe('delivery_id');
export const WEBHOOK_ENDPOINT_ID_PROBLEM = fieldProblem('webhook_endpoint_id', uuidMessage('webhook_endpoint_id'));

export const WebhookEndpointIdParam = () => ApiParam({ name: 'webhook_endpoint_id', description: 'Webhook endpoint UUID', format: 'uuid' });
export const DeliveryIdParam = () => ApiParam({ name: 'delivery_id', description: 'Delivery UUID', format: 'uuid' });
