/**
 * The simulator as the benchmark runs it: in a process of its own (AWS is remote: its CPU is
 * not the scanner's), serving a generated estate. Started with `fork`, it generates the estate
 * from the spec in argv, starts two simulators over it (one plain, one with latency and AWS's
 * token buckets), answers `ready` with their endpoints, and on request reports the calls one of
 * them received, the throttling answers it gave and the token-bucket floor of those calls.
 */
import { AWS_TOKEN_RATES, type BucketRef, bucketFor, type TokenRate } from '../sim/limits.js';
import { type SimCall, type Simulator, startSimulator } from '../sim/server.js';
import { countEstate, type EstateCounts, type EstateSpec, generateEstate } from './generate.js';

export interface SimProcessSpec {
  readonly estate: EstateSpec;
  /** Median latency in milliseconds of the limited simulator. */
  readonly latencyMs: number;
}

/** Which simulator: without latency or limits (the CPU floor), or with both (the measured scan). */
export type SimMode = 'plain' | 'limited';

export interface SimEndpoint {
  readonly endpoint: string;
  readonly credentials: { readonly accessKeyId: string; readonly secretAccessKey: string };
}

export type SimProcessMessage =
  | {
      readonly type: 'ready';
      readonly simulators: Readonly<Record<SimMode, SimEndpoint>>;
      readonly counts: EstateCounts;
    }
  | { readonly type: 'report'; readonly report: SimReport }
  | { readonly type: 'reset-done' };

export interface SimReport {
  /** Requests received per `service:Operation`, throttled ones included. */
  readonly callCounts: Record<string, number>;
  /** Throttling answers per `service:Operation`. */
  readonly throttled: Record<string, number>;
  /**
   * The time AWS's token buckets need to admit these calls, at the least: over every bucket,
   * (calls − burst) / refill; with the bucket that decides it. Read from the plain simulator,
   * whose calls are exactly those the scan needs (no throttled answers, no retries).
   */
  readonly tokenFloorMs: number;
  readonly tokenFloorBucket: string | undefined;
}

/** The smallest time the buckets need to admit `calls`, as AWS sizes them. */
export function tokenFloor(
  calls: ReadonlyArray<SimCall>,
  rates: Parameters<typeof bucketFor>[1],
): { readonly ms: number; readonly bucket: string | undefined } {
  const perBucket = new Map<string, { ref: BucketRef; calls: number }>();
  for (const call of calls) {
    const ref = bucketFor(call, rates);
    if (ref === undefined) continue;
    const entry = perBucket.get(ref.key) ?? { ref, calls: 0 };
    entry.calls += 1;
    perBucket.set(ref.key, entry);
  }
  let ms = 0;
  let bucket: string | undefined;
  for (const { ref, calls: n } of perBucket.values()) {
    const rate: TokenRate = ref.rate;
    const floor = (Math.max(0, n - rate.burst) / rate.perSecond) * 1000;
    if (floor > ms) {
      ms = floor;
      bucket = `${ref.key} (${n} calls, ${rate.burst} + ${rate.perSecond}/s)`;
    }
  }
  return { ms, bucket };
}

async function main(): Promise<void> {
  const spec = JSON.parse(process.argv[2] ?? '{}') as SimProcessSpec;
  const estate = generateEstate(spec.estate);
  const counts = countEstate(estate);
  // Two simulators over the one estate (generated once): used one after the other.
  const simulators: Record<SimMode, Simulator> = {
    plain: await startSimulator(estate),
    limited: await startSimulator(estate, {
      ...(spec.latencyMs > 0 && { latency: { medianMs: spec.latencyMs } }),
      throttle: true,
    }),
  };
  process.on('message', (message: { type: string; mode?: SimMode }) => {
    if (message.type === 'report' && message.mode !== undefined) {
      const sim = simulators[message.mode];
      const floor = tokenFloor(sim.calls(), AWS_TOKEN_RATES);
      const report: SimReport = {
        callCounts: sim.callCounts(),
        throttled: sim.throttled(),
        tokenFloorMs: floor.ms,
        tokenFloorBucket: floor.bucket,
      };
      process.send?.({ type: 'report', report } satisfies SimProcessMessage);
    } else if (message.type === 'reset') {
      // Each scan's calls are its own; the token buckets keep their state (refilled by then).
      for (const sim of Object.values(simulators)) sim.resetCalls();
      process.send?.({ type: 'reset-done' } satisfies SimProcessMessage);
    } else if (message.type === 'close') {
      void Promise.all(Object.values(simulators).map((sim) => sim.close())).then(() => process.exit(0));
    }
  });
  const endpoint = (sim: Simulator): SimEndpoint => ({
    endpoint: sim.endpoint,
    credentials: sim.credentials,
  });
  process.send?.({
    type: 'ready',
    simulators: { plain: endpoint(simulators.plain), limited: endpoint(simulators.limited) },
    counts,
  } satisfies SimProcessMessage);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
