import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { EventsModule } from '../events/events.module';
import { Customer } from './customer.entity';
import { IdempotencyModule } from '../idempotency/idempotency.module';
import { TiersModule } from '../tiers/index';
import { CustomersController } from './customers.controller';
import { CustomersRepository } from './customers.repository';
import { CustomersService } from './customers.service';
import { CustomerEventsController } from './events/customer-events.controller';
import { EventFeedController } from './events/event-feed.controller';
import { CustomerEventsRepository } from './events/customer-events.repository';
import { CustomerEventsService } from './events/customer-events.service';
import { ReferenceCustomerSeeder } from './reference-customer.seeder';
import { CustomerRetention } from './customer-retention';
import { MetricsModule } from '../metrics/metrics.module';
import { ScheduledChange } from './scheduled-changes/scheduled-change.entity';
import { ScheduledChangesController } from './scheduled-changes/scheduled-changes.controller';
import { ScheduledChangesRepository } from './scheduled-changes/scheduled-changes.repository';
import { ScheduledChangesService } from './scheduled-changes/scheduled-changes.service';
import { ScheduledChangesWorker } from './scheduled-changes/scheduled-changes.worker';

@Module({
  imports: [TypeOrmModule.forFeature([Customer, ScheduledChange]), EventsModule, TiersModule, IdempotencyModule, MetricsModule],
  controllers: [CustomersController, CustomerEventsController, EventFeedController, ScheduledChangesController],
  providers: [
    CustomersRepository,
    CustomersService,
    CustomerEventsRepository,
    CustomerEventsService,
    ReferenceCustomerSeeder,
    CustomerRetention,
    ScheduledChangesRepository,
    ScheduledChangesService,
    ScheduledChangesWorker,
  ],
  exports: [CustomersService],
})
export class CustomersModule {}
