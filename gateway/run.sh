#!/usr/bin/env bash
# Runs the joinleaf gateway from the source tree, for development: builds the distribution (target/gateway, the
# folder the archive holds) when it is missing or older than the sources, then starts it with its own run.sh
# (dist/run.sh: JVM flags, shell mode, class-data archive; every variable it reads works here too). Unlike the
# distribution, a development run keeps nothing and loads no provider from deploy/ unless asked:
#   GATEWAY_DATA   default temp: a fresh framework per start (set a folder to keep bundles, pins and configuration)
#   GATEWAY_DEPLOY default none: only the default provider (the demo and the tests install the others)
# An operator runs the archive instead (target/joinleaf-gateway-<version>.tar.gz, see dist/README.md).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
dist="$root/gateway/target/gateway"
jar="$dist/gateway.jar"
# Rewritten by every build (the resolver's output); the jar's own time is that of its newest entry, not the build's.
stamp="$root/gateway/target/bndrun/gateway.bndrun"

# What goes into the distribution (add a module here when gateway.bndrun gains its bundle).
sources=(pom.xml bnd.bnd cnf provider.api provider.impl provider.local provider.multicast provider.qos provider.tcp
  gateway/pom.xml gateway/bnd.bnd gateway/gateway.bndrun gateway/src/main gateway/src/assembly gateway/conf gateway/dist)
stale() {
  [ ! -f "$jar" ] || [ ! -f "$stamp" ] || [ ! -f "$dist/run.sh" ] && return 0
  local newer
  newer="$(cd "$root" && find "${sources[@]}" -path '*/target' -prune -o -type f -newer "$stamp" -print -quit)"
  [ -n "$newer" ]
}
if stale; then
  echo "building the gateway (./mvnw -B -q -pl gateway -am package -DskipTests) ..." >&2
  (cd "$root" && ./mvnw -B -q -pl gateway -am package -DskipTests)
fi

GATEWAY_DATA="${GATEWAY_DATA:-temp}" GATEWAY_DEPLOY="${GATEWAY_DEPLOY:-none}" exec bash "$dist/run.sh" "$@"
