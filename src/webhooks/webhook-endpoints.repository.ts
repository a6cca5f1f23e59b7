import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { KeysetPages, KeysetRows } from '../database/keyset-pages';
import { WebhookDelivery, WebhookDeliveryStatus } from './webhook-delivery.entity';
import { WebhookEndpoint } from './webhook-endpoint.entity';

/** The endpoint queries of the webhook API. */
@Injectable()
export class WebhookEndpointsRepository {
  private pages?: KeysetPages<WebhookEndpoint>;

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(work);
  }

  async insert(values: Pick<WebhookEndpoint, 'webhook_endpoint_id' | 'url' | 'description' | 'event_types' | 'enabled' | 'secret'>): Promise<WebhookEndpoint> {
    const endpoint = this.dataSource.manager.create(WebhookEndpoint, {
      ...values,
      disabled_reason: null,
      disabled_at: values.enabled ? null : new Date(),
      failing_since: null,
      previous_secret: null,
      previous_secret_expires_at: null,
    });
    await this.dataSource.manager.insert(WebhookEndpoint, endpoint);
    return endpoint;
  }

  findById(endpointId: string): Promise<WebhookEndpoint | null> {
    return this.dataSource.manager.findOneBy(WebhookEndpoint, { webhook_endpoint_id: endpointId });
  }

  lockForUpdate(manager: EntityManager, endpointId: string): Promise<WebhookEndpoint | null> {
    return manager.findOne(WebhookEndpoint, { where: { webhook_endpoint_id: endpointId }, lock: { mode: 'pessimistic_write' } });
  }

  /** Writes the changed columns; `updated_at` is set by TypeORM and returned into the entity. */
  async update(manager: EntityManager, endpoint: WebhookEndpoint, changes: Partial<WebhookEndpoint>): Promise<WebhookEndpoint> {
    manager.merge(WebhookEndpoint, endpoint, changes);
    await manager.createQueryBuilder().update(WebhookEndpoint).set(changes).whereEntity(endpoint).updateEntity(true).execute();
    return endpoint;
  }

  /** Pending deliveries held while the endpoint was disabled become due now. */
  async resumePendingDeliveries(manager: EntityManager, endpointId: string): Promise<void> {
    await manager
      .createQueryBuilder()
      .update(WebhookDelivery)
      .set({ next_attempt_at: () => 'now()' })
      .where('webhook_endpoint_id = :endpointId AND status = :pending', { endpointId, pending: WebhookDeliveryStatus.Pending })
      .execute();
  }

  async delete(endpointId: string): Promise<boolean> {
    const result = await this.dataSource.manager.delete(WebhookEndpoint, { webhook_endpoint_id: endpointId });
    return (result.affected ?? 0) > 0;
  }

  /** Newest first on (created_at, webhook_endpoint_id). */
  page(afterEndpointId: string | undefined, limit: number): Promise<KeysetRows<WebhookEndpoint>> {
    this.pages ??= new KeysetPages(this.dataSource, WebhookEndpoint, {
      table: 'webhook_endpoints',
      order: ['created_at', 'webhook_endpoint_id'],
      id: 'webhook_endpoint_id',
    });
    return this.pages.read({ afterId: afterEndpointId, limit });
  }

  exists(endpointId: string): Promise<boolean> {
    return this.dataSource.manager.existsBy(WebhookEndpoint, { webhook_endpoint_id: endpointId });
  }
}
