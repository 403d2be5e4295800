#!/usr/bin/env bash
# The gateway demo, non-interactive: builds what is missing, starts the gateway (run.sh) with only the default
# provider, installs the demo bundle from the Gogo shell; the demo installs provider.qos and provider.tcp at run time,
# joins a root and three leaves over loopback, stops the provider under them, prints a summary and stops the gateway.
# Exits 0 when every check of the summary passed.
#   DEMO_TIMEOUT  seconds before the whole run is abandoned (default 120)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
version=0.1.0-SNAPSHOT
jars=("$root/demo/target/demo-$version.jar" "$root/provider.qos/target/provider.qos-$version.jar"
  "$root/provider.tcp/target/provider.tcp-$version.jar")
# Builds when a jar is missing or older than its module's sources (run.sh does the same for the gateway jar).
stale() { # module jar
  [ ! -f "$2" ] && return 0
  [ -n "$(cd "$root" && find "$1" -path '*/target' -prune -o -type f -newer "$2" -print -quit)" ]
}
if [ ! -f "$root/gateway/target/gateway/gateway.jar" ] || stale demo "${jars[0]}" || stale provider.qos "${jars[1]}" \
  || stale provider.tcp "${jars[2]}"; then
  echo "building the gateway and the demo (./mvnw -B -q -pl gateway,demo,provider.qos,provider.tcp -am package -DskipTests) ..." >&2
  (cd "$root" && ./mvnw -B -q -pl gateway,demo,provider.qos,provider.tcp -am package -DskipTests)
fi

# The demo's own conf/: the distribution's, quieter (warnings only, so the demo's lines stay readable), plus the
# demo's configuration with the locations of the provider jars.
work="$(mktemp -d "${TMPDIR:-/tmp}/joinleaf-demo.XXXXXX")"
trap 'rm -rf "$work"' EXIT
cp -r "$root/gateway/target/gateway/conf" "$work/conf"
printf 'ROOT=WARN\n' > "$work/conf/org.osgi.service.log.admin.cfg"
printf 'qosBundle=file:%s\ntcpBundle=file:%s\n' "${jars[1]}" "${jars[2]}" > "$work/conf/org.joinleaf.demo.cfg"

# The Gogo shell reads from a pipe we keep open; the demo bundle is installed once the gateway is ready (every
# joinleaf component up), and the demo stops the gateway when it is done.
mkfifo "$work/shell"
set +e
trap '' PIPE # the gateway may be gone before we write to its shell
(cd "$work" && GATEWAY_CONF="$work/conf" GATEWAY_SHELL=interactive \
  timeout "${DEMO_TIMEOUT:-120}" "$root/gateway/run.sh" < "$work/shell" > >(tee "$work/out.txt")) &
gateway=$!
exec 3> "$work/shell"
for _ in $(seq 1 600); do # bounded: 60 s
  grep -q 'joinleaf gateway ready in' "$work/out.txt" 2>/dev/null && break
  kill -0 "$gateway" 2>/dev/null || break
  sleep 0.1
done
echo "install file:${jars[0]}" >&3
for _ in $(seq 1 300); do # bounded: 30 s
  id="$(sed -n 's/.*Bundle ID: \([0-9]*\).*/\1/p' "$work/out.txt" | head -n 1)"
  [ -n "$id" ] && break
  sleep 0.1
done
echo "start ${id:-demo-bundle-not-installed}" >&3
wait "$gateway"
status=$?
exec 3>&-
set -e
if grep -q 'demo passed in' "$work/out.txt"; then
  exit 0
fi
echo "demo failed (gateway exit status $status)" >&2
exit 1
