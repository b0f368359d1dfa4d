/**
 * Run ids, on their own: the Lambda handlers name a run before they load the engine.
 */
import { randomBytes } from 'node:crypto';

export function newRunId(now: Date): string {
  const stamp = now
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}Z$/, 'Z');
  return `${stamp}-${randomBytes(3).toString('hex')}`;
}
