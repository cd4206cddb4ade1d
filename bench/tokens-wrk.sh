#!/usr/bin/env bash
# Token issuance and introspection per second over HTTP, under concurrent load (wrk), on a fresh embedded
# store: what an agent fleet and the resource servers checking its tokens put on one node.
#
#   bench/tokens-wrk.sh [seconds per run, default 20] [connections, default 16]
#
# Needs: a JDK and Maven (builds the jar), wrk (apt-get install wrk), curl. Writes only under target/bench.
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_PER_RUN=${1:-20}
CONNECTIONS=${2:-16}
WORK=target/bench/tokens-wrk
rm -rf "$WORK" && mkdir -p "$WORK"
WORK=$(cd "$WORK" && pwd)
command -v wrk >/dev/null || { echo "wrk is needed: apt-get install wrk" >&2; exit 1; }
[ -f gatehouse-server/target/gatehouse.jar ] || mvn -q -B -pl gatehouse-server -am package -DskipTests
JAR=$(pwd)/gatehouse-server/target/gatehouse.jar

TOKEN=bench-admin-token-0123456789abcdefghij
GATEHOUSE_BOOTSTRAP_TOKEN=$TOKEN ./gatehouse serve --port 18081 --data "$WORK/data" > "$WORK/gatehouse.log" 2>&1 &
GH_PID=$!
trap 'kill $GH_PID 2>/dev/null || true' EXIT
for _ in $(seq 1 120); do curl -sf http://127.0.0.1:18081/healthz >/dev/null 2>&1 && break; sleep 0.5; done
export GATEHOUSE_TOKEN=$TOKEN GATEHOUSE_SERVER=http://127.0.0.1:18081
gh() { java -jar "$JAR" "$@"; }
gh identity add alice --kind human --name Alice --email alice@example.com >/dev/null
gh identity add bench-agent --kind agent --name "Bench agent" --owner alice --purpose benchmark --env dev --tool 'crm/*' --effect read --autonomy autonomous >/dev/null
SECRET=$(gh credential add bench-agent --type client_secret -o json | sed -n 's/.*"secret" *: *"\([^"]*\)".*/\1/p')
[ -n "$SECRET" ] || { echo "no client secret issued" >&2; exit 1; }
BASIC=$(printf '%s:%s' bench-agent "$SECRET" | base64 -w0)
ISSUE_BODY='grant_type=client_credentials&scope=crm%2Flookup%20read&task_intent=benchmark'
ISSUED=$(curl -s -X POST http://127.0.0.1:18081/oauth2/token -H "Authorization: Basic $BASIC" \
    -H 'Content-Type: application/x-www-form-urlencoded' -d "$ISSUE_BODY")
ACCESS=$(echo "$ISSUED" | sed -n 's/.*"access_token" *: *"\([^"]*\)".*/\1/p')
[ -n "$ACCESS" ] || { echo "no task token issued: $ISSUED" >&2; exit 1; }
curl -sf -X POST http://127.0.0.1:18081/oauth2/introspect -H "Authorization: Bearer $TOKEN" \
    -H 'Content-Type: application/x-www-form-urlencoded' -d "token=$ACCESS" | grep -q '"active":true'

cat > "$WORK/issue.lua" <<LUA
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.headers["Authorization"] = "Basic $BASIC"
wrk.body = "$ISSUE_BODY"
LUA
cat > "$WORK/introspect.lua" <<LUA
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.headers["Authorization"] = "Bearer $TOKEN"
wrk.body = "token=$ACCESS"
LUA
report() { # name wrk-output
  local rps p50 p99 errors
  rps=$(echo "$2" | awk '/Requests\/sec/ {print $2}')
  p50=$(echo "$2" | awk '$1=="50%" {print $2}')
  p99=$(echo "$2" | awk '$1=="99%" {print $2}')
  errors=$(echo "$2" | awk '/Non-2xx/ {print $NF}')
  printf '| %s | %s | %s | %s | %s |\n' "$1" "$rps" "$p50" "$p99" "${errors:-0}"
}
wrk -t2 -c"$CONNECTIONS" -d5s -s "$WORK/introspect.lua" http://127.0.0.1:18081/oauth2/introspect >/dev/null
INTROSPECT=$(wrk -t2 -c"$CONNECTIONS" -d"${SECONDS_PER_RUN}s" --latency -s "$WORK/introspect.lua" http://127.0.0.1:18081/oauth2/introspect)
ISSUE=$(wrk -t2 -c"$CONNECTIONS" -d"${SECONDS_PER_RUN}s" --latency -s "$WORK/issue.lua" http://127.0.0.1:18081/oauth2/token)
echo "$INTROSPECT" > "$WORK/introspect.txt"; echo "$ISSUE" > "$WORK/issue.txt"
echo
echo "| operation | requests/s | p50 | p99 | non-2xx |"
echo "|---|---|---|---|---|"
report "introspection (RFC 7662, admin bearer)" "$INTROSPECT"
report "issuance (client_credentials, client_secret_basic)" "$ISSUE"
echo "raw wrk output: $WORK"
