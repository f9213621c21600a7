#!/usr/bin/env node
import { buildApp } from './app.js';
import { CLI_USAGE, ConfigError, loadConfig, parseCommandLine } from './config.js';
import { DEMO_SERVICE_NAME, provisionDemo } from './domain/provisioning.js';

function printCredentials(baseUrl: string, clientId: string, clientSecret: string): void {
  const tokenUrl = `${baseUrl}/identity/oauth/token?grant_type=client_credentials&client_id=${clientId}&client_secret=${clientSecret}`;
  process.stdout.write(
    [
      '',
      `fake-marketo is listening on ${baseUrl}`,
      `  Swagger UI:  ${baseUrl}/docs`,
      `  ${DEMO_SERVICE_NAME}:`,
      `    client id:     ${clientId}`,
      `    client secret: ${clientSecret}`,
      '  Get a token:',
      `    curl -s '${tokenUrl}'`,
      '',
    ].join('\n') + '\n',
  );
}

async function main(): Promise<void> {
  let config;
  try {
    const commandLine = parseCommandLine(process.argv.slice(2));
    if (commandLine.help) {
      process.stdout.write(CLI_USAGE);
      return;
    }
    config = loadConfig(process.env, commandLine.overrides);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`fake-marketo: ${message}\n\n${error instanceof ConfigError ? '' : CLI_USAGE}`);
    process.exit(1);
  }

  const app = await buildApp({ config });
  provisionDemo(app.ctx);
  const demo = app.ctx.repos.services.list().find((service) => service.name === DEMO_SERVICE_NAME);

  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    app.log.info({ signal }, 'shutting down');
    await app.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));

  await app.listen({ host: config.HOST, port: config.PORT });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.PORT;
  const host = config.HOST.includes(':') && !config.HOST.startsWith('[') ? `[${config.HOST}]` : config.HOST;
  const baseUrl = `http://${host}:${port}`;
  if (demo) {
    const details = app.ctx.repos.services.get(demo.id);
    printCredentials(baseUrl, details.clientId, details.clientSecret);
  } else {
    process.stdout.write(`\nfake-marketo is listening on ${baseUrl} (Swagger UI: ${baseUrl}/docs)\n`);
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`fake-marketo: failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
