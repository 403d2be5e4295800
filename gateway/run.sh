#!/usr/bin/env bash
# Runs the joinleaf gateway: builds the distribution first when it is missing or older than the sources, then starts
# the executable jar with the JVM flags the README recommends. Arguments after the script go to the launcher.
#   JAVA_OPTS     replaces the recommended JVM flags
#   GATEWAY_CONF  the folder FileInstall watches (default: conf/ next to the jar)
#   GATEWAY_SHELL interactive: the Gogo shell reads commands from stdin, even a pipe; quiet: it reads nothing.
#                 Default: interactive when stdin is a terminal, else quiet (a service). The end of stdin never
#                 stops the gateway; `stop 0` in the shell, SIGTERM or Ctrl-C stop it cleanly.
#   GATEWAY_CDS   off: no class-data archive. Default on: the first start after a build makes one training boot
#                 (about 3 s) that writes gateway.jsa next to the jar; later starts map it (boot ~0.3 s faster).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
dist="$root/gateway/target/gateway"
jar="$dist/gateway.jar"
# Rewritten by every build (the resolver's output); the jar's own time is that of its newest entry, not the build's.
stamp="$root/gateway/target/bndrun/gateway.bndrun"

# What goes into the distribution (add a module here when gateway.bndrun gains its bundle).
sources=(pom.xml bnd.bnd cnf provider.api provider.impl
  gateway/pom.xml gateway/bnd.bnd gateway/gateway.bndrun gateway/src/main gateway/conf)
stale() {
  [ ! -f "$jar" ] || [ ! -f "$stamp" ] && return 0
  local newer
  newer="$(cd "$root" && find "${sources[@]}" -path '*/target' -prune -o -type f -newer "$stamp" -print -quit)"
  [ -n "$newer" ]
}
if stale; then
  echo "building the gateway (./mvnw -B -q -pl gateway -am package -DskipTests) ..." >&2
  (cd "$root" && ./mvnw -B -q -pl gateway -am package -DskipTests)
fi

# Measured with these flags (README): idle RSS about 63 MB on JDK 17 (69 MB on JDK 25); boot to ready 0.91-1.17 s
# on a 2-core machine at load average 2.
default_opts="-Xmx32m -Xms8m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xss256k -XX:ReservedCodeCacheSize=16m
 -XX:MaxMetaspaceSize=48m -XX:MaxDirectMemorySize=32m"
read -r -a opts <<< "$(echo ${JAVA_OPTS:-$default_opts})"

# JDK 24+ warns about Netty's and Felix's sun.misc.Unsafe use unless it is allowed explicitly.
java_major="$(java -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p')"
if [ "${java_major%%.*}" -ge 24 ] 2>/dev/null; then
  opts+=(--sun-misc-unsafe-memory-access=allow)
fi

shell="${GATEWAY_SHELL:-$([ -t 0 ] && echo interactive || echo quiet)}"
case "$shell" in
  interactive) ;;
  quiet) opts+=("-Dgosh.args=--nointeractive --noshutdown") ;;
  *) echo "GATEWAY_SHELL must be interactive or quiet, not '$shell'" >&2; exit 2 ;;
esac

conf="${GATEWAY_CONF:-$dist/conf}"

# Application class-data sharing: the JDK maps the classes a boot loaded (JDK, launcher, Felix) from an archive
# instead of parsing and verifying them again. Bundle classes come from Felix's own loaders and are not archived.
# The archive is made by a training boot that stops once ready; it is rebuilt whenever the jar is newer.
cds="$dist/gateway.jsa"
if [ "${GATEWAY_CDS:-on}" != off ]; then
  if [ ! -f "$cds" ] || [ "$jar" -nt "$cds" ]; then
    echo "making the class-data archive $cds (one training boot) ..." >&2
    training="$(mktemp -d)"
    java "${opts[@]}" -XX:ArchiveClassesAtExit="$training/gateway.jsa" -Dfelix.fileinstall.dir="$conf" \
      "-Dgosh.args=--nointeractive --noshutdown" -jar "$jar" </dev/null >"$training/boot.log" 2>&1 &
    boot=$!
    for _ in $(seq 300); do grep -q "ready in" "$training/boot.log" && break; kill -0 "$boot" 2>/dev/null || break; sleep 0.1; done
    kill -TERM "$boot" 2>/dev/null || true
    wait "$boot" || true
    # a rename, so two starts at once never map a half-written archive
    if [ -s "$training/gateway.jsa" ]; then mv -f "$training/gateway.jsa" "$cds"; else echo "no class-data archive made; starting without" >&2; fi
    rm -rf "$training"
  fi
  [ -f "$cds" ] && opts+=(-XX:SharedArchiveFile="$cds" -Xshare:auto)
fi

exec java "${opts[@]}" -Dfelix.fileinstall.dir="$conf" -jar "$jar" "$@"
