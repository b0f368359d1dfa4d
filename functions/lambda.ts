/**
 * The one wrapper every handler uses: middy, the Powertools logger (structured JSON, the run id
 * and the target on every line once known) and metrics (CloudWatch EMF, flushed after each
 * invocation), and validation of the event before the work starts.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import type { z } from 'zod';
import type { EngineEvent } from '../core/engine/context.js';
import type { Severity } from '../core/types.js';
import { SEVERITIES } from '../core/types.js';
import { parseEvent } from './events.js';

/** serverless.yml sets POWERTOOLS_SERVICE_NAME and POWERTOOLS_METRICS_NAMESPACE; the alarms use the same. */
export const METRICS_NAMESPACE = 'Custos';
const SERVICE = 'custos';

export const logger = new Logger({ serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? SERVICE });
export const metrics = new Metrics({
  namespace: process.env.POWERTOOLS_METRICS_NAMESPACE ?? METRICS_NAMESPACE,
  serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? SERVICE,
});

export { MetricUnit };

export type LambdaHandler<R> = (event: unknown, context: Context) => Promise<R>;

export function lambdaHandler<E, R>(
  schema: z.ZodType<E>,
  work: (event: E, context: Context) => Promise<R>,
): LambdaHandler<R> {
  return middy<unknown, R>()
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .use(logMetrics(metrics, { captureColdStartMetric: true }))
    .use({
      before: (request) => {
        request.event = parseEvent(schema, request.event);
      },
      onError: (request) => {
        logger.error('invocation failed', request.error ?? 'unknown error');
      },
    })
    .handler((event, context) => work(event as E, context)) as unknown as LambdaHandler<R>;
}

/** The engine's progress as log lines: target start and end carry the target. */
export function logEngineEvent(event: EngineEvent): void {
  switch (event.type) {
    case 'plan-ready':
      logger.info('plan ready', { targets: event.targets, accounts: event.accounts });
      return;
    case 'target-start':
      logger.debug('target started');
      return;
    case 'target-done':
      logger.info('target done', { status: event.status });
      return;
  }
}

/** `FailingFindings` with a `severity` dimension, one data point per severity. */
export function addFailingFindings(bySeverity: Readonly<Record<Severity, number>>): void {
  for (const severity of SEVERITIES) {
    const single = metrics.singleMetric();
    single.addDimension('severity', severity);
    single.addMetric('FailingFindings', MetricUnit.Count, bySeverity[severity]);
  }
}

/** `accountId/region`, as log lines and error messages show a target. */
export function targetLabel(target: { readonly accountId: string; readonly region: string }): string {
  return `${target.accountId}/${target.region}`;
}
