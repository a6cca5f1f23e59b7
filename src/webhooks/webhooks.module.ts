import { Logger, Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { EnvironmentVariables } from '../config/environment';
import { TypeOrmModule } from '@nestjs/typeorm';
import { EventsModule } from '../events/events.module';
import { MetricsModule } from '../metrics/metrics.module';
import { WebhookDeliveriesRepository } from './webhook-deliveries.repository';
import { WebhookDeliveryWorker } from './webhook-delivery.worker';
import { WebhookDelivery } from './webhook-delivery.entity';
import { WebhookEndpoint } from './webhook-endpoint.entity';
import { WebhookEndpointsController } from './webhook-endpoints.controller';
import { WebhookEndpointsRepository } from './webhook-endpoints.repository';
import { WebhookEndpointsService } from './webhook-endpoints.service';
import { WebhookSettings } from './webhook-settings';
import { WebhookSecretCipher } from './webhook-secret-cipher';
import { WEBHOOK_SECRETS_KEY_PATH, webhookSecretKeys } from './webhook-secret-keys';
import { WebhookSecretsEncryption } from './webhook-secrets-encryption';

const secretCipher = {
  provide: WebhookSecretCipher,
  inject: [ConfigService, { token: WEBHOOK_SECRETS_KEY_PATH, optional: true }],
  useFactory: (config: ConfigService<EnvironmentVariables, true>, developmentPath?: string) => {
    const { keys, generatedAt } = webhookSecretKeys(config.get('WEBHOOK_SECRETS_ENCRYPTION_KEYS', { infer: true }), developmentPath);
    if (generatedAt)
      new Logger('WebhooksModule').warn(`No WEBHOOK_SECRETS_ENCRYPTION_KEYS set: generated a development key for webhook secrets in ${generatedAt}`);
    return new WebhookSecretCipher(keys);
  },
};

@Module({
  imports: [TypeOrmModule.forFeature([WebhookEndpoint, WebhookDelivery]), EventsModule, MetricsModule],
  controllers: [WebhookEndpointsController],
  providers: [
    WebhookSettings,
    secretCipher,
    WebhookSecretsEncryption,
    WebhookEndpointsRepository,
    WebhookDeliveriesRepository,
    WebhookEndpointsService,
    WebhookDeliveryWorker,
  ],
})
export class WebhooksModule {}
