#!/usr/bin/env bash
# Installs the .deb that mvn -B -Ppackage package made, checks that the installed app works, and
# purges it again: the command line, the console under Xvfb (with a screenshot), and the host with
# its demo services, whose role instances are child JVMs started from the installed runtime.
# Run as root on Debian or Ubuntu; needs xvfb and imagemagick. Usage: packaging/smoke-test.sh [DEB]
set -euo pipefail
cd "$(dirname "$0")/.."

deb=${1:-$(ls target/installer/sluice_*.deb 2>/dev/null | head -n 1)}
[ -n "$deb" ] && [ -f "$deb" ] || { echo "no .deb: run mvn -B -Ppackage package first" >&2; exit 2; }
deb=$(realpath "$deb")
out=target/smoke
mkdir -p "$out"
work=$(mktemp -d)
pids=()
installed=false

cleanup() {
    for pid in "${pids[@]}"; do
        kill "$pid" 2>/dev/null || true
    done
    if $installed; then
        apt-get purge -y sluice >/dev/null 2>&1 || true
    fi
    rm -rf "$work"
}
trap cleanup EXIT

fail() {
    echo "FAIL: $*" >&2
    exit 1
}

# Waits up to $2 seconds for the file $1 to hold the pattern $3 at least $4 times.
wait_for() {
    local file=$1 seconds=$2 pattern=$3 times=${4:-1} found
    for _ in $(seq 1 $((seconds * 4))); do
        found=$(grep -c -- "$pattern" "$file" 2>/dev/null) || true
        if [ "${found:-0}" -ge "$times" ]; then
            return 0
        fi
        sleep 0.25
    done
    return 1
}

echo "== install $(basename "$deb") ($(du -h "$deb" | cut -f1))"
apt-get install -y "$deb" > "$work/install.log" 2>&1 || { cat "$work/install.log" >&2; fail "apt-get install"; }
installed=true
[ "$(command -v sluice)" = /usr/bin/sluice ] || fail "sluice is not on the PATH"
[ -x /opt/sluice/lib/runtime/bin/java ] || fail "the bundled runtime has no bin/java"
[ -f /usr/share/applications/sluice.desktop ] || fail "no desktop entry"
echo "installed: $(du -sh /opt/sluice | cut -f1) in /opt/sluice"

# Every JVM of the run (the launcher's and the role instances') keeps its files in $work.
export JAVA_TOOL_OPTIONS="-Duser.home=$work/home"

echo "== sluice --version"
version=$(sluice --version 2>/dev/null)
echo "$version"
[[ $version == "Sluice "* ]] || fail "sluice --version printed '$version'"

echo "== ahead-of-time caches usable as installed"
# AOTMode=on makes the JVM refuse to start when a cache cannot be used, instead of passing it over.
for cache in sluice instance; do
    [[ -f /opt/sluice/lib/app/$cache.aot ]] || fail "no $cache.aot in the app image"
done
JAVA_TOOL_OPTIONS=-XX:AOTMode=on sluice --version >/dev/null 2>&1 || fail "the console's cache is not usable once installed"
classpath=$(sed -n 's|^app.classpath=\$APPDIR|/opt/sluice/lib/app|p' /opt/sluice/lib/app/sluice.cfg | paste -sd:)
/opt/sluice/lib/runtime/bin/java -XX:AOTMode=on -XX:AOTCache=/opt/sluice/lib/app/instance.aot --enable-native-access=ALL-UNNAMED \
    -cp "$classpath" org.sluice.cli.SluiceMain --version >/dev/null 2>&1 || fail "the role instances' cache is not usable once installed"

echo "== sluice chart"
sluice chart 2>/dev/null > "$work/chart.csv"
head -n 1 "$work/chart.csv" | grep -qx 'state,Start,Stop,Restart,Suspend,Resume,Delete,Scale,UpdateConfiguration,Backup' \
    || fail "sluice chart printed no chart header"
echo "$(($(wc -l < "$work/chart.csv") - 1)) states"

echo "== the console under Xvfb"
Xvfb -displayfd 3 -screen 0 1600x1000x24 3>"$work/display" >/dev/null 2>&1 &
pids+=($!)
wait_for "$work/display" 10 . || fail "Xvfb did not start"
display=:$(cat "$work/display")
JAVA_TOOL_OPTIONS="$JAVA_TOOL_OPTIONS -Dsluice.data=$work/console-data" DISPLAY=$display sluice > "$work/console.log" 2>&1 &
console=$!
pids+=($console)
wait_for "$work/console.log" 60 'Front door open' || { cat "$work/console.log" >&2; fail "the console did not open its host"; }
sleep 5
kill -0 "$console" 2>/dev/null || { cat "$work/console.log" >&2; fail "the console exited"; }
DISPLAY=$display import -window root "$out/console.png"
colours=$(identify -format '%k' "$out/console.png")
[ "$colours" -gt 16 ] || fail "the screenshot is blank ($colours colours)"
if grep -qE 'Exception|\bERROR\b' "$work/console.log"; then
    cat "$work/console.log" >&2
    fail "the console printed an exception"
fi
kill -TERM "$console"
wait "$console" 2>/dev/null || true
echo "stayed up; screenshot $out/console.png ($colours colours)"

echo "== sluice host --demo"
sluice host --port 0 --data "$work/host-data" --demo > "$work/host.log" 2>&1 &
host=$!
pids+=($host)
wait_for "$work/host.log" 90 'Create succeeded' 3 || { cat "$work/host.log" >&2; fail "the demo services were not created"; }
grep -E 'ready on port|Create succeeded' "$work/host.log"
kill -TERM "$host"
wait "$host" 2>/dev/null || true
grep -q 'Host stopped.' "$work/host.log" || { cat "$work/host.log" >&2; fail "the host did not stop cleanly"; }
if pgrep -f -- "--work $work/host-data" >/dev/null; then
    fail "role instances were left running"
fi

echo "== purge"
apt-get purge -y sluice > "$work/purge.log" 2>&1 || { cat "$work/purge.log" >&2; fail "apt-get purge"; }
installed=false
[ ! -e /opt/sluice ] || fail "/opt/sluice is still there"
[ ! -e /usr/bin/sluice ] || fail "/usr/bin/sluice is still there"
[ ! -e /usr/share/applications/sluice.desktop ] || fail "the desktop entry is still there"
echo "PASS"
