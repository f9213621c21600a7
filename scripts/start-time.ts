// Time from spawning a command to the first 200 from GET /health, for `npm start` and the ways around it:
//   npx tsx scripts/start-time.ts [runs]
// Each run starts on a free port with a throwaway database and polls /health every 5 ms.
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';

const RUNS = Number(process.argv[2] ?? 7);

const COMMANDS: Record<string, string[]> = {
  'npm start (node dist/fake-marketo.mjs)': ['npm', 'start', '--silent', '--'],
  'node dist/fake-marketo.mjs': [process.execPath, 'dist/fake-marketo.mjs'],
  'tsx src/main.ts (npm start before)': ['npx', '--no-install', 'tsx', 'src/main.ts'],
};

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

async function once(command: string[]): Promise<number> {
  const port = await freePort();
  const started = performance.now();
  const child = spawn(command[0]!, [...command.slice(1), '--memory', '--port', String(port)], {
    stdio: 'ignore',
    env: { ...process.env, LOG_LEVEL: 'silent' },
    detached: true,
  });
  try {
    for (;;) {
      if (child.exitCode !== null) throw new Error(`${command.join(' ')} exited ${child.exitCode}`);
      if (performance.now() - started > 20_000) throw new Error(`${command.join(' ')}: no answer in 20 s`);
      try {
        const response = await fetch(`http://127.0.0.1:${port}/health`);
        if (response.status === 200) return performance.now() - started;
      } catch {
        // not listening yet
      }
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  } finally {
    // npm and npx start the server as a child: end the whole group this run started.
    if (child.exitCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      process.kill(-child.pid!, 'SIGTERM');
      await exited;
    }
  }
}

for (const [name, command] of Object.entries(COMMANDS)) {
  const times: number[] = [];
  for (let run = 0; run < RUNS; run++) times.push(await once(command));
  times.sort((a, b) => a - b);
  const median = times[Math.floor(times.length / 2)]!;
  process.stdout.write(
    `${name}: median ${median.toFixed(0)} ms, min ${times[0]!.toFixed(0)}, max ${times.at(-1)!.toFixed(0)} (${RUNS} runs)\n`,
  );
}
