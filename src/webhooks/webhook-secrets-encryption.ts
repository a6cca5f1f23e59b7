import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { inPoolTransaction } from '../database/pool-transaction';
import { typeormPool } from '../database/typeorm-pool';
import { WebhookSecretCipher } from './webhook-secret-cipher';
import { reencryptWebhookSecrets } from './webhook-secrets-store';

/**
 * At start-up, encrypts secrets stored in clear by versions before encryption at rest (the data
 * half of the WebhookSecretsEncrypted migration, which cannot know the key). Idempotent: rows are
 * locked, and one already encrypted is left alone, so instances starting together agree.
 */
@Injectable()
export class WebhookSecretsEncryption implements OnApplicationBootstrap {
  private readonly logger = new Logger(WebhookSecretsEncryption.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly cipher: WebhookSecretCipher,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const changed = await inPoolTransaction(typeormPool(this.dataSource), (transaction) => reencryptWebhookSecrets(transaction, this.cipher, { all: false }));
    if (changed > 0) this.logger.log(`Encrypted the signing secrets of ${changed} webhook endpoints stored in clear`);
  }
}
