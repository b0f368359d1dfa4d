/**
 * Compliance evidence on demand: the bundle of a period's runs, written under `exports/` in the
 * report bucket and answered with a presigned link (functions/work/export.ts).
 *
 * The handler module holds what every invocation needs; the rest is loaded by the first invocation.
 */
import { ExportEventSchema } from './events.js';
import { lambdaHandler } from './lambda.js';
import type { RuntimeOptions } from './runtime.js';

export const makeHandler = (options: RuntimeOptions = {}) =>
  lambdaHandler(ExportEventSchema, async (event) => {
    const { exportRun } = await import('./work/export.js');
    return exportRun(event, options);
  });

export const handler = makeHandler();
