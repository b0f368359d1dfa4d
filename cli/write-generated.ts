/** Build step: writes the generated files that ship with custos (config schema, role templates). */
import { mkdirSync, writeFileSync } from 'node:fs';
import { ALL_CHECKS } from '../checks/registry.js';
import { configJsonSchema } from '../core/config/schema.js';
import { DEPLOY_TEMPLATES, roleTemplate } from '../core/deploy-templates.js';

const root = new URL('../../', import.meta.url);

function write(relative: string, text: string): void {
  const target = new URL(relative, root);
  mkdirSync(new URL('.', target), { recursive: true });
  writeFileSync(target, text);
}

write('schema/custos.config.schema.json', `${JSON.stringify(configJsonSchema(), null, 2)}\n`);
for (const { file, role } of DEPLOY_TEMPLATES) write(file, roleTemplate(ALL_CHECKS, role));
