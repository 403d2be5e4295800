#!/usr/bin/env bash
# Starts the joinleaf gateway of this distribution (the folder holding this script) with the JVM flags the README
# recommends. Arguments go to the launcher. Every variable below is optional.
#   GATEWAY_CONF   the folder of .cfg files FileInstall applies (default: conf/ here). Read, never written.
#   GATEWAY_DEPLOY the folder of bundles FileInstall installs, starts, updates and uninstalls as their .jar files come,
#                  change and go (default: deploy/ here); none: no such folder.
#   GATEWAY_DATA   what survives a restart (default: data/ here): the framework storage data/felix-cache (bundles
#                  installed from the shell, their start state, Config Admin's configurations, pins included) and
#                  the class-data archive. temp: a fresh framework storage per process, deleted at exit.
#   GATEWAY_SHELL  interactive: the Gogo shell reads commands from stdin, even a pipe; quiet: it reads nothing.
#                  Default: interactive when stdin is a terminal, else quiet (a service). The end of stdin never
#                  stops the gateway; `stop 0` in the shell, SIGTERM or Ctrl-C stop it cleanly.
#   GATEWAY_CDS    off: no class-data archive. Default on: the first start after an upgrade makes one training boot
#                  (about 3 s) that writes gateway.jsa; later starts map it (boot ~0.3 s faster).
#   GATEWAY_SECRETS the folder $[secret:NAME] settings read (default: systemd's CREDENTIALS_DIRECTORY, else secrets/
#                  here); $[env:NAME] reads the environment (README: Management).
#   JAVA_OPTS      replaces the recommended JVM flags
#   JAVA_EXTRA_OPTS added to them, e.g. remote JMX with authentication (README: Management)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
jar="$here/gateway.jar"
conf="${GATEWAY_CONF:-$here/conf}"
deploy="${GATEWAY_DEPLOY:-$here/deploy}"
data="${GATEWAY_DATA:-$here/data}"

# Measured with these flags (README): idle RSS about 63 MB on JDK 17 (69 MB on JDK 25); boot to ready 0.91-1.17 s
# on a 2-core machine at load average 2.
default_opts="-Xmx32m -Xms8m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xss256k -XX:ReservedCodeCacheSize=16m
 -XX:MaxMetaspaceSize=48m -XX:MaxDirectMemorySize=32m"
read -r -a opts <<< "$(echo ${JAVA_OPTS:-$default_opts} ${JAVA_EXTRA_OPTS:-})"
opts+=("-Djoinleaf.secrets.dir=${GATEWAY_SECRETS:-${CREDENTIALS_DIRECTORY:-$here/secrets}}")

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

# FileInstall watches both folders with one filter: conf/ is meant for .cfg files, deploy/ for .jar files.
watched="$conf"
if [ "$deploy" != none ]; then
  mkdir -p "$deploy"
  watched="$conf,$deploy"
fi

# Kept framework storage: the bnd launcher neither deletes nor cleans it (launch.keep), and reinstalls a bundle of
# gateway.jar only when the jar brings a different one. Bundles installed at run time stay installed, with their
# start state and data files (Config Admin's store among them). One gateway per data folder: the lock (util-linux
# flock, where installed) is held by the JVM (descriptor 9 is inherited by exec) until it exits.
storage=()
if [ "$data" = temp ]; then
  state="$here"
else
  mkdir -p "$data"
  state="$data"
  exec 9>"$data/.lock"
  if command -v flock >/dev/null && ! flock -n 9; then
    echo "another gateway is running on $data (GATEWAY_DATA); one gateway per data folder" >&2
    exit 1
  fi
  storage=(-Dlaunch.keep=true "-Dlaunch.storage.dir=$data/felix-cache")
fi

# Application class-data sharing: the JDK maps the classes a boot loaded (JDK, launcher, Felix) from an archive
# instead of parsing and verifying them again. Bundle classes come from Felix's own loaders and are not archived.
# The archive is made by a training boot (fresh temporary storage, conf/ only) that stops once ready; it is rebuilt
# whenever the jar is newer. It lives with the data, the one place a hardened service may write.
cds="$state/gateway.jsa"
if [ "${GATEWAY_CDS:-on}" != off ]; then
  if [ ! -f "$cds" ] || [ "$jar" -nt "$cds" ]; then
    echo "making the class-data archive $cds (one training boot) ..." >&2
    training="$(mktemp -d)"
    java "${opts[@]}" -XX:ArchiveClassesAtExit="$training/gateway.jsa" -Dfelix.fileinstall.dir="$conf" \
      "-Dgosh.args=--nointeractive --noshutdown" -jar "$jar" </dev/null >"$training/boot.log" 2>&1 9>&- &
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

exec java "${opts[@]}" ${storage[@]+"${storage[@]}"} "-Dfelix.fileinstall.dir=$watched" -jar "$jar" "$@"
