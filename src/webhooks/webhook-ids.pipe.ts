import { ApiParam } from '@nestjs/swagger';
import { fieldProblem } from '../http/api-problem-responses.decorator';
import { uuidParamMessage, uuidParamPipe } from '../http/uuid-param';

const EXAMPLE_ID = '3b0c6f1e-8a3d-4f6a-9d27-5c1e2b7a9f10';

export const WebhookEndpointIdPipe = uuidParamPipe('webhook_endpoint_id', EXAMPLE_ID);
export const DeliveryIdPipe = uuidParamPipe('delivery_id', EXAMPLE_ID);
export const WEBHOOK_ENDPOINT_ID_PROBLEM = fieldProblem('webhook_endpoint_id', uuidParamMessage('webhook_endpoint_id', EXAMPLE_ID));

/** The ids the documentation's examples use (contract tools build requests from them). */
export const EXAMPLE_WEBHOOK_ENDPOINT_ID = '3b0c6f1e-8a3d-4f6a-9d27-5c1e2b7a9f10';
export const EXAMPLE_DELIVERY_ID = '9a1d2c3b-4e5f-4a6b-8c7d-0e1f2a3b4c5d';

export const WebhookEndpointIdParam = () =>
  ApiParam({ name: 'webhook_endpoint_id', description: 'Webhook endpoint UUID', format: 'uuid', example: EXAMPLE_WEBHOOK_ENDPOINT_ID });
export const DeliveryIdParam = () => ApiParam({ name: 'delivery_id', description: 'Delivery UUID', format: 'uuid', example: EXAMPLE_DELIVERY_ID });
