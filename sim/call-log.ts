/** Every request the simulator received, faulted or not, so tests can count what was fetched. */

export interface SimCall {
  readonly service: string;
  readonly operation: string;
  /** The calling account; empty when the access key was not one the simulator issued. */
  readonly accountId: string;
  readonly region: string;
  readonly params: Readonly<Record<string, unknown>>;
}

export class CallLog {
  #calls: SimCall[] = [];

  record(call: SimCall): void {
    this.#calls.push(call);
  }

  calls(): ReadonlyArray<SimCall> {
    return [...this.#calls];
  }

  /** Calls per `service:Operation`. */
  counts(): Record<string, number> {
    const counts: Record<string, number> = {};
    for (const { service, operation } of this.#calls) {
      const key = `${service}:${operation}`;
      counts[key] = (counts[key] ?? 0) + 1;
    }
    return counts;
  }

  reset(): void {
    this.#calls = [];
  }
}
