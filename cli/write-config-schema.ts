/** Build step: writes the config JSON Schema that ships in the package. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { configJsonSchema } from '../core/config/schema.js';

const target = new URL('../../schema/custos.config.schema.json', import.meta.url);
mkdirSync(new URL('.', target), { recursive: true });
writeFileSync(target, `${JSON.stringify(configJsonSchema(), null, 2)}\n`);
