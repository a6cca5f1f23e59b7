import { Global, Module } from '@nestjs/common';
import { AdminKeysService } from './admin-keys.service';

@Global()
@Module({
  providers: [AdminKeysService],
  exports: [AdminKeysService],
})
export class AuthModule {}
