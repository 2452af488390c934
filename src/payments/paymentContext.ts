import type { EntityManager } from '@mikro-orm/postgresql';
import type { FieldCipher } from '../security/fieldCipher.js';
import type { PaymentProviders } from './providers.js';

/** What the payment use cases need: the database, the providers, the cipher, and this API's public address. */
export interface PaymentContext {
  em: EntityManager;
  providers: PaymentProviders;
  cipher: FieldCipher;
  publicUrl: string;
}
