/**
 * Loaded with `node --import` into a `custos scan --estate` process by the benchmark: writes
 * the time (ms since the epoch, sub-millisecond) at which the built-in simulator received its
 * first request, i.e. custos's first AWS call, to the file named by CUSTOS_BENCH_PROBE.
 */
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { writeFileSync } from 'node:fs';

const CHANNEL = 'http.server.request.start';
const file = process.env.CUSTOS_BENCH_PROBE;

if (file !== undefined && file !== '') {
  const onFirstRequest = (): void => {
    unsubscribe(CHANNEL, onFirstRequest);
    writeFileSync(file, String(performance.timeOrigin + performance.now()));
  };
  subscribe(CHANNEL, onFirstRequest);
}
