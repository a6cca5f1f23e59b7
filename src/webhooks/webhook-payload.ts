import { formatTimestamp } from '../http/timestamps';
import type { ClaimedDelivery } from './webhook-deliveries.repository';

/** The JSON a receiver gets: the event, with the customer as the API returned it after the change. */
export function webhookPayload(delivery: ClaimedDelivery): string {
  return JSON.stringify({
    id: delivery.event_id,
    type: delivery.event_type,
    created_at: formatTimestamp(delivery.event_created_at),
    data: { customer: delivery.customer, changes: delivery.changes, actor: delivery.actor },
  });
}
