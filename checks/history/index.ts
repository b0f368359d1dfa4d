/**
 * The history-derived checks: one line per check file in this folder. They are not in the main
 * registry because they run once the targets are scanned, with the previous run's inventory.
 */
import { iamUserDormantReactivatedCheck } from './iam-user-dormant-reactivated.js';
import type { AnyHistoryCheck } from './types.js';

export type { AnyHistoryCheck, HistoryCheck } from './types.js';

export const historyChecks: readonly AnyHistoryCheck[] = [iamUserDormantReactivatedCheck];
