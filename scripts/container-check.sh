#!/usr/bin/env bash
# Builds the container image with podman and checks it as a CI pipeline would use it (README, "Run it in CI"):
# healthy on /health, a token from the credentials given by environment, a lead synced and read, the image's
# HEALTHCHECK, the state kept on a volume across a restart, exit code 0 on SIGTERM, and the image's size.
# Not part of `npm test`: it needs root, podman (../shared/containers/setup-podman.sh on our machines) and ~3 minutes.
set -euo pipefail
cd "$(dirname "$0")/.."

IMAGE=${IMAGE:-localhost/fake-marketo:check}
# A port no one holds (a fixed one fails when taken), unless PORT names one.
PORT=${PORT:-$(node -e 'const s=require("node:net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')}
BASE_IMAGE=docker.io/library/node:20-slim
ADMIN_TOKEN=check-admin-token-0123456789
CLIENT_ID=ci-client-id
CLIENT_SECRET=ci-client-secret-0123456789
VOLUME=fake-marketo-check-$$
URL=http://127.0.0.1:$PORT
CID=

step() { printf '\n== %s\n' "$*"; }
fail() { printf 'FAILED: %s\n' "$*" >&2; [ -n "$CID" ] && podman logs "$CID" >&2 || true; exit 1; }
cleanup() {
  [ -n "$CID" ] && podman rm -f "$CID" >/dev/null 2>&1 || true
  podman volume rm -f "$VOLUME" >/dev/null 2>&1 || true
}
trap cleanup EXIT

# Milliseconds until /health answers 200 (at most 20 s).
wait_healthy() {
  local started=$1
  for _ in $(seq 1 400); do
    if curl -fsS -o /dev/null "$URL/health" 2>/dev/null; then
      echo $(( $(date +%s%3N) - started ))
      return 0
    fi
    sleep 0.05
  done
  return 1
}

start_container() {
  local started
  started=$(date +%s%3N)
  CID=$(podman run -d -p "127.0.0.1:$PORT:3000" -v "$VOLUME:/data" \
    -e ADMIN_TOKEN="$ADMIN_TOKEN" -e DATABASE_PATH=/data/fake-marketo.sqlite \
    -e DEMO_CLIENT_ID="$CLIENT_ID" -e DEMO_CLIENT_SECRET="$CLIENT_SECRET" "$IMAGE")
  local ms
  ms=$(wait_healthy "$started") || fail "/health did not answer"
  echo "healthy ${ms} ms after podman run"
}

token() {
  curl -fsS "$URL/identity/oauth/token?grant_type=client_credentials&client_id=$CLIENT_ID&client_secret=$CLIENT_SECRET" |
    node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>process.stdout.write(JSON.parse(s).access_token))'
}

step "build $IMAGE"
started=$(date +%s)
podman build --pull=never --format docker -t "$IMAGE" . >/tmp/fake-marketo-container-build.log 2>&1 ||
  { tail -30 /tmp/fake-marketo-container-build.log; fail "build"; }
echo "built in $(( $(date +%s) - started )) s"

step "image size"
size=$(podman image inspect "$IMAGE" --format '{{.Size}}')
base=$(podman image inspect "$BASE_IMAGE" --format '{{.Size}}')
echo "image $(( size / 1000000 )) MB, $BASE_IMAGE $(( base / 1000000 )) MB: +$(( (size - base) / 1000000 )) MB"
[ $(( size - base )) -le 80000000 ] || fail "the image is more than 80 MB over $BASE_IMAGE"
[ "$(podman image inspect "$IMAGE" --format '{{.Config.User}}')" = node ] || fail "the image does not run as node"

step "run on a volume, with the demo credentials from the environment"
podman volume create "$VOLUME" >/dev/null
start_container
podman logs "$CID" 2>&1 | grep -q "$CLIENT_SECRET" && fail "the banner printed a secret it was given"
podman logs "$CID" 2>&1 | grep -q '0\.0\.0\.0' && fail "the banner printed 0.0.0.0"
curl -fsS "$URL/health"; echo

step "token, sync a lead, read it"
TOKEN=$(token)
[ -n "$TOKEN" ] || fail "no token"
curl -fsS -X POST "$URL/rest/v1/leads.json" -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \
  -d '{"input":[{"email":"container@example.com","firstName":"Kept"}]}'; echo
found=$(curl -fsS "$URL/rest/v1/leads.json?filterType=email&filterValues=container@example.com" \
  -H "Authorization: Bearer $TOKEN")
echo "$found"
echo "$found" | grep -q '"firstName":"Kept"' || fail "the lead was not read back"

step "the image's HEALTHCHECK"
podman healthcheck run "$CID" >/dev/null 2>&1 || fail "podman healthcheck run said unhealthy"
echo "healthy"

step "the admin plane is guarded"
status=$(curl -s -o /dev/null -w '%{http_code}' "$URL/admin/services")
[ "$status" = 401 ] || fail "GET /admin/services without the admin token answered $status"
echo "401 without the admin token"

step "restart on the same volume: the lead is still there"
podman stop -t 10 "$CID" >/dev/null
code=$(podman inspect "$CID" --format '{{.State.ExitCode}}')
[ "$code" = 0 ] || fail "exit code $code on SIGTERM"
echo "stopped with exit code 0"
podman rm "$CID" >/dev/null
CID=
start_container
TOKEN=$(token)
curl -fsS "$URL/rest/v1/leads.json?filterType=email&filterValues=container@example.com" \
  -H "Authorization: Bearer $TOKEN" | grep -q '"firstName":"Kept"' || fail "the lead did not survive the restart"
echo "lead found after the restart"

step "stop"
podman stop -t 10 "$CID" >/dev/null
code=$(podman inspect "$CID" --format '{{.State.ExitCode}}')
[ "$code" = 0 ] || fail "exit code $code on SIGTERM"
echo "exit code 0"

printf '\ncontainer check: all passed\n'
