import { Global, Module } from '@nestjs/common';
import { AdminKeysService } from './admin-keys.service';
import { ApiKeyGuard } from './api-key.guard';

@Global()
@Module({
  providers: [AdminKeysService, ApiKeyGuard],
  exports: [AdminKeysService, ApiKeyGuard],
})
export class AuthModule {}
