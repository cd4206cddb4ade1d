#!/usr/bin/env bash
# Decisions per second, side by side on one machine in one run: Gatehouse's AuthZEN evaluation API and
# Cerbos (the PDP a team would pick instead), same Todo policy, same question, the same wrk load,
# alternating rounds so both see the same machine. Prints both, and the ratio.
#
#   bench/pdp-vs-cerbos.sh [seconds per round, default 20] [rounds, default 3] [connections, default 16] [warm-up seconds, default 60]
#
# Needs: a JDK and Maven (builds the jar), npm (installs @cerbos/cerbos-linux-x64@0.55.0 into
# target/bench), wrk (apt-get install wrk). Nothing is written outside target/bench.
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_PER_ROUND=${1:-20}
ROUNDS=${2:-3}
CONNECTIONS=${3:-16}
WARMUP=${4:-60}
WORK=target/bench/pdp-vs-cerbos
rm -rf "$WORK" && mkdir -p "$WORK"
WORK=$(cd "$WORK" && pwd)

command -v wrk >/dev/null || { echo "wrk is needed: apt-get install wrk" >&2; exit 1; }
[ -f gatehouse-server/target/gatehouse.jar ] || mvn -q -B -pl gatehouse-server -am package -DskipTests
JAR=$(pwd)/gatehouse-server/target/gatehouse.jar

# --- Cerbos, from npm
(cd "$WORK" && npm install --no-audit --no-fund --silent @cerbos/cerbos-linux-x64@0.55.0 >/dev/null)
CERBOS="$WORK/node_modules/@cerbos/cerbos-linux-x64/cerbos-linux-x64"
mkdir -p "$WORK/cerbos-policies"
# The Todo policy of examples/authzen-todo/policies/todo.cedar, in Cerbos's terms.
cat > "$WORK/cerbos-policies/todo.yaml" <<'YAML'
apiVersion: api.cerbos.dev/v1
resourcePolicy:
  version: default
  resource: todo
  rules:
    - actions: [can_read_todos]
      effect: EFFECT_ALLOW
      roles: [admin, editor, viewer, evil_genius]
    - actions: [can_create_todo]
      effect: EFFECT_ALLOW
      roles: [admin, editor, evil_genius]
    - actions: [can_update_todo, can_delete_todo]
      effect: EFFECT_ALLOW
      roles: [editor]
      condition:
        match:
          expr: request.resource.attr.ownerID == request.principal.attr.email
    - actions: [can_update_todo]
      effect: EFFECT_ALLOW
      roles: [evil_genius]
    - actions: [can_delete_todo]
      effect: EFFECT_ALLOW
      roles: [admin]
YAML
cat > "$WORK/cerbos.yaml" <<YAML
server:
  httpListenAddr: "127.0.0.1:13592"
  grpcListenAddr: "127.0.0.1:13593"
storage:
  driver: disk
  disk:
    directory: $WORK/cerbos-policies
YAML

# --- Gatehouse, on a fresh embedded store
TOKEN=bench-admin-token-0123456789abcdefghij
GATEHOUSE_BOOTSTRAP_TOKEN=$TOKEN ./gatehouse serve --port 18080 --data "$WORK/gatehouse-data" \
    > "$WORK/gatehouse.log" 2>&1 &
GH_PID=$!
"$CERBOS" server --config="$WORK/cerbos.yaml" > "$WORK/cerbos.log" 2>&1 &
CB_PID=$!
trap 'kill $GH_PID $CB_PID 2>/dev/null || true' EXIT
for _ in $(seq 1 120); do
  curl -sf http://127.0.0.1:18080/healthz >/dev/null 2>&1 && curl -sf http://127.0.0.1:13592/_cerbos/health >/dev/null 2>&1 && break
  sleep 0.5
done
export GATEHOUSE_TOKEN=$TOKEN GATEHOUSE_SERVER=http://127.0.0.1:18080
# The Todo policy alone, as Cerbos gets it (--add would keep the starter guardrails beside it; the index skips them).
java -jar "$JAR" policy push examples/authzen-todo/policies --replace -m "benchmark: AuthZEN Todo" >/dev/null
java -jar "$JAR" entities apply -f examples/authzen-todo/entities.json >/dev/null

# The same question to both: may Morty (editor) update his own todo? (allow)
cat > "$WORK/gatehouse.lua" <<LUA
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer $TOKEN"
wrk.body = '{"subject":{"type":"user","id":"CiRmZDE2MTRkMy1jMzlhLTQ3ODEtYjdiZC04Yjk2ZjVhNTEwMGQSBWxvY2Fs"},"action":{"name":"can_update_todo"},"resource":{"type":"todo","id":"t1","properties":{"ownerID":"morty@the-citadel.com"}}}'
LUA
cat > "$WORK/cerbos.lua" <<'LUA'
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"requestId":"bench","principal":{"id":"CiRmZDE2MTRkMy1jMzlhLTQ3ODEtYjdiZC04Yjk2ZjVhNTEwMGQSBWxvY2Fs","roles":["editor"],"attr":{"email":"morty@the-citadel.com"}},"resources":[{"resource":{"kind":"todo","id":"t1","attr":{"ownerID":"morty@the-citadel.com"}},"actions":["can_update_todo"]}]}'
LUA
GH_URL=http://127.0.0.1:18080/access/v1/evaluation
CB_URL=http://127.0.0.1:13592/api/check/resources
# Both must answer "allow" before anything is measured.
curl -sf -X POST "$GH_URL" -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \
    -d "$(sed -n "s/^wrk.body = '\(.*\)'$/\1/p" "$WORK/gatehouse.lua")" | grep -q '"decision":true'
curl -sf -X POST "$CB_URL" -H 'Content-Type: application/json' \
    -d "$(sed -n "s/^wrk.body = '\(.*\)'$/\1/p" "$WORK/cerbos.lua")" | grep -q 'EFFECT_ALLOW'

run() { # name url script → appends "name rps p50 p99" to results
  local out
  out=$(wrk -t2 -c"$CONNECTIONS" -d"${SECONDS_PER_ROUND}s" --latency -s "$3" "$2")
  echo "$out" > "$WORK/$1-$(date +%s).txt"
  local rps p50 p99 errors
  rps=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
  p50=$(echo "$out" | awk '$1=="50%" {print $2}')
  p99=$(echo "$out" | awk '$1=="99%" {print $2}')
  errors=$(echo "$out" | awk '/Non-2xx/ {print $NF}')
  echo "$1 $rps $p50 $p99 ${errors:-0}" >> "$WORK/results"
}
# Warm-up, not counted: a JVM reaches its steady state only once the JIT has compiled the hot path (with 10 s,
# the first counted rounds still ran partly interpreted: 3,000/s against 5,000–6,700/s two rounds later).
wrk -t2 -c"$CONNECTIONS" -d"${WARMUP}s" -s "$WORK/gatehouse.lua" "$GH_URL" >/dev/null
wrk -t2 -c"$CONNECTIONS" -d10s -s "$WORK/cerbos.lua" "$CB_URL" >/dev/null
for round in $(seq 1 "$ROUNDS"); do
  run gatehouse "$GH_URL" "$WORK/gatehouse.lua"
  run cerbos "$CB_URL" "$WORK/cerbos.lua"
done

to_ms() { case "$1" in *us) echo "${1%us}" | awk '{print $1/1000}';; *ms) echo "${1%ms}";; *s) echo "${1%s}" | awk '{print $1*1000}';; esac; }
echo
echo "| PDP | decisions/s (mean of $ROUNDS × ${SECONDS_PER_ROUND}s) | p50 (ms, worst round) | p99 (ms, worst round) | non-2xx |"
echo "|---|---|---|---|---|"
for who in gatehouse cerbos; do
  grep "^$who " "$WORK/results" | while read -r _ rps p50 p99 errors; do echo "$rps $(to_ms "$p50") $(to_ms "$p99") $errors"; done \
    | awk -v who="$who" '{r+=$1; if ($2>p50) p50=$2; if ($3>p99) p99=$3; e+=$4; n++} END {printf "| %s | %.0f | %.2f | %.2f | %d |\n", who, r/n, p50, p99, e}'
done | tee "$WORK/table"
awk -F'|' 'NR==1 {g=$3} NR==2 {c=$3} END {printf "\nGatehouse / Cerbos decisions/s: %.2fx\n", g/c}' "$WORK/table"
echo "raw wrk output: $WORK"
