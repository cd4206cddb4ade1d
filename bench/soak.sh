#!/usr/bin/env bash
# Soak test (not part of CI): a real Gatehouse and a small MCP upstream in one JVM on this machine's loopback,
# fixed-rate mixed traffic (task tokens, gateway calls, decisions, suspensions) for a fixed time.
# Prints errors (must be 0), p99 per operation for the first and last minute, and heap after GC at start and end.
#
#   bench/soak.sh                       # 10 minutes at 40 operations per second
#   bench/soak.sh --seconds 300 --rate 60
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q -pl gatehouse-server -am test-compile -DskipTests
mvn -B -q -pl gatehouse-server dependency:build-classpath -Dmdep.outputFile=target/soak-classpath.txt -Dmdep.includeScope=test
CP="gatehouse-server/target/test-classes:gatehouse-server/target/classes:$(cat gatehouse-server/target/soak-classpath.txt)"
exec java -Xmx1g -cp "$CP" dev.gatehouse.gateway.SoakDriver "$@"
