import { Module } from '@nestjs/common';
import { CustomersModule } from '../customers/customers.module';
import { MetricsModule } from '../metrics/metrics.module';
import { WebhookDeliveriesRepository } from './webhook-deliveries.repository';
import { WebhookDeliveryWorker } from './webhook-delivery.worker';
import { WebhookEndpointsController } from './webhook-endpoints.controller';
import { WebhookEndpointsRepository } from './webhook-endpoints.repository';
import { WebhookEndpointsService } from './webhook-endpoints.service';
import { WebhookSettings } from './webhook-settings';

@Module({
  imports: [CustomersModule, MetricsModule],
  controllers: [WebhookEndpointsController],
  providers: [WebhookSettings, WebhookEndpointsRepository, WebhookDeliveriesRepository, WebhookEndpointsService, WebhookDeliveryWorker],
})
export class WebhooksModule {}
