import { Global, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { AdminKeysService } from './admin-keys.service';
import { ApiKeyGuard } from './api-key.guard';

@Global()
@Module({
  providers: [AdminKeysService, { provide: APP_GUARD, useClass: ApiKeyGuard }],
  exports: [AdminKeysService],
})
export class AuthModule {}
