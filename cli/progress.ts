/**
 * What a scan shows while it runs: on a terminal, a live line with targets done of total, the
 * account and region being scanned, API calls made and elapsed time; elsewhere (CI logs,
 * pipes) nothing until the final summary, so logs stay clean.
 */
import { createRequire } from 'node:module';
import type { EngineEvent } from '../core/engine/context.js';
import type { CallMetrics } from '../inventory/clients.js';

export interface Progress {
  readonly onEvent: (event: EngineEvent) => void;
  /** Stops the live line; call before printing anything else. */
  stop(): void;
}

const SILENT: Progress = { onEvent: () => {}, stop: () => {} };

const requireFromHere = createRequire(import.meta.url);

export function createProgress(stream: NodeJS.WriteStream, metrics: CallMetrics): Progress {
  if (stream.isTTY !== true) return SILENT;
  // Loaded for a terminal only: CI logs and pipes never show the bar.
  const { SingleBar } = requireFromHere('cli-progress') as typeof import('cli-progress');
  const bar = new SingleBar({
    stream,
    format: ' {bar} {value}/{total} targets | {current} | {calls} API calls | {duration_formatted}',
    barsize: 24,
    hideCursor: true,
    clearOnComplete: true,
    fps: 8,
  });
  let started = false;
  let done = 0;
  let current = 'planning';
  let timer: NodeJS.Timeout | undefined;
  const payload = () => ({ current, calls: metrics.calls });
  return {
    onEvent(event) {
      if (event.type === 'plan-ready') {
        bar.start(event.targets, 0, payload());
        started = true;
        // API calls keep counting between target events.
        timer = setInterval(() => bar.update(done, payload()), 250);
        timer.unref();
      } else if (event.type === 'target-start') {
        current = `${event.target.accountId} ${event.target.region}`;
        if (started) bar.update(done, payload());
      } else if (event.type === 'target-done') {
        done += 1;
        if (started) bar.update(done, payload());
      }
    },
    stop() {
      if (timer !== undefined) clearInterval(timer);
      if (started) bar.stop();
    },
  };
}
