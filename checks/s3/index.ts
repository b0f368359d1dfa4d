/** The s3 checks: one line per check file in this folder. */
import type { AnyCheck } from '../../core/types.js';
import { accountPublicAccessBlockCheck } from './account-public-access-block.js';
import { bucketPublicCheck } from './bucket-public.js';
import { bucketPublicAccessBlockCheck } from './bucket-public-access-block.js';
import { bucketSecureTransportCheck } from './bucket-secure-transport.js';

export const s3Checks: readonly AnyCheck[] = [
  accountPublicAccessBlockCheck,
  bucketPublicAccessBlockCheck,
  bucketPublicCheck,
  bucketSecureTransportCheck,
];
