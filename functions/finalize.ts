/**
 * The last step of a cloud run: the shards become the run's report, history and tickets, published
 * under the report store's lease (functions/work/finalize.ts).
 *
 * The handler module holds what every invocation needs; the rest is loaded by the first
 * invocation (a tracker's client only when that tracker is configured).
 */
import { FinalizeEventSchema } from './events.js';
import { lambdaHandler } from './lambda.js';
import type { RuntimeOptions } from './runtime.js';

export const makeHandler = (options: RuntimeOptions = {}) =>
  lambdaHandler(FinalizeEventSchema, async (event) => {
    const { finalizeRun } = await import('./work/finalize.js');
    return finalizeRun(event, options);
  });

export const handler = makeHandler();
