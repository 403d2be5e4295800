#!/bin/sh
# Issue 14 item 8: joinleaf's TCP fan-out beside raw Netty, JeroMQ and Aeron MDC (../shared/bench-peers), measured
# in ONE run, interleaved per fan-out width so every column of a row group shares the same minutes of a shared
# machine; then sequential joins (joinleaf and raw Netty). Prints one Markdown table on stdout; raw CSV lines go to
# bench/target/compare-raw.csv, progress to stderr.
#
#   ./bench/compare.sh                      # N = 1,10,100,1000, 64 B
#   SIZES=64,1024 LEAVES=1,10,100 DELIVERIES=2000000 ./bench/compare.sh
#
# BENCH_PEERS: the bench-peers checkout (default ../shared/bench-peers); its jar is built with `mvn -q package`
# there (or set BENCH_PEERS_JAR). Peers missing from it are skipped. Aeron MDC is not run at N=1000 (bench-peers'
# README: it fails there on 2 cores). Every receiver of every row checks count and order; a row that did not
# verify shows FAIL. Each cell: delivered msg/s and, in brackets, process CPU ns per delivered message.
set -eu
cd "$(dirname "$0")/.."
PEERS=${BENCH_PEERS:-../shared/bench-peers}
JAR=${BENCH_PEERS_JAR:-$PEERS/target/bench-peers.jar}
LEAVES=${LEAVES:-1,10,100,1000}
SIZES=${SIZES:-64}
DELIVERIES=${DELIVERIES:-2000000}
JOINS=${JOINS:-2000}
RAW=bench/target/compare-raw.csv

if [ "${SKIP_BUILD:-}" != 1 ]; then
  ./mvnw -B -q -o -pl bench -am package -DskipTests >&2
fi
[ -f "$JAR" ] || { echo "no $JAR: build bench-peers first (cd $PEERS && mvn -q package), or set BENCH_PEERS_JAR" >&2; JAR=; }
: > "$RAW"

ours() { # java options...: the project's tcp bench, CSV lines without the header
  java -Xms512m -Xmx512m -XX:+UseParallelGC \
      -Djava.util.logging.config.file=bench/target/classes/bench-logging.properties "$@" \
      -cp "bench/target/classes:bench/target/lib/*" org.joinleaf.bench.Main tcp 2>>bench/target/compare.log | tail -n +2
}
peer() { # peer scenario n size [key=value...]: one bench-peers CSV line (or nothing)
  [ -n "$JAR" ] || return 0
  timeout 300 java -jar "$JAR" "$@" 2>>bench/target/compare.log || true
}

for size in $(echo "$SIZES" | tr , ' '); do
  for n in $(echo "$LEAVES" | tr , ' '); do
    msgs=$((DELIVERIES / n)); [ "$msgs" -ge 2000 ] || msgs=2000
    echo "fan-out N=$n ${size} B, $msgs messages per receiver" >&2
    peer netty fanout "$n" "$size" msgs="$msgs" | sed 's/^/peer,/' >> "$RAW"
    ours -Dbench.tcp.leaves="$n" -Dbench.sizes="$size" -Dbench.messages="$msgs" -Dbench.tcp.deliveries="$DELIVERIES" \
        -Dbench.warmupMessages=20000 -Dbench.sendSeconds=60 -Dbench.tcp.joinSamples=0 -Dbench.tcp.joins=0 \
        -Dbench.tcp.heapLeaves=0 | sed 's/^/ours,/' >> "$RAW"
    peer jeromq fanout "$n" "$size" msgs="$msgs" | sed 's/^/peer,/' >> "$RAW"
    [ "$n" -ge 1000 ] || peer aeron-mdc fanout "$n" "$size" msgs="$msgs" | sed 's/^/peer,/' >> "$RAW"
  done
done
echo "joins: $JOINS sequential" >&2
ours -Dbench.tcp.leaves=0 -Dbench.tcp.heapLeaves=0 -Dbench.tcp.joinSamples="$JOINS" -Dbench.tcp.joinWarmup=500 \
    -Dbench.tcp.joins=20000 -Dbench.sendSeconds=10 | sed 's/^/ours,/' >> "$RAW"
peer netty join "$JOINS" 64 | sed 's/^/peer,/' >> "$RAW"

# One table: a row per system and size, a column per N; then the joins.
awk -F, -v leaves="$LEAVES" '
function cell(rate, cpu, ok) { return ok ? sprintf("%.2f M (%d)", rate / 1e6, cpu) : "FAIL" }
function note(s, key,   m) { return match(s, key "=[0-9.]+") ? substr(s, RSTART + length(key) + 1, RLENGTH - length(key) - 1) : "" }
$1 == "ours" && $3 ~ /^fanout-/ {
  name = $3 == "fanout-joinleaf" ? "joinleaf provider.tcp (./bench/run.sh tcp)" : "in-repo plain-Netty ceiling (same JVM run)"
  row = name SUBSEP $5; rows[row] = 1; order[name] = $3 == "fanout-joinleaf" ? 1 : 2
  notes = $11; for (i = 12; i <= NF; i++) notes = notes "," $i
  v[row, $4] = cell($10, note(notes, "cpu_ns_per_delivery"), notes !~ /FAILED/)
  if ($3 == "fanout-joinleaf") jl[$5, $4] = $10
}
$1 == "peer" && $3 == "fanout" {
  name = $2 == "netty" ? "raw Netty (bench-peers netty)" : $2 == "jeromq" ? "JeroMQ XPUB/SUB (bench-peers)" : "Aeron MDC over UDP (bench-peers)"
  row = name SUBSEP $5; rows[row] = 1; order[name] = $2 == "netty" ? 3 : $2 == "jeromq" ? 4 : 5
  v[row, $4] = cell($9, $12, $20 == "OK")
  if ($2 == "netty") nt[$5, $4] = $9
}
$1 == "ours" && $3 == "join-latency" { jlat = sprintf("p50 %s us, p99 %s us", note($11, "p50_us"), note($11, "p99_us")) }
$1 == "ours" && $3 == "join-rate" { jrate = sprintf("%.0f/s", $10) }
$1 == "peer" && $3 == "join" { nlat = sprintf("p50 %s us, p99 %s us", $13, $14) }
END {
  k = split(leaves, ns, ",")
  head = "| delivered msg/s (CPU ns per delivery) | size"; sep = "|---|---"
  for (i = 1; i <= k; i++) { head = head " | N=" ns[i]; sep = sep "|---" }
  print head " |"; print sep "|"
  for (o = 1; o <= 5; o++) for (row in rows) {
    split(row, p, SUBSEP); if (order[p[1]] != o) continue
    line = "| " p[1] " | " p[2] " B"
    for (i = 1; i <= k; i++) line = line " | " ((row, ns[i]) in v ? v[row, ns[i]] : "-")
    print line " |"
  }
  for (row in rows) {
    split(row, p, SUBSEP); if (order[p[1]] != 1) continue
    line = "| joinleaf / raw Netty | " p[2] " B"
    for (i = 1; i <= k; i++) line = line " | " (((p[2], ns[i]) in nt && nt[p[2], ns[i]] > 0 && (p[2], ns[i]) in jl) ? sprintf("%.2f", jl[p[2], ns[i]] / nt[p[2], ns[i]]) : "-")
    print line " |"
  }
  print ""
  print "| sequential joins on loopback | latency | rate (4 joining threads) |"
  print "|---|---|---|"
  print "| joinleaf provider.tcp | " (jlat == "" ? "-" : jlat) " | " (jrate == "" ? "-" : jrate) " |"
  print "| raw Netty (bench-peers netty join) | " (nlat == "" ? "-" : nlat) " | - |"
}' "$RAW"
