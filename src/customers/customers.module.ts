import { Module } from '@nestjs/common';
import { IdempotencyModule } from '../idempotency/idempotency.module';
import { TiersModule } from '../tiers/tiers.module';
import { CustomersController } from './customers.controller';
import { CustomersService } from './customers.service';
import { CustomerEventsController } from './events/customer-events.controller';
import { CustomerEventsService } from './events/customer-events.service';

@Module({
  imports: [TiersModule, IdempotencyModule],
  controllers: [CustomersController, CustomerEventsController],
  providers: [CustomersService, CustomerEventsService],
  exports: [CustomersService],
})
export class CustomersModule {}
