#!/bin/sh
# Builds the bench module (and what it needs) and runs one benchmark:
#   ./bench/run.sh multicast|tcp|qos|security|flood|badinput|stall|crash|all
# CSV goes to stdout, progress and warnings to stderr. Limits: -D properties in BENCH_OPTS, for example
#   BENCH_OPTS="-Dbench.messages=50000 -Dbench.receivers=1,10" ./bench/run.sh multicast
set -eu
cd "$(dirname "$0")/.."
./mvnw -B -q -pl bench -am package -DskipTests >&2
exec java -Xms512m -Xmx512m -XX:+UseParallelGC \
    -Djava.util.logging.config.file=bench/target/classes/bench-logging.properties ${BENCH_OPTS:-} \
    -cp "bench/target/classes:bench/target/lib/*" org.joinleaf.bench.Main "$@"
