/** The iam checks: one line per check file in this folder. */
import type { AnyCheck } from '../../core/types.js';

export const iamChecks: readonly AnyCheck[] = [];
