/**
 * Every check custos ships. A check is registered by one line in its family's index; a test
 * fails when a check file is not registered or an id is not unique.
 */
import type { AnyCheck } from '../core/types.js';
import { ec2Checks } from './ec2/index.js';
import { iamChecks } from './iam/index.js';
import { s3Checks } from './s3/index.js';

export const ALL_CHECKS: readonly AnyCheck[] = [...ec2Checks, ...iamChecks, ...s3Checks];
