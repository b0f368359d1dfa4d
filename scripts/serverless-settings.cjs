/**
 * serverless.yml's `${file(./scripts/serverless-settings.cjs)}`: the deploy settings of the config
 * file named by `custom.custos.config`, checked with custos's own loader at package time. A bad
 * config fails the package with its field path. Reads no AWS credentials.
 */
const { join } = require('node:path');
const { pathToFileURL } = require('node:url');

module.exports = async ({ resolveConfigurationProperty }) => {
  const configPath = await resolveConfigurationProperty(['custom', 'custos', 'config']);
  const buildDir = await resolveConfigurationProperty(['custom', 'custos', 'buildDir']);
  const { loadDeploySettings } = await import(pathToFileURL(join(__dirname, 'cloud-build.mjs')).href);
  const root = join(__dirname, '..');
  const { document: _document, ...settings } = await loadDeploySettings({ root, configPath, buildDir });
  return settings;
};
