/**
 * Decides which calls fail with a fault listed in the estate. An intermittent fault (rate
 * below 1) draws from a generator seeded by the run's seed and by the call itself (caller,
 * region, operation, parameters and how many times that same call was made), so a run
 * repeats exactly even when its calls arrive in a different order.
 */
import type { Estate, EstateFault, FaultCode } from './estate.js';
import { stableJson } from './stable-json.js';

export interface FaultedCall {
  readonly accountId: string;
  readonly service: string;
  readonly region: string;
  readonly operation: string;
  readonly params: Readonly<Record<string, unknown>>;
}

/** Used when neither the options nor the estate give a seed. */
export const DEFAULT_SEED = 20_240_101;

export class FaultInjector {
  readonly #estate: Estate;
  readonly #seed: number;
  readonly #occurrences = new Map<string, number>();

  constructor(estate: Estate, seed: number) {
    this.#estate = estate;
    this.#seed = seed;
  }

  /** The error this call fails with, or undefined when it goes through. */
  pick(call: FaultedCall): FaultCode | undefined {
    const faults = this.#estate.accounts[call.accountId]?.faults ?? [];
    if (faults.length === 0) return undefined;
    const key = `${call.accountId}|${call.region}|${call.service}:${call.operation}|${stableJson(call.params)}`;
    const occurrence = (this.#occurrences.get(key) ?? 0) + 1;
    this.#occurrences.set(key, occurrence);
    for (const [index, fault] of faults.entries()) {
      if (!applies(fault, call)) continue;
      if (fault.rate >= 1) return fault.error;
      if (fault.rate <= 0) continue;
      const draw = mulberry32(hash32(`${this.#seed}|${index}|${key}|${occurrence}`))();
      if (draw < fault.rate) return fault.error;
    }
    return undefined;
  }
}

function applies(fault: EstateFault, call: FaultedCall): boolean {
  return (
    fault.service === call.service &&
    (fault.region === undefined || fault.region === call.region) &&
    (fault.operation === undefined || fault.operation === call.operation)
  );
}

/** A small, well-mixed 32-bit generator: enough for fault rates, and the same everywhere. */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** FNV-1a over the UTF-16 code units. */
function hash32(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}
