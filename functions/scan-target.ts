/**
 * One target of a cloud run: one account and region scanned, its shard written to the report
 * bucket (functions/work/scan-target.ts). A warm function keeps the run's plan and account
 * sessions between targets.
 *
 * The handler module holds what every invocation needs; the engine and the SDK clients are loaded
 * by the first invocation, each service's client only when a target calls that service.
 */
import { ScanTargetEventSchema } from './events.js';
import { lambdaHandler } from './lambda.js';
import type { RuntimeOptions } from './runtime.js';
import type { ScanTargetHandlerState } from './work/scan-target.js';

export const makeHandler = (options: RuntimeOptions = {}) => {
  const state: ScanTargetHandlerState = {};
  return lambdaHandler(ScanTargetEventSchema, async (event) => {
    const { scanOneTarget } = await import('./work/scan-target.js');
    return scanOneTarget(event, options, state);
  });
};

export const handler = makeHandler();
