import { HttpStatus } from '@nestjs/common';
import { ProblemException } from '../http/problem.exception';
import { WEBHOOK_ENDPOINT_DISABLED } from '../http/problem-types';

export function webhookEndpointNotFound(endpointId: string): ProblemException {
  return new ProblemException(HttpStatus.NOT_FOUND, `No webhook endpoint has webhook_endpoint_id ${endpointId}.`, [
    { field: 'webhook_endpoint_id', message: 'no webhook endpoint with this id' },
  ]);
}

export function webhookDeliveryNotFound(endpointId: string, deliveryId: string): ProblemException {
  return new ProblemException(HttpStatus.NOT_FOUND, `Webhook endpoint ${endpointId} has no delivery ${deliveryId}.`, [
    { field: 'delivery_id', message: 'no delivery with this id for this endpoint' },
  ]);
}

export function webhookEndpointDisabled(endpointId: string): ProblemException {
  return new ProblemException(
    HttpStatus.CONFLICT,
    `Webhook endpoint ${endpointId} is disabled; enable it (PUT with "enabled": true) and its pending deliveries are sent, or then retry this one.`,
    [{ field: 'webhook_endpoint_id', message: 'the endpoint is disabled' }],
    WEBHOOK_ENDPOINT_DISABLED,
  );
}
