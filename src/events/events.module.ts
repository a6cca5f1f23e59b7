import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { MetricsModule } from '../metrics/metrics.module';
import { CustomerEventRelay } from './customer-event-relay';
import { CustomerSnapshots } from './customer-snapshots';
import { CustomerEvent } from './customer-event.entity';
import { EventRelayState, PublishedCustomerEvent } from './event-relay.entity';

/** The customer event log and its relay: written by the customers feature, consumed by webhooks and LISTEN clients. */
@Module({
  imports: [TypeOrmModule.forFeature([CustomerEvent, EventRelayState, PublishedCustomerEvent]), MetricsModule],
  providers: [CustomerEventRelay, CustomerSnapshots],
  exports: [CustomerEventRelay, CustomerSnapshots, TypeOrmModule],
})
export class EventsModule {}
