/**
 * The functions as the cloud runs them, on this machine: the real handlers (middy, Powertools,
 * validation) against the AWS simulator for the audited estate and a real S3 server on loopback
 * for the report bucket.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { S3Client } from '@aws-sdk/client-s3';
import type { Context } from 'aws-lambda';
import { makeHandler as makeExport } from '../../functions/export.js';
import { makeHandler as makeFinalize } from '../../functions/finalize.js';
import { makeHandler as makePlan } from '../../functions/plan.js';
import type { RuntimeOptions } from '../../functions/runtime.js';
import { makeHandler as makeScanTarget } from '../../functions/scan-target.js';
import { S3ReportStore } from '../../reports/s3-store.js';
import { loadEstateFile } from '../../sim/estate.js';
import { type Simulator, startSimulator } from '../../sim/server.js';
import { conditionalWrites, recordRequests, type S3Server, startS3rver } from '../reports/s3rver.js';

export const BUCKET = 'custos-reports-e2e';
export const KEY_ARN = 'arn:aws:kms:us-east-1:111111111111:key/0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0';
export const DEMO_ESTATE = new URL('../../examples/demo-estate.json', import.meta.url).pathname;
export const DEMO_CONFIG = new URL('../../examples/demo.config.json', import.meta.url).pathname;

export interface Harness {
  readonly simulator: Simulator;
  readonly s3: S3Server;
  readonly options: RuntimeOptions;
  /** The report bucket as the functions see it. */
  readonly store: S3ReportStore;
  readonly handlers: {
    readonly plan: (event: unknown) => Promise<unknown>;
    readonly scanTarget: (event: unknown) => Promise<unknown>;
    readonly finalize: (event: unknown) => Promise<unknown>;
    readonly export: (event: unknown) => Promise<unknown>;
  };
  close(): Promise<void>;
}

/** A Lambda context as the runtime passes it. */
export function lambdaContext(functionName: string): Context {
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:us-east-1:111111111111:function:${functionName}`,
    memoryLimitInMB: '1024',
    awsRequestId: randomUUID(),
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: '2026/11/25/[$LATEST]0123456789abcdef',
    getRemainingTimeInMillis: () => 60_000,
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}

/**
 * Starts the simulator on the demo estate and s3rver with the report bucket; the functions read
 * `config` (the demo config, with evidence retention so that run artifacts are locked as in AWS).
 */
export async function startHarness(dir: string): Promise<Harness> {
  const simulator = await startSimulator(loadEstateFile(DEMO_ESTATE));
  const s3 = await startS3rver([BUCKET]);
  const configPath = join(dir, 'custos.config.json');
  const demo = JSON.parse(readFileSync(DEMO_CONFIG, 'utf8')) as Record<string, unknown>;
  writeFileSync(configPath, JSON.stringify({ ...demo, evidence: { retentionDays: 1, mode: 'GOVERNANCE' } }));
  const reportClient = (): S3Client => {
    const client = s3.client();
    // S3 refuses a second write of a key sent with If-None-Match: *; s3rver does not on its own.
    recordRequests(client, conditionalWrites(s3));
    return client;
  };
  const options: RuntimeOptions = {
    env: { CUSTOS_REPORT_BUCKET: BUCKET, CUSTOS_KMS_KEY_ARN: KEY_ARN, AWS_REGION: 'us-east-1' },
    configPath,
    awsEndpoint: simulator.endpoint,
    credentials: simulator.credentials,
    reportClient,
  };
  const bind =
    (handler: (event: unknown, context: Context) => Promise<unknown>, name: string) => (event: unknown) =>
      handler(event, lambdaContext(`custos-test-${name}`));
  return {
    simulator,
    s3,
    options,
    store: new S3ReportStore({ client: reportClient(), bucket: BUCKET }),
    handlers: {
      plan: bind(makePlan(options), 'plan'),
      scanTarget: bind(makeScanTarget(options), 'scanTarget'),
      finalize: bind(makeFinalize(options), 'finalize'),
      export: bind(makeExport(options), 'export'),
    },
    async close() {
      await simulator.close();
      await s3.close();
    },
  };
}
