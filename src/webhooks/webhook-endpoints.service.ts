import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { Page, PageQueryDto, keysetPage } from '../http/pagination.dto';
import { CreateWebhookEndpointDto } from './dto/create-webhook-endpoint.dto';
import { REPLAY_MAX_EVENTS, ReplayWebhookEndpointDto, WebhookReplayResponseDto } from './dto/replay-webhook-endpoint.dto';
import { ProblemException } from '../http/problem.exception';
import { UpdateWebhookEndpointDto, WEBHOOK_EVENT_TYPES } from './dto/update-webhook-endpoint.dto';
import { ListWebhookDeliveriesQueryDto, toWebhookDeliveryResponse, WebhookDeliveryResponseDto } from './dto/webhook-delivery-response.dto';
import { toWebhookEndpointResponse, WebhookEndpointResponseDto, WebhookEndpointWithSecretDto } from './dto/webhook-endpoint-response.dto';
import { WebhookDeliveriesRepository } from './webhook-deliveries.repository';
import { WebhookDeliveryWorker } from './webhook-delivery.worker';
import { WebhookEndpoint } from './webhook-endpoint.entity';
import { WebhookEndpointsRepository } from './webhook-endpoints.repository';
import { WebhookSecretCipher } from './webhook-secret-cipher';
import { WebhookSettings } from './webhook-settings';
import { generateWebhookSecret } from './webhook-signature';
import { checkWebhookUrl } from './webhook-url';
import { webhookDeliveryNotFound, webhookEndpointDisabled, webhookEndpointNotFound } from './webhooks.errors';

/** After a rotation, deliveries are signed with the old secret too for this long, so receivers can switch over. */
export const PREVIOUS_SECRET_VALID_HOURS = 24;

@Injectable()
export class WebhookEndpointsService {
  constructor(
    private readonly endpoints: WebhookEndpointsRepository,
    private readonly deliveries: WebhookDeliveriesRepository,
    private readonly settings: WebhookSettings,
    private readonly worker: WebhookDeliveryWorker,
    private readonly cipher: WebhookSecretCipher,
  ) {}

  async create(dto: CreateWebhookEndpointDto): Promise<WebhookEndpointWithSecretDto> {
    const url = await checkWebhookUrl(dto.url, this.settings);
    const secret = generateWebhookSecret();
    const endpointId = randomUUID();
    const endpoint = await this.endpoints.insert({
      webhook_endpoint_id: endpointId,
      url,
      description: dto.description ?? null,
      event_types: dto.event_types ?? [...WEBHOOK_EVENT_TYPES],
      enabled: dto.enabled ?? true,
      secret: this.cipher.encrypt(secret, endpointId),
    });
    return { ...toWebhookEndpointResponse(endpoint), secret };
  }

  list(query: PageQueryDto): Promise<Page<WebhookEndpointResponseDto>> {
    return keysetPage(query, (afterId) => this.endpoints.page(afterId, query.limit), {
      idOf: (row) => row.webhook_endpoint_id,
      map: toWebhookEndpointResponse,
    });
  }

  async findOne(endpointId: string): Promise<WebhookEndpointResponseDto> {
    return toWebhookEndpointResponse(await this.load(endpointId));
  }

  /**
   * Partial, like customers: only the fields sent change. Enabling an endpoint clears why it was
   * disabled and its run of failures, and makes its pending deliveries due at once.
   */
  async update(endpointId: string, dto: UpdateWebhookEndpointDto): Promise<WebhookEndpointResponseDto> {
    const url = dto.url === undefined ? undefined : await checkWebhookUrl(dto.url, this.settings);
    const { endpoint, resumed } = await this.endpoints.transaction(async (manager) => {
      const current = await this.endpoints.lockForUpdate(manager, endpointId);
      if (!current) throw webhookEndpointNotFound(endpointId);
      const changes: Partial<WebhookEndpoint> = {};
      if (url !== undefined && url !== current.url) changes.url = url;
      if (dto.description !== undefined && dto.description !== current.description) changes.description = dto.description;
      if (dto.event_types !== undefined && !sameSet(dto.event_types, current.event_types)) changes.event_types = dto.event_types;
      const enabling = dto.enabled === true && !current.enabled;
      if (enabling) Object.assign(changes, { enabled: true, disabled_reason: null, disabled_at: null, failing_since: null });
      if (dto.enabled === false && current.enabled) Object.assign(changes, { enabled: false, disabled_reason: null, disabled_at: new Date() });
      if (Object.keys(changes).length === 0) return { endpoint: current, resumed: false };
      const updated = await this.endpoints.update(manager, current, changes);
      if (enabling) await this.endpoints.resumePendingDeliveries(manager, endpointId);
      return { endpoint: updated, resumed: enabling };
    });
    if (resumed) this.worker.wake();
    return toWebhookEndpointResponse(endpoint);
  }

  async remove(endpointId: string): Promise<void> {
    if (!(await this.endpoints.delete(endpointId))) throw webhookEndpointNotFound(endpointId);
  }

  /** A new secret; the old one keeps signing (as a second signature) for PREVIOUS_SECRET_VALID_HOURS. */
  async rotateSecret(endpointId: string): Promise<WebhookEndpointWithSecretDto> {
    const secret = generateWebhookSecret();
    const endpoint = await this.endpoints.transaction(async (manager) => {
      const current = await this.endpoints.lockForUpdate(manager, endpointId);
      if (!current) throw webhookEndpointNotFound(endpointId);
      return this.endpoints.update(manager, current, {
        secret: this.cipher.encrypt(secret, endpointId),
        previous_secret: current.secret,
        previous_secret_expires_at: new Date(Date.now() + PREVIOUS_SECRET_VALID_HOURS * 3_600_000),
      });
    });
    return { ...toWebhookEndpointResponse(endpoint), secret };
  }

  listDeliveries(endpointId: string, query: ListWebhookDeliveriesQueryDto): Promise<Page<WebhookDeliveryResponseDto>> {
    return keysetPage(query, (afterId) => this.deliveries.page(endpointId, query.status, afterId, query.limit), {
      idOf: (row) => row.delivery_id,
      map: toWebhookDeliveryResponse,
      whenEmpty: async () => {
        if (!(await this.endpoints.exists(endpointId))) throw webhookEndpointNotFound(endpointId);
      },
    });
  }

  /** Sends a delivery again now, whatever its status: one more attempt (the receiver deduplicates by `webhook-id`). */
  async retryDelivery(endpointId: string, deliveryId: string): Promise<WebhookDeliveryResponseDto> {
    const endpoint = await this.load(endpointId);
    if (!endpoint.enabled) throw webhookEndpointDisabled(endpointId);
    if (!(await this.deliveries.scheduleRetry(endpointId, deliveryId))) throw webhookDeliveryNotFound(endpointId, deliveryId);
    this.worker.wake();
    const delivery = await this.deliveries.findOne(endpointId, deliveryId);
    if (!delivery) throw webhookDeliveryNotFound(endpointId, deliveryId);
    return toWebhookDeliveryResponse(delivery);
  }

  /**
   * Sends the endpoint the published events in (after_position, until_position] again, as new
   * deliveries marked `replay`, signed and ordered per customer like live ones.
   */
  async replay(endpointId: string, dto: ReplayWebhookEndpointDto): Promise<WebhookReplayResponseDto> {
    const endpoint = await this.load(endpointId);
    if (!endpoint.enabled) throw webhookEndpointDisabled(endpointId);
    const after = dto.after_position;
    const until = dto.until_position ?? Math.max(after, await this.deliveries.lastPublishedPosition());
    if (until < after) throw ProblemException.field('until_position', 'until_position must not be before after_position');
    if (until - after > REPLAY_MAX_EVENTS) {
      throw ProblemException.field(
        dto.until_position === undefined ? 'after_position' : 'until_position',
        `a replay covers at most ${REPLAY_MAX_EVENTS} positions: replay in steps, until_position = after_position + ${REPLAY_MAX_EVENTS}, then from there (this range has ${until - after})`,
      );
    }
    const deliveries = await this.deliveries.createReplay(endpointId, after, until, this.settings.maxAttempts);
    if (deliveries > 0) this.worker.wake();
    return { deliveries, after_position: after, until_position: until };
  }

  private async load(endpointId: string): Promise<WebhookEndpoint> {
    const endpoint = await this.endpoints.findById(endpointId);
    if (!endpoint) throw webhookEndpointNotFound(endpointId);
    return endpoint;
  }
}

function sameSet<T>(a: readonly T[], b: readonly T[]): boolean {
  return a.length === b.length && a.every((item) => b.includes(item));
}
