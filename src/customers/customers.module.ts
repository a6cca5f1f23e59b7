import { Module } from '@nestjs/common';
import { IdempotencyModule } from '../idempotency/idempotency.module';
import { TiersModule } from '../tiers/tiers.module';
import { CustomersController } from './customers.controller';
import { CustomersRepository } from './customers.repository';
import { CustomersService } from './customers.service';
import { CustomerEventRelay } from './events/customer-event-relay';
import { CustomerEventsController } from './events/customer-events.controller';
import { CustomerEventsRepository } from './events/customer-events.repository';
import { CustomerEventsService } from './events/customer-events.service';
import { ReferenceCustomerSeeder } from './reference-customer.seeder';

@Module({
  imports: [TiersModule, IdempotencyModule],
  controllers: [CustomersController, CustomerEventsController],
  providers: [CustomersRepository, CustomersService, CustomerEventsRepository, CustomerEventsService, CustomerEventRelay, ReferenceCustomerSeeder],
  exports: [CustomersService, CustomersRepository, CustomerEventRelay],
})
export class CustomersModule {}
