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

@Module({
  imports: [TypeOrmModule.forFeature([Customer]), EventsModule, TiersModule, IdempotencyModule],
  controllers: [CustomersController, CustomerEventsController, EventFeedController],
  providers: [CustomersRepository, CustomersService, CustomerEventsRepository, CustomerEventsService, ReferenceCustomerSeeder, CustomerRetention],
  exports: [CustomersService],
})
export class CustomersModule {}
