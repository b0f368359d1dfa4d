/**
 * The first step of a cloud run: names the run, then plans it (functions/work/plan.ts): the
 * accounts and regions to scan, written with the Map state's items into the report bucket.
 *
 * A handler module holds what every invocation needs (middy, Powertools, the event's schema);
 * the engine, the SDK clients and the rest are loaded by the first invocation that gets that far.
 */
import { newRunId } from '../core/engine/run-id.js';
import { PlanEventSchema, RUN_ID } from './events.js';
import { lambdaHandler } from './lambda.js';
import type { RuntimeOptions } from './runtime.js';

/** The execution's name when it is a run id (`custos invoke` names them so), else a new one. */
export function runIdFor(executionName: string | undefined, now: Date): string {
  return executionName !== undefined && RUN_ID.test(executionName) ? executionName : newRunId(now);
}

export const makeHandler = (options: RuntimeOptions = {}) =>
  lambdaHandler(PlanEventSchema, async (event) => {
    const { planRun } = await import('./work/plan.js');
    return planRun(event, options);
  });

export const handler = makeHandler();
