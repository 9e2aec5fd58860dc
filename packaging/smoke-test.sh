#!/usr/bin/env bash
# Installs the .deb that mvn -B -Ppackage package made, checks that the installed app works, and
# purges it again: the command line, the console under Xvfb (with a screenshot), and the host with
# its demo services, whose role instances are child JVMs started from the installed runtime; then
# the host's systemd unit, run as its user sluice: through systemd where systemd is running,
# otherwise its command by hand.
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
# The package keeps the service's user and data folder when purged; those this run made go at the end.
if getent passwd sluice >/dev/null || [ -e /var/lib/sluice ]; then
    service_user_before=true
else
    service_user_before=false
fi

cleanup() {
    for pid in "${pids[@]}"; do
        kill "$pid" 2>/dev/null || true
    done
    if $installed; then
        apt-get purge -y sluice >/dev/null 2>&1 || true
    fi
    if ! $service_user_before; then
        userdel sluice 2>/dev/null || true
        rm -rf /var/lib/sluice /tmp/hsperfdata_sluice
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
sluice host --port 0 --manage 127.0.0.1:0 --data "$work/host-data" --demo > "$work/host.log" 2>&1 &
host=$!
pids+=($host)
wait_for "$work/host.log" 90 'Create of [a-z-]* succeeded' 3 || { cat "$work/host.log" >&2; fail "the demo services were not created"; }
grep -E 'ready on port|Create of [a-z-]* succeeded' "$work/host.log"
# The metrics page and the logging backend run on the installed runtime's modules, not only on a full JDK.
manage=$(sed -n 's|.*Management API on \(https://[0-9.:]*\).*|\1|p' "$work/host.log" | head -n 1)
[ -n "$manage" ] || { cat "$work/host.log" >&2; fail "the host printed no management address"; }
key=$(sluice keys show --data "$work/host-data" 2>/dev/null | sed -n 's/^primary key: //p')
curl -sfk -u "owner:$key" "$manage/metrics" > "$work/metrics.txt" || fail "GET $manage/metrics failed"
grep -q '^sluice_instance_memory_ratio{' "$work/metrics.txt" || { head -n 40 "$work/metrics.txt" >&2; fail "the metrics page has no instance memory"; }
echo "metrics: $(grep -c '^sluice_' "$work/metrics.txt") samples from $manage/metrics"
kill -TERM "$host"
wait "$host" 2>/dev/null || true
grep -q 'Host stopped.' "$work/host.log" || { cat "$work/host.log" >&2; fail "the host did not stop cleanly"; }
if pgrep -f -- "--work $work/host-data" >/dev/null; then
    fail "role instances were left running"
fi

echo "== sluice host --log-format json"
# Standard output has the host's own words for a person; the log is on standard error.
sluice host --port 0 --manage off --data "$work/json-data" --log-format json > "$work/json.out" 2> "$work/json.log" &
host=$!
pids+=($host)
wait_for "$work/json.log" 60 '"formattedMessage":"Front door open' || { cat "$work/json.log" >&2; fail "the host wrote no JSON log line"; }
kill -TERM "$host"
wait "$host" 2>/dev/null || true
if grep -v '^WARNING' "$work/json.log" | grep -qv '^{'; then
    cat "$work/json.log" >&2
    fail "the JSON log has a line that is not an object"
fi
echo "every line of the JSON log is an object"

echo "== the host as a service"
unit=/lib/systemd/system/sluice-host.service
[ -f "$unit" ] || fail "no $unit"
getent passwd sluice | grep -q ':/var/lib/sluice:/usr/sbin/nologin$' || fail "no system user sluice at home in /var/lib/sluice"
[ "$(stat -c '%U %a' /var/lib/sluice)" = "sluice 700" ] || fail "/var/lib/sluice is not sluice's alone"
if command -v systemctl >/dev/null; then
    enabled=$(systemctl is-enabled sluice-host.service 2>/dev/null) || true
    [ "$enabled" = disabled ] || fail "sluice-host.service is '$enabled' once installed, not disabled"
fi
# Free ports, so that nothing else on this machine is in the way.
echo 'SLUICE_HOST_OPTS="--port 0 --manage 127.0.0.1:0"' >> /etc/default/sluice-host
if [ -d /run/systemd/system ]; then
    systemctl start sluice-host.service || fail "systemctl start sluice-host"
    invocation=$(systemctl show -p InvocationID --value sluice-host.service)
    journal() { journalctl -q -o cat "_SYSTEMD_INVOCATION_ID=$invocation" > "$work/service.log" 2>&1 || true; }
    for _ in $(seq 1 120); do
        journal
        grep -q 'Management API on' "$work/service.log" && break
        sleep 0.5
    done
    grep -q 'Management API on' "$work/service.log" || { cat "$work/service.log" >&2; fail "the service printed no management address"; }
    env -u JAVA_TOOL_OPTIONS runuser -u sluice -- sluice keys show --data /var/lib/sluice | grep -q '^primary key: ' || fail "sluice keys show as sluice"
    systemctl stop sluice-host.service
    for _ in $(seq 1 20); do
        journal
        grep -q 'Host stopped.' "$work/service.log" && break
        sleep 0.25
    done
    status=$(systemctl show -p ExecMainStatus --value sluice-host.service)
    result=$(systemctl show -p Result --value sluice-host.service)
    [ "$status" = 143 ] && [ "$result" = success ] || { cat "$work/service.log" >&2; fail "the service stopped with $status ($result)"; }
else
    # No systemd running (a container): the unit's command, as its user, with its options file.
    command=$(sed -n 's/^ExecStart=//p' "$unit")
    (
        set -a
        . /etc/default/sluice-host
        cd /
        exec runuser -u sluice -- env -i PATH=/usr/bin:/bin HOME=/var/lib/sluice SLUICE_HOST_OPTS="$SLUICE_HOST_OPTS" \
            sh -c "umask 0077; exec $command"
    ) > "$work/service.log" 2>&1 &
    service=$!
    pids+=($service)
    wait_for "$work/service.log" 60 'Management API on' || { cat "$work/service.log" >&2; fail "the host printed no management address"; }
    env -u JAVA_TOOL_OPTIONS runuser -u sluice -- sluice keys show --data /var/lib/sluice | grep -q '^primary key: ' || fail "sluice keys show as sluice"
    # runuser's child is the host itself (sh execs the launcher, which runs the JVM in-process).
    host=$(pgrep -P "$service") || fail "no host running as sluice"
    kill -TERM "$host"
    status=0
    wait "$service" || status=$?
    [ "$status" = 143 ] || { cat "$work/service.log" >&2; fail "the host stopped with status $status, not 143"; }
fi
grep -q 'Host stopped.' "$work/service.log" || { cat "$work/service.log" >&2; fail "the host did not stop cleanly"; }
grep 'Management API on' "$work/service.log"
[ "$(find /var/lib/sluice -perm /077 | wc -l)" = 0 ] || fail "files in /var/lib/sluice that others may use"
echo "ran as sluice, keys in /var/lib/sluice/keys.json, stopped with 143"

echo "== purge"
apt-get purge -y sluice > "$work/purge.log" 2>&1 || { cat "$work/purge.log" >&2; fail "apt-get purge"; }
installed=false
[ ! -e /opt/sluice ] || fail "/opt/sluice is still there"
[ ! -e /usr/bin/sluice ] || fail "/usr/bin/sluice is still there"
[ ! -e /usr/share/applications/sluice.desktop ] || fail "the desktop entry is still there"
[ ! -e "$unit" ] || fail "$unit is still there"
[ ! -e /etc/default/sluice-host ] || fail "/etc/default/sluice-host is still there"
echo "PASS"
