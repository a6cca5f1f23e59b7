import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AdminApiKey } from './admin-api-key.entity';
import { AdminKeysService } from './admin-keys.service';

@Global()
@Module({
  imports: [TypeOrmModule.forFeature([AdminApiKey])],
  providers: [AdminKeysService],
  exports: [AdminKeysService],
})
export class AuthModule {}
