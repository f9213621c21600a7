#!/usr/bin/env bash
# The package as a user installs it: `npm pack`, then a plain `npm install` of the tarball into a scratch project
# (no devDependencies of ours; better-sqlite3 compiles from source when no prebuilt binary downloads, about 70 s).
# Checks that the published types compile with skipLibCheck:false from CommonJS and from an ES module, that
# require() and import both start a fake, and that `npx --no-install fake-marketo` runs the bin.
# Not part of `npm test` (it installs from the registry and takes minutes):  bash scripts/check-package.sh
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
TS_VERSION=$(node -p "require('./node_modules/typescript/package.json').version")
SCRATCH=$(mktemp -d "${TMPDIR:-/tmp}/fake-marketo-check-package-XXXXXX")
SERVER_PID=
cleanup() {
  if [ -n "$SERVER_PID" ]; then kill -- "-$SERVER_PID" 2>/dev/null || true; fi
  rm -rf "$SCRATCH"
}
trap cleanup EXIT
step() { printf '\n== %s\n' "$*"; }

step "npm pack (prepare builds dist/)"
TARBALL=$(npm pack --silent --pack-destination "$SCRATCH" | tail -n 1)
tar -tzf "$SCRATCH/$TARBALL" | sed 's/^/  /' | grep -E 'package/(dist/fake-marketo.(mjs|cjs)|dist/src/index\.(js|d\.ts)|\.env\.example|dist/src/families\.js)' || true

step "npm install the tarball into a scratch CommonJS project (with typescript@$TS_VERSION and @types/node@20)"
mkdir "$SCRATCH/consumer"
cd "$SCRATCH/consumer"
npm init -y >/dev/null
start=$(date +%s)
npm install --no-audit --no-fund "$SCRATCH/$TARBALL" "typescript@$TS_VERSION" "@types/node@20" 2>&1 | grep -v '^npm warn EBADENGINE' | tail -n 3
echo "  installed in $(($(date +%s) - start)) s"

step "tsc --noEmit, skipLibCheck:false: CommonJS (import = require) and an ES module (.mts)"
cat >tsconfig.json <<'JSON'
{
  "compilerOptions": {
    "module": "nodenext",
    "target": "esnext",
    "strict": true,
    "verbatimModuleSyntax": true,
    "skipLibCheck": false,
    "types": ["node"],
    "outDir": "out"
  },
  "files": ["cjs.ts", "esm.mts"]
}
JSON
cat >cjs.ts <<'TS'
import fm = require('fake-marketo');
async function main(): Promise<void> {
  const options: fm.BuildAppOptions = { config: fm.testConfig({ RATE_LIMITS: 'marketo' }) };
  const app = await fm.buildApp(options);
  await app.close();
  const fake: fm.FakeMarketo = await fm.startFakeMarketo({ port: 0 });
  const health = await (await fetch(`${fake.url}/health`)).json();
  await fake.close();
  const refused = await fm.startFakeMarketo({ config: { TOKEN_TTL_SECONDS: -1 } }).catch((error: unknown) => error);
  console.log('  require():', JSON.stringify(health), refused instanceof fm.ConfigError ? 'ConfigError' : refused);
}
void main();
TS
cat >esm.mts <<'TS'
import { startFakeMarketo, type StartOptions } from 'fake-marketo';
const options: StartOptions = { seed: { services: [] } };
const fake = await startFakeMarketo(options);
const health = await (await fetch(`${fake.url}/health`)).json();
await fake.close();
console.log('  import:', JSON.stringify(health));
TS
# Not `tsc && echo`: set -e does not stop at a failing command on the left of &&.
npx --no-install tsc -p tsconfig.json
echo "  no errors"

step "run what tsc emitted"
node out/cjs.js
node out/esm.mjs

step "npx --no-install fake-marketo"
npx --no-install fake-marketo --help | head -n 3
# In a process group of its own, so that stopping it stops the server npx started.
setsid npx --no-install fake-marketo --memory --port 0 >server.log 2>&1 &
SERVER_PID=$!
for _ in $(seq 1 100); do
  url=$(sed -n 's/.*fake-marketo is listening on \(http[^ ]*\).*/\1/p' server.log | head -n 1)
  [ -n "$url" ] && break
  sleep 0.1
done
[ -n "$url" ] || { cat server.log; echo "the bin did not start"; exit 1; }
echo "  GET $url/health: $(node -e "fetch('$url/health').then((r) => r.text()).then(console.log)")"

step "all checks passed"
