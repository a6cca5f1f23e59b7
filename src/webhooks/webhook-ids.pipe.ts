import { ApiParam } from '@nestjs/swagger';
import { fieldProblem } from '../http/api-problem-responses.decorator';
import { uuidParamMessage, uuidParamPipe } from '../http/uuid-param';

const EXAMPLE_ID = '3b0c6f1e-8a3d-4f6a-9d27-5c1e2b7a9f10';

export const WebhookEndpointIdPipe = uuidParamPipe('webhook_endpoint_id', EXAMPLE_ID);
export const DeliveryIdPipe = uuidParamPipe('delivery_id', EXAMPLE_ID);
export const WEBHOOK_ENDPOINT_ID_PROBLEM = fieldProblem('webhook_endpoint_id', uuidParamMessage('webhook_endpoint_id', EXAMPLE_ID));

export const WebhookEndpointIdParam = () => ApiParam({ name: 'webhook_endpoint_id', description: 'Webhook endpoint UUID', format: 'uuid' });
export const DeliveryIdParam = () => ApiParam({ name: 'delivery_id', description: 'Delivery UUID', format: 'uuid' });
