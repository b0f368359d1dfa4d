/** The ec2 checks: one line per check file in this folder. */
import type { AnyCheck } from '../../core/types.js';

export const ec2Checks: readonly AnyCheck[] = [];
