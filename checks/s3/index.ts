/** The s3 checks: one line per check file in this folder. */
import type { AnyCheck } from '../../core/types.js';

export const s3Checks: readonly AnyCheck[] = [];
