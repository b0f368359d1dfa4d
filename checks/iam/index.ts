/** The iam checks: one line per check file in this folder. */
import type { AnyCheck } from '../../core/types.js';
import { rootAccessKeysCheck } from './root-access-keys.js';
import { rootHardwareMfaCheck } from './root-hardware-mfa.js';
import { rootMfaCheck } from './root-mfa.js';
import { rootRecentUseCheck } from './root-recent-use.js';
import { userAccessKeyRotationCheck } from './user-access-key-rotation.js';
import { userConsoleMfaCheck } from './user-console-mfa.js';
import { userUnusedCredentialsCheck } from './user-unused-credentials.js';

export const iamChecks: readonly AnyCheck[] = [
  rootAccessKeysCheck,
  rootRecentUseCheck,
  rootMfaCheck,
  rootHardwareMfaCheck,
  userConsoleMfaCheck,
  userUnusedCredentialsCheck,
  userAccessKeyRotationCheck,
];
