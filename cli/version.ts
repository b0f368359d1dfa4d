/** custos's own version, from package.json (replaced at bundle time in the Lambda functions). */
import { readFileSync } from 'node:fs';

/** Set by the CLI bundle (scripts/cli-build.mjs), whose chunks do not sit where package.json is found. */
declare const CUSTOS_BUNDLED_VERSION: string | undefined;

export function toolVersion(): string {
  if (typeof CUSTOS_BUNDLED_VERSION === 'string') return CUSTOS_BUNDLED_VERSION;
  try {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
      version?: string;
    };
    return pkg.version ?? '0.0.0';
  } catch {
    return '0.0.0';
  }
}
