/**
 * A local serverless plugin: bundles every function (scripts/cloud-build.mjs) before osls packages
 * them, so `osls package` and `osls deploy` always ship the code and the config as they are now.
 */
const { join } = require('node:path');
const { pathToFileURL } = require('node:url');

class CustosBundle {
  constructor(serverless, _options, { log }) {
    this.serverless = serverless;
    this.log = log;
    this.hooks = {
      'before:package:createDeploymentArtifacts': () => this.bundle(),
      'before:deploy:function:packageFunction': () => this.bundle(),
    };
  }

  async bundle() {
    const { bundleFunctions } = await import(pathToFileURL(join(__dirname, 'cloud-build.mjs')).href);
    const { config, buildDir } = this.serverless.service.custom.custos;
    await bundleFunctions({
      root: this.serverless.serviceDir,
      configPath: config,
      buildDir,
      log: (line) => this.log.notice(line),
    });
  }
}

module.exports = CustosBundle;
