#!/usr/bin/env node
import { existsSync } from 'node:fs';
import { buildApp } from './app.js';
import { CLI_USAGE, ConfigError, loadConfig, parseCommandLine, startedByNpm } from './config.js';
import { SeedError } from './domain/seed.js';
import { closeWithLeastPrivilegeCheck } from './least-privilege.js';
import { terminalLogStream } from './log-format.js';
import type { Service } from './storage/services.js';
import { VERSION } from './version.js';

const SHOWN_SERVICES = 5;
const WILDCARD_HOSTS = new Set(['0.0.0.0', '::', '[::]']);
// How often a server npm started looks for npm having gone (a stopped npm shows as a new parent process).
const PARENT_CHECK_MS = 250;

/**
 * The start-up banner (decision of issue 11): a client secret is printed only for a service this start created (the
 * demo provisioning, or a seed loaded into an empty database), and never one the environment gave
 * (DEMO_CLIENT_SECRET: the caller has it already); for every other service the client id and where to read the secret
 * ("View Details", GET /admin/services/{id}). CI logs keep stdout.
 */
function printBanner(
  baseUrl: string,
  services: Service[],
  total: number,
  createdNow: boolean,
  options: { givenSecret: string | undefined; everyInterface: boolean },
): void {
  const lines = ['', `fake-marketo is listening on ${baseUrl}`, `  Swagger UI:  ${baseUrl}/docs`];
  if (options.everyInterface)
    lines.push("  (on every interface: from elsewhere, use this host's address or mapped port)");
  for (const service of services) {
    lines.push(`  ${service.name}:`, `    client id:     ${service.clientId}`);
    const given = service.clientSecret === options.givenSecret;
    if (createdNow) {
      const query = new URLSearchParams({ grant_type: 'client_credentials', client_id: service.clientId });
      const tokenUrl = `${baseUrl}/identity/oauth/token?${query}`;
      lines.push(
        `    client secret: ${given ? '(as given in DEMO_CLIENT_SECRET)' : service.clientSecret}`,
        '  Get a token:',
        given
          ? `    curl -s "${tokenUrl}&client_secret=$DEMO_CLIENT_SECRET"`
          : `    curl -s '${tokenUrl}&${new URLSearchParams({ client_secret: service.clientSecret })}'`,
      );
    } else {
      lines.push(`    client secret: GET ${baseUrl}/admin/services/${service.id}`);
    }
  }
  if (total > services.length) lines.push(`  … and ${total - services.length} more (GET /admin/services)`);
  process.stdout.write(`${lines.join('\n')}\n\n`);
}

async function main(): Promise<void> {
  // A .env beside the process is read too; variables already exported win over it.
  if (existsSync('.env')) process.loadEnvFile('.env');
  let config;
  try {
    const commandLine = parseCommandLine(process.argv.slice(2));
    if (commandLine.help) {
      process.stdout.write(CLI_USAGE);
      return;
    }
    if (commandLine.version) {
      process.stdout.write(`${VERSION}\n`);
      return;
    }
    config = loadConfig(process.env, commandLine.overrides);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`fake-marketo: ${message}\n\n${error instanceof ConfigError ? '' : CLI_USAGE}`);
    process.exit(1);
  }

  let app;
  try {
    const logStream = terminalLogStream(process.stdout);
    app = await buildApp({ config, provisionDemo: true, ...(logStream ? { logStream } : {}) });
  } catch (error) {
    if (!(error instanceof SeedError)) throw error;
    process.stderr.write(`fake-marketo: ${error.message}\n`);
    process.exit(1);
  }

  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    app.log.info({ signal }, 'shutting down');
    // LEAST_PRIVILEGE_CHECK=fail: integrations holding permissions they never used fail the run.
    const unused = await closeWithLeastPrivilegeCheck(app.ctx, () => app.close());
    if (unused) process.stderr.write(`fake-marketo: ${unused.message}\n`);
    process.exit(unused ? 1 : 0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  // `npm start &` then `kill $!` stops npm, which does not pass the signal on: the server would keep serving and
  // holding its database. Started by npm, the server stops when npm does (its parent changes).
  if (startedByNpm(process.env)) {
    const parent = process.ppid;
    setInterval(() => {
      if (process.ppid !== parent) void shutdown('npm, which started it, exited');
    }, PARENT_CHECK_MS).unref();
  }

  await app.listen({ host: config.HOST, port: config.PORT });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.PORT;
  // An address a user can call: a wildcard bind (0.0.0.0, ::, as a container needs) is reached on loopback here.
  const everyInterface = WILDCARD_HOSTS.has(config.HOST);
  const shown = everyInterface ? '127.0.0.1' : config.HOST;
  const host = shown.includes(':') && !shown.startsWith('[') ? `[${shown}]` : shown;
  const baseUrl = `http://${host}:${port}`;
  // Only the few shown are read: a subscription may hold many thousands of services.
  const { services } = app.ctx.repos;
  printBanner(baseUrl, services.first(SHOWN_SERVICES), services.count(), app.createdSubscription, {
    givenSecret: config.DEMO_CLIENT_SECRET,
    everyInterface,
  });
}

main().catch((error: unknown) => {
  process.stderr.write(`fake-marketo: failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
