/**
 * Finds and reads the config file: `--config FILE`, else `custos.config.json` / `.yaml` /
 * `.yml` in the working folder, else the defaults.
 */
import { existsSync, readFileSync } from 'node:fs';
import { extname, resolve } from 'node:path';
import {
  type ConfigOverrides,
  parseConfigText,
  type ResolvedConfig,
  resolveConfig,
} from '../core/config/load.js';
import { ConfigError } from '../core/errors.js';

const DEFAULT_NAMES = ['custos.config.json', 'custos.config.yaml', 'custos.config.yml'];

export function loadConfig(
  path: string | undefined,
  overrides: ConfigOverrides,
  asOf?: string,
  cwd = process.cwd(),
): ResolvedConfig {
  const file =
    path !== undefined
      ? resolve(cwd, path)
      : DEFAULT_NAMES.map((n) => resolve(cwd, n)).find((p) => existsSync(p));
  if (file === undefined) return resolveConfig({}, 'default config', overrides, asOf);
  const source = path ?? file;
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new ConfigError(source, [{ path: '', message: `cannot be read: ${(error as Error).message}` }], {
      cause: error,
    });
  }
  const format = ['.yaml', '.yml'].includes(extname(file).toLowerCase()) ? 'yaml' : 'json';
  return parseConfigText(text, source, format, overrides, asOf);
}
