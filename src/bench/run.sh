#!/usr/bin/env bash
# Runs Sluice's benchmarks (docs/perf.md says what each measures and how to read it).
#
#   src/bench/run.sh [startup|live|flap|footprint|runtime|door|forward|aot|stalled|supervision|manage|metrics|listener|traffic|simulate|all]   (default: all; aot, listener and simulate are not in all)
#
# Builds with the bench profile, then runs everything under Xvfb with software rendering.
# Results go to target/bench-out/ (one log per benchmark); the lines that matter start with RESULT.
# Environment: ROUNDS (startup rounds, 10), LIVE_S (dashboard window, 60), FLASH_S (window with crossings, 120), GRID_S (grid window, 60),
# FLAP_S (window with a flapping instance, 60), FLAP_WARMUP_S (flap's warm-up before its dashboard window, 65),
# FLAP_NOTIFICATIONS (false: flap with the throttle notification off),
# DISPLAY_NO (60), SKIP_BUILD=1 to reuse target/, CONSOLE_JVM (the console's JVM options in startup, live, footprint, flap
# and traffic; by default the dev launcher's, -Xmx384m, see docs/decisions/0029-console-heap-ceiling.md; CONSOLE_JVM= for the
# JVM's own sizing), OUTBOX_TMPFS=1 (the bench service of forward, metrics and manage delivers into a fresh folder under
# /dev/shm instead of the data folder, so that the disk's own pace is left out), REFERENCE=nginx|haproxy (forward: a third
# run in each pair through that proxy in front of the same instances; REFERENCE_WORKERS its workers), HOST_JVM (more JVM options for the
# `sluice host` of forward, stalled, manage, listener and metrics, e.g. a flight recording or
# HOST_JVM=-Dsluice.door.transport=nio; the host always gets --enable-native-access as its launchers give it).
# The role instances are the host's child processes and inherit its environment: JDK_JAVA_OPTIONS reaches their JVMs
# (and the host's), e.g. JDK_JAVA_OPTIONS=-Dsome.property=value to try an option in the instances.
set -euo pipefail
cd "$(dirname "$0")/../.."
what="${1:-all}"
out=target/bench-out
mkdir -p "$out"

if [[ "${SKIP_BUILD:-0}" != 1 ]]; then
  mvn -B -q -Pbench -DskipTests package
fi
# A copy of the class path, so that a rebuild during a run cannot change what the runs load.
cp_dir=$(mktemp -d /tmp/sluice-bench-cp.XXXXXX)
cp -r target/classes target/libs "$cp_dir"/
cp="$cp_dir/classes:$cp_dir/libs/*"

# What the run leaves in memory-backed folders goes with it.
shm_dirs=()
xvfb_pid=
cleanup() {
  [[ -n $xvfb_pid ]] && kill "$xvfb_pid" 2>/dev/null
  (( ${#shm_dirs[@]} )) && rm -rf "${shm_dirs[@]}"
  rm -rf "$cp_dir"
  return 0
}
trap cleanup EXIT

display="${DISPLAY_NO:-60}"
if ! xdpyinfo -display ":$display" >/dev/null 2>&1 && ! [[ -e /tmp/.X11-unix/X$display ]]; then
  Xvfb ":$display" -screen 0 1600x1000x24 >/dev/null 2>&1 &
  xvfb_pid=$!
  sleep 1
fi
export DISPLAY=":$display"
# shellcheck disable=SC2206
console_jvm=(${CONSOLE_JVM--Xmx384m})
fx=(-Dprism.order=sw -Djavafx.pulseLogger=true -Djavafx.pulseLogger.threshold=0 -Duser.language=en -Duser.country=US)

machine() {
  echo "date: $(date -u +%FT%TZ)  nproc: $(nproc)  load: $(cut -d' ' -f1-3 /proc/loadavg)"
  java -version 2>&1 | head -1
}

startup() {
  local data; data=$(mktemp -d /tmp/sluice-bench-data.XXXXXX)
  { machine; java -cp "$cp" -Dbench.consoleJvm="${console_jvm[*]}" org.sluice.bench.StartupBench "${ROUNDS:-10}" "$data"; } 2>&1 | tee "$out/startup.log" | grep -E 'RESULT|^date|first run'
}

# The pulse logger is off for the window with crossings: with the notification popups it showed,
# JavaFX 21's PrintLogger.renderEnd failed (NullPointerException on the render thread) and the
# JavaFX thread then waited for that render for ever. The flash latency does not need it, and pulse
# times come in every window from the flight recorder's javafx.PulsePhase events as well
# ("RESULT jfr pulse" lines, see PulsePhaseRecorder).
live() {
  local services="$1" dashboard_s="$2" flash_s="$3" grid_s="$4" tag="$5"
  local prefs; prefs=$(mktemp -d /tmp/sluice-bench-prefs.XXXXXX)
  local flags=("${fx[@]}")
  if [[ "$flash_s" != 0 ]]; then flags=(-Dprism.order=sw -Duser.language=en -Duser.country=US); fi
  machine > "$out/$tag.log"
  java -cp "$cp" "${console_jvm[@]}" "${flags[@]}" -Djava.util.prefs.userRoot="$prefs" org.sluice.console.LiveLoadBench \
    "$services" 100 200 1000 20 "$dashboard_s" "$flash_s" "$grid_s" >> "$out/$tag.log" 2> "$out/$tag.pulses.log"
  java -cp "$cp" org.sluice.bench.PulseLogStats "$out/$tag.pulses.log" >> "$out/$tag.log"
  grep -E 'RESULT|^date' "$out/$tag.log"
}

# The senders run on CPU 0 and the instance on CPU 1 (BusyAnswerBench pins it with taskset), so
# that the load does not take the instance's processor. PAIRS rounds of the in-process pairs (8),
# HTTP_PAIRS rounds over HTTP (6), BUSY_S seconds counted in the busy run (20).
runtime() {
  for t in 1 2; do
    { machine; java -cp "$cp" org.openjdk.jmh.Main 'ThrottleCheckBenchmark.throttleCheckAlone$' -p validation=NONE \
        -f 1 -wi 3 -w 1 -i 4 -r 1 -t "$t"; } 2>&1 | tee "$out/runtime-check-$t.log" | grep -E '^ThrottleCheck|^date'
  done
  { machine; java -cp "$cp" org.sluice.runtime.instance.ThrottleCheckPairs "${PAIRS:-8}"; machine; } 2>&1 | tee "$out/runtime-pairs.log" | grep -E 'RESULT|^date'
  { machine; taskset -c 0 java -cp "$cp" org.sluice.runtime.instance.HttpThroughputPairs "${HTTP_PAIRS:-6}" 10 16; machine; } 2>&1 | tee "$out/runtime-http.log" | grep -E 'RESULT|^date'
  { machine; taskset -c 0 java -cp "$cp" org.sluice.runtime.instance.BusyAnswerBench wiring=instance seconds="${BUSY_S:-20}"; machine; } 2>&1 | tee "$out/runtime-busy.log" | grep -E 'RESULT|^date'
}

# One message at a time through the host's front door to a demo service (the audit service's one
# instance), as a script posting messages in turn would: DOOR_S seconds at 20 a second.
door() {
  local data; data=$(mktemp -d /tmp/sluice-bench-door.XXXXXX)
  java -cp "$cp" org.sluice.cli.SluiceMain host --port 0 --data "$data" --demo > "$data/host.out" 2> "$data/host.err" &
  local host=$!
  for _ in $(seq 1 240); do
    if grep -q 'audit: Create succeeded' "$data/host.out" 2>/dev/null; then break; fi
    sleep 0.5
  done
  local url; url=$(grep -o 'http://127.0.0.1:[0-9]*/services/' "$data/host.out" | head -1)
  { machine; java -cp "$cp" org.sluice.cli.SluiceMain load --url "${url}audit/messages" --rate 20 --concurrency 1 \
      --size 1024 --duration "${DOOR_S:-10}"; } 2>&1 | tee "$out/door.log"
  kill "$host"; wait "$host" || true
}

# Starts `sluice host` on DATA with one service "bench" of UNITS units (JSON into a dir: outbox) and
# waits until it is created; sets host_pid. Usage: bench_host DATA UNITS
bench_host() {
  local data=$1 units=$2
  if [[ "${OUTBOX_TMPFS:-0}" == 1 ]]; then
    local shm; shm=$(mktemp -d /dev/shm/sluice-bench-outbox.XXXXXX)
    shm_dirs+=("$shm")
    ln -s "$shm" "$data/outbox"
  fi
  printf '{"services":[{"name":"bench","units":%s,"validate":"json","destination":"dir:%s/outbox"}]}' "$units" "$data" > "$data/defs.json"
  # shellcheck disable=SC2206
  local host_jvm=(--enable-native-access=ALL-UNNAMED ${HOST_JVM:-})
  java "${host_jvm[@]}" -cp "$cp" org.sluice.cli.SluiceMain host --port 0 --manage 0 --data "$data/host" --define "$data/defs.json" > "$data/host.out" 2> "$data/host.err" &
  host_pid=$!
  for _ in $(seq 1 240); do
    if grep -q 'bench: Create succeeded' "$data/host.out" 2>/dev/null; then break; fi
    sleep 0.5
  done
}

# Deletes what the bench service delivered so far: a folder of hundreds of thousands of files makes
# each delivery slower, and a run after a long one would be charged for it.
empty_outbox() {
  find "$1/outbox/" -type f -delete 2>/dev/null || true
}

# The CPU time of each of the host's threads and of its instances' processes, into FILE
# (src/bench/threadcpu.py says how they are grouped). Usage: cpu_snap HOSTPID FILE
cpu_snap() {
  python3 src/bench/threadcpu.py snap "$1" > "$2"
}

# The requests wrk made, from its output FILE.
wrk_requests() {
  grep -E 'requests in' "$1" | awk '{print $1}'
}

# The front door against the instance behind it, wrk with 2 threads and 16 connections, a 44-byte
# JSON message, a service of 2 units validating JSON into a dir: outbox. Runs alternate (direct to
# instance 0, then through the door) so that both see the same machine; PAIRS pairs of WRK_S s each.
# FORWARD_UNITS (2) units; each run starts from an empty outbox.
forward() {
  local data; data=$(mktemp -d /tmp/sluice-bench-forward.XXXXXX)
  printf 'wrk.method = "POST"\nwrk.body = [[{"order":1234,"sku":"A-77","qty":3,"ok":true}]]\nwrk.headers["Content-Type"] = "application/json"\n' > "$data/post.lua"
  bench_host "$data" "${FORWARD_UNITS:-2}"
  local host=$host_pid
  local door; door=$(grep -o 'http://127.0.0.1:[0-9]*/services/' "$data/host.out" | head -1)bench/messages
  local direct; direct="http://127.0.0.1:$(sed -n 's/^bench: instance 0 ready on port \([0-9]*\)$/\1/p' "$data/host.out")/messages"
  # REFERENCE=nginx|haproxy: a third run in each pair, through that reverse proxy (from Debian's
  # packages) in front of the same instances, to set the door beside a proxy made for the job.
  local targets="direct door" reference="" ref_pid="" ref_before=0 ref_after=0
  if [[ -n "${REFERENCE:-}" ]]; then
    reference_proxy "$data" "$REFERENCE"
    targets="direct door $REFERENCE"
  fi
  {
    machine
    # Warm both paths up first, WARM_S (10) s each: after 3 s the door's first pair was still its
    # compiler's (0.20-0.45 of the direct run's rate, against 0.5-0.7 in the pairs after it).
    wrk -t2 -c16 -d"${WARM_S:-10}s" -s "$data/post.lua" "$direct" > /dev/null; wrk -t2 -c16 -d"${WARM_S:-10}s" -s "$data/post.lua" "$door" > /dev/null
    # Every run starts from an empty outbox: one file per message, a folder that grew through the
    # earlier runs made each delivery slower, so that a run late in the bench was charged for them.
    echo "each run starts from an empty outbox"
    for pair in $(seq 1 "${PAIRS:-3}"); do
      for target in $targets; do
        local url=$direct; [[ $target == door ]] && url=$door; [[ $target == "${REFERENCE:-}" ]] && url=$reference
        empty_outbox "$data"
        cpu_snap "$host" "$data/cpu-0.json"
        [[ -n $ref_pid ]] && ref_before=$(proxy_cpu_ns "$ref_pid")
        wrk -t2 -c16 -d"${WRK_S:-8}s" --latency -s "$data/post.lua" "$url" > "$data/wrk.txt"
        cpu_snap "$host" "$data/cpu-1.json"
        [[ -n $ref_pid ]] && ref_after=$(proxy_cpu_ns "$ref_pid")
        echo "RESULT forward $target pair $pair: $(grep -E 'Requests/sec' "$data/wrk.txt" | awk '{print $2}') msg/s," \
          "p50 $(grep -E '^ +50%' "$data/wrk.txt" | awk '{print $2}'), p99 $(grep -E '^ +99%' "$data/wrk.txt" | awk '{print $2}')," \
          "non-2xx $(grep -E 'Non-2xx' "$data/wrk.txt" | awk '{print $NF}' || true)," \
          "outbox files after it $(find "$data/outbox/" -name '*.msg' | wc -l), load $(cut -d' ' -f1 /proc/loadavg)"
        # The door's threads' and the instances' CPU per message, which other load on the machine moves less than msg/s.
        python3 src/bench/threadcpu.py door "forward $target pair $pair CPU" "$data/cpu-0.json" "$data/cpu-1.json" "$(wrk_requests "$data/wrk.txt")"
        if [[ $target == "${REFERENCE:-}" ]]; then
          echo "RESULT forward $target pair $pair proxy CPU: $(( (ref_after - ref_before) / $(wrk_requests "$data/wrk.txt") )) ns a message"
        fi
      done
    done
  } 2>&1 | tee "$out/forward.log" | grep -E 'RESULT|^date|outbox'
  grep -h 'Front door transport' "$data/host.err" | sed 's/^/door: /' | tee -a "$out/forward.log" || true
  [[ -n $ref_pid ]] && { kill "$ref_pid"; wait "$ref_pid" || true; }
  kill "$host"; wait "$host" || true
}

# The CPU time in nanoseconds of a reference proxy's process and its child processes (nginx's
# workers), all their threads. Usage: proxy_cpu_ns PID
proxy_cpu_ns() {
  python3 - "$1" <<'PY'
import os, sys
root = sys.argv[1]
pids = [root]
for pid in os.listdir("/proc"):
    try:
        if pid.isdigit() and open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()[1] == root:
            pids.append(pid)
    except OSError:
        pass
total = 0
for pid in pids:
    for tid in os.listdir(f"/proc/{pid}/task"):
        try:
            total += int(open(f"/proc/{pid}/task/{tid}/schedstat").read().split()[0])
        except OSError:
            pass
print(total)
PY
}

# Starts nginx or haproxy on a free loopback port in front of the bench service's instances, one
# worker thread or process per core (REFERENCE_WORKERS, default the machine's cores), kept
# connections to the instances; sets reference (the URL to post to) and ref_pid. Usage: reference_proxy DATA nginx|haproxy
reference_proxy() {
  local data=$1 kind=$2 workers=${REFERENCE_WORKERS:-$(nproc)}
  local port; port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  local servers="" ports; ports=$(sed -n 's/^bench: instance [0-9]* ready on port \([0-9]*\)$/\1/p' "$data/host.out")
  case $kind in
    nginx)
      for p in $ports; do servers+="server 127.0.0.1:$p; "; done
      mkdir -p "$data/nginx"
      cat > "$data/nginx/nginx.conf" <<CONF
worker_processes $workers; daemon off; pid $data/nginx/nginx.pid; error_log $data/nginx/error.log warn;
events { worker_connections 4096; }
http {
  access_log off; client_body_temp_path $data/nginx/body; proxy_temp_path $data/nginx/proxy;
  fastcgi_temp_path $data/nginx/f; uwsgi_temp_path $data/nginx/u; scgi_temp_path $data/nginx/s;
  upstream units { $servers keepalive 64; }
  server { listen 127.0.0.1:$port; location = /services/bench/messages { proxy_pass http://units/messages; proxy_http_version 1.1; proxy_set_header Connection ""; } }
}
CONF
      nginx -c "$data/nginx/nginx.conf" -p "$data/nginx" 2> "$data/nginx/stderr" &
      ref_pid=$! ;;
    haproxy)
      local i=0; for p in $ports; do servers+="  server u$i 127.0.0.1:$p"$'\n'; i=$((i + 1)); done
      cat > "$data/haproxy.cfg" <<CONF
global
  nbthread $workers
defaults
  mode http
  timeout connect 5s
  timeout client 30s
  timeout server 30s
  http-reuse always
frontend door
  bind 127.0.0.1:$port
  default_backend units
backend units
  balance roundrobin
  http-request set-path /messages
$servers
CONF
      haproxy -f "$data/haproxy.cfg" -db 2> "$data/haproxy.err" &
      ref_pid=$! ;;
    *) echo "REFERENCE: nginx or haproxy, not $kind" >&2; exit 2 ;;
  esac
  reference="http://127.0.0.1:$port/services/bench/messages"
  for _ in $(seq 1 50); do
    if curl -s -o /dev/null -X POST -H 'Content-Type: application/json' -d '{"a":1}' "$reference"; then break; fi
    sleep 0.1
  done
  echo "reference: $kind with $workers workers on port $port, in front of ports $(echo $ports)"
}

# The installed app's start against a minimal app on the same runtime, and a role instance's
# launch -> ready with and without its cache. Needs the app image of `mvn -B -Ppackage package`
# (target/jpackage/sluice, with its ahead-of-time caches); IMAGE=DIR picks another. BASELINE=DIR, another
# image on the same runtime (say, of an earlier commit), times its console with its cache in the same
# rounds instead of the console without a cache; READY_RUNS=0 skips the role instance's runs. The console is
# started through SluiceMain, as the launcher starts it; DIRECT=1 times it started at ConsoleApp too, in the same
# rounds. src/bench/stand-in-image.sh makes an image from the build output without the package build.
# An image copied or moved away from where it was built loses its console cache here, silently: with
# this bench's class path after the image's, the JVM cannot relocate the cache's class path. Train the
# copy's caches again where it lies first: packaging/aot-train.sh DIR/bin/sluice DIR/lib/app.
aot() {
  local image="${IMAGE:-target/jpackage/sluice}"
  [[ -f "$image/lib/app/sluice.aot" ]] || { echo "no app image with caches at $image: run mvn -B -Ppackage package first" >&2; exit 2; }
  local data; data=$(mktemp -d /tmp/sluice-bench-data.XXXXXX)
  { machine; java -cp "$cp" -Dbench.image="$image" ${BASELINE:+-Dbench.baseline="$BASELINE"} ${DIRECT:+-Dbench.direct=true} org.sluice.bench.StartupBench "${ROUNDS:-10}" "$data"; machine; } 2>&1 \
    | tee "$out/aot-startup.log" | grep -E 'RESULT|^date|first run'
  if [[ "${READY_RUNS:-20}" != 0 ]]; then
    { machine; java -cp "$cp" org.sluice.bench.InstanceReadyBench "$image" "${READY_RUNS:-20}"; } 2>&1 \
      | tee "$out/aot-ready.log" | grep -E 'RESULT|^date'
  fi
}

# What 1,000 stalled uploads (headers, then 3 of 1,000 bytes) cost the host: threads, RSS and live heap.
stalled() {
  local data; data=$(mktemp -d /tmp/sluice-bench-stalled.XXXXXX)
  bench_host "$data" 1
  local host=$host_pid
  local port; port=$(grep -o 'http://127.0.0.1:[0-9]*' "$data/host.out" | head -1 | cut -d: -f3)
  { machine; python3 src/bench/stalled.py "$port" "$host" "${STALLED:-1000}"; } 2>&1 | tee "$out/stalled.log" | grep -E 'RESULT|^date'
  kill "$host"; wait "$host" || true
}

# kill -9 of a role instance -> the host has it ready again, for 20 services of one unit each (so
# that each kill is its instance's first crash: the pause before a restart doubles with crashes in
# a row). Prints each time and a summary.
supervision() {
  local data; data=$(mktemp -d /tmp/sluice-bench-supervision.XXXXXX)
  local n=${SERVICES:-20} defs="" i
  for i in $(seq 1 "$n"); do
    defs+="${defs:+,}{\"name\":\"s$i\",\"units\":1,\"memoryMb\":128,\"destination\":\"dir:$data/out/s$i\"}"
  done
  printf '{"services":[%s]}' "$defs" > "$data/defs.json"
  java -cp "$cp" org.sluice.cli.SluiceMain host --port 0 --data "$data/host" --define "$data/defs.json" > "$data/host.out" 2> "$data/host.err" &
  local host=$!
  for _ in $(seq 1 480); do
    [[ $(grep -c 'Create succeeded' "$data/host.out" 2>/dev/null) -ge $n ]] && break
    sleep 0.5
  done
  {
    machine
    local times=()
    for i in $(seq 1 "$n"); do
      local before; before=$(grep -c "^s$i: instance 0 ready" "$data/host.out")
      local pid; pid=$(pgrep -f -- "instances/s$i/0/definition.json" | head -1)
      local start; start=$(date +%s%N)
      kill -9 "$pid"
      until [[ $(grep -c "^s$i: instance 0 ready" "$data/host.out") -gt $before ]]; do sleep 0.01; done
      local ms=$(( ($(date +%s%N) - start) / 1000000 ))
      times+=("$ms")
      echo "s$i: ready again $ms ms after kill -9"
    done
    printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {printf "RESULT supervision kill -9 -> ready n=%d p50=%d ms max=%d ms\n", NR, a[int((NR+1)/2)], a[NR]}'
  } 2>&1 | tee "$out/supervision.log" | grep -E 'RESULT|^date'
  kill "$host"; wait "$host" || true
}

# The management API: a snapshot of MANAGE_SERVICES (1,000) services in process, over HTTPS and as a
# remote fleet's first snapshot; the latency of an event from the host's listener to a remote
# fleet's; the host's CPU time per GET /services with ADMINS pollers; and the front door's throughput (wrk as in forward) alone and while ADMINS (100)
# administrators each ask the host for its service list once a second, alternated, PAIRS pairs, with the
# host's CPU by thread and its instances' CPU in each half (src/bench/threadcpu.py).
manage() {
  # MANAGE_DOOR_ONLY=1 runs only the last part, the door with and without the pollers.
  if [[ "${MANAGE_DOOR_ONLY:-0}" != 1 ]]; then
  { machine; java -cp "$cp" org.sluice.bench.ManagementBench snapshot "${MANAGE_SERVICES:-1000}" "${ROUNDS:-20}"; } 2>&1 \
    | tee "$out/manage-snapshot.log" | grep -E 'RESULT|^date'
  { machine; java -cp "$cp" org.sluice.bench.ManagementBench latency "${EVENTS:-2000}" 100; } 2>&1 \
    | tee "$out/manage-latency.log" | grep -E 'RESULT|^date'
  # The CPU time one GET /services costs the host (and its client), after a warm-up: robust to other load.
  { machine; java -cp "$cp" org.sluice.bench.ManagementBench cost "${ADMINS:-100}" 20 20; } 2>&1 \
    | tee "$out/manage-cost.log" | grep -E 'RESULT|^date'
  fi
  local data; data=$(mktemp -d /tmp/sluice-bench-manage.XXXXXX)
  printf 'wrk.method = "POST"\nwrk.body = [[{"order":1234,"sku":"A-77","qty":3,"ok":true}]]\nwrk.headers["Content-Type"] = "application/json"\n' > "$data/post.lua"
  bench_host "$data" 2
  local host=$host_pid
  local door; door=$(grep -o 'http://127.0.0.1:[0-9]*/services/' "$data/host.out" | head -1)bench/messages
  local url; url=$(grep -o 'https://127.0.0.1:[0-9]*' "$data/host.out" | head -1)
  local fingerprint; fingerprint=$(sed -n 's/.*certificate SHA-256 \([0-9A-F:]*\)).*/\1/p' "$data/host.out" | head -1)
  local seconds=${WRK_S:-8}
  local basic; basic=$(printf 'owner:%s' "$(jq -r .primary "$data/host/keys.json")" | base64 -w0)
  printf 'wrk.headers["Authorization"] = "Basic %s"\nfunction delay()\n  return 1000\nend\n' "$basic" > "$data/poll.lua"
  {
    machine
    # The host's side of the polls warms up too, as on a host whose administrators poll all day and
    # come and go: POLL_WARM_S (120) s of polls from wrk in POLL_WARM_ROUNDS (4) rounds, each with
    # new connections as each pair's pollers have. Without it the compiler was still at the polls'
    # code in every window with polls: code run once a poll reached C2 only after 5,000 to 10,000
    # polls (more while the door's code waits for the same compiler), a minute or more at 100 a
    # second, and each pair's new connections (100 TLS handshakes, then 100 closes) took branches
    # the compiled code had not seen, which sent it back to be compiled again (docs/perf.md, "Polls
    # and the compiler"). Polling faster to get there sooner did not work on the shared machine: at
    # ten times the rate the host fell seconds behind. The door warms up in the last WARM_S (60) s:
    # beside the polls, 20 s left it still compiling through the first two pairs (1.0-1.4 s of JIT
    # in an 8 s half, load 22-29). POLL_WARM_S=0 WARM_S=20 is the bench as it was before.
    local poll_warm=${POLL_WARM_S:-120} poll_rounds=${POLL_WARM_ROUNDS:-4} door_warm=${WARM_S:-60} warm_pollers=
    if (( poll_warm > 0 )); then
      ( for round in $(seq 1 "$poll_rounds"); do
          wrk -t1 -c"${ADMINS:-100}" -d"$((poll_warm / poll_rounds))s" --timeout 10s -s "$data/poll.lua" \
            "$url/api/v1/services" > "$data/wrk-poll-warm-$round.txt"
        done ) &
      warm_pollers=$!
      if (( poll_warm > door_warm )); then sleep $((poll_warm - door_warm)); fi
    fi
    # As in metrics: the door reaches its pace only after a while (the compiler took 2.1 s of the
    # first alone half after a 3 s warm-up, and the pair's ratio was 2.7).
    wrk -t2 -c16 -d"${door_warm}s" -s "$data/post.lua" "$door" > /dev/null
    if [[ -n $warm_pollers ]]; then
      wait "$warm_pollers"
      echo "warm-up: ${ADMINS:-100} administrators for ${poll_warm} s in ${poll_rounds} rounds," \
        "$(cat "$data"/wrk-poll-warm-*.txt | grep -E 'requests in' | awk '{n += $1} END {print n}') answers," \
        "non-2xx $(cat "$data"/wrk-poll-warm-*.txt | grep -E 'Non-2xx' | awk '{n += $NF} END {print n + 0}')"
    fi
    for pair in $(seq 1 "${PAIRS:-3}"); do
      cpu_snap "$host" "$data/cpu-alone-0.json"
      local alone_from; alone_from=$(date -u +%T.%3N)
      wrk -t2 -c16 -d"${seconds}s" -s "$data/post.lua" "$door" > "$data/alone.txt"
      local alone_to; alone_to=$(date -u +%T.%3N)
      cpu_snap "$host" "$data/cpu-alone-1.json"
      # POLLERS_NICE=19 runs the pollers' JVM at the lowest priority, so that on one machine it takes
      # only what the door leaves: the figure then charges the door for the host's side of the
      # polls alone, as with administrators on their own machines (check that they still got
      # about ADMINS answers a second).
      # POLLER=wrk polls with wrk instead: one connection per administrator, each asking once a second
      # (its script's delay), a C client whose own CPU is a small part of the JVM pollers'.
      if [[ "${POLLER:-jvm}" == wrk ]]; then
        ( TIMEFORMAT='%R %U %S'
          { time nice -n "${POLLERS_NICE:-0}" wrk -t1 -c"${ADMINS:-100}" -d$((seconds + 4))s --timeout 10s -s "$data/poll.lua" "$url/api/v1/services" > "$data/wrk-poll.txt"; } 2> "$data/wrk-time.txt"
          read -r _ user system < "$data/wrk-time.txt"
          echo "RESULT pollers (wrk) ${ADMINS:-100} administrators for $((seconds + 4)) s: $(grep -E 'requests in' "$data/wrk-poll.txt" | awk '{print $1}') answers," \
            "non-2xx $(grep -E 'Non-2xx' "$data/wrk-poll.txt" | awk '{print $NF}' || true), errors $(grep -E 'Socket errors' "$data/wrk-poll.txt" || echo none);" \
            "the pollers used $(awk -v u="$user" -v s="$system" 'BEGIN {printf "%.2f", u + s}') s of CPU" > "$data/poll.txt"
          wrk_requests "$data/wrk-poll.txt" > "$data/polls.txt" ) &
      else
        ( nice -n "${POLLERS_NICE:-0}" java -cp "$cp" org.sluice.bench.ManagementBench poll "$url" "$fingerprint" "$data/host/keys.json" "${ADMINS:-100}" $((seconds + 4)) > "$data/poll.txt" 2>&1
          sed -n 's/^RESULT pollers .*: \([0-9]*\) answers.*/\1/p' "$data/poll.txt" > "$data/polls.txt" ) &
      fi
      local pollers=$!
      sleep 3
      cpu_snap "$host" "$data/cpu-polled-0.json"
      local polled_from; polled_from=$(date -u +%T.%3N)
      wrk -t2 -c16 -d"${seconds}s" -s "$data/post.lua" "$door" > "$data/polled.txt"
      local polled_to; polled_to=$(date -u +%T.%3N)
      cpu_snap "$host" "$data/cpu-polled-1.json"
      wait "$pollers"
      local a b
      a=$(grep -E 'Requests/sec' "$data/alone.txt" | awk '{print $2}')
      b=$(grep -E 'Requests/sec' "$data/polled.txt" | awk '{print $2}')
      # When each window ran (UTC), to find it in a flight recording of the host (HOST_JVM).
      echo "windows pair $pair: alone $alone_from-$alone_to, polled $polled_from-$polled_to"
      echo "RESULT manage pair $pair: door alone $a msg/s, with ${ADMINS:-100} administrators polling $b msg/s, ratio $(awk -v a="$a" -v b="$b" 'BEGIN {printf "%.2f", b / a}'); $(grep RESULT "$data/poll.txt")"
      # The polls' cost by the host's threads: the polls made while the door ran are taken as their
      # share of all the pollers made (each administrator asks once a second, so they are spread evenly).
      python3 src/bench/threadcpu.py result "manage pair $pair" poll "$data/cpu-alone-0.json" "$data/cpu-alone-1.json" \
        "$(wrk_requests "$data/alone.txt")" "$data/cpu-polled-0.json" "$data/cpu-polled-1.json" "$(wrk_requests "$data/polled.txt")" \
        "$(cat "$data/polls.txt")" $((seconds + 4))
    done
  } 2>&1 | tee "$out/manage-door.log" | grep -E 'RESULT|^date'
  kill "$host"; wait "$host" || true
}

# The management listener's CPU per request by path, on a host of one service of 2 units whose door
# is idle, after 30 s of polling: ADMINS (100) wrk connections each asking once a second, LISTENER_S
# (20) s per path after 5 s more of warm-up, for GET /api/v1/health (the HTTPS server and a constant
# answer, no sign-in), /api/v1/services and /metrics, LISTENER_ROUNDS (2) rounds (src/bench/threadcpu.py).
listener() {
  local data; data=$(mktemp -d /tmp/sluice-bench-listener.XXXXXX)
  bench_host "$data" 2
  local host=$host_pid
  local url; url=$(grep -o 'https://127.0.0.1:[0-9]*' "$data/host.out" | head -1)
  local basic; basic=$(printf 'owner:%s' "$(jq -r .primary "$data/host/keys.json")" | base64 -w0)
  printf 'wrk.headers["Authorization"] = "Basic %s"\nfunction delay()\n  return 1000\nend\n' "$basic" > "$data/poll.lua"
  local seconds=${LISTENER_S:-20}
  {
    machine
    wrk -t1 -c"${ADMINS:-100}" -d30s --timeout 10s -s "$data/poll.lua" "$url/api/v1/services" > /dev/null
    for round in $(seq 1 "${LISTENER_ROUNDS:-2}"); do
      for path in api/v1/health api/v1/services metrics; do
        wrk -t1 -c"${ADMINS:-100}" -d5s --timeout 10s -s "$data/poll.lua" "$url/$path" > /dev/null
        cpu_snap "$host" "$data/cpu-0.json"
        [[ -n $ref_pid ]] && ref_before=$(proxy_cpu_ns "$ref_pid")
        wrk -t1 -c"${ADMINS:-100}" -d"${seconds}s" --timeout 10s -s "$data/poll.lua" "$url/$path" > "$data/wrk.txt"
        cpu_snap "$host" "$data/cpu-1.json"
        [[ -n $ref_pid ]] && ref_after=$(proxy_cpu_ns "$ref_pid")
        python3 src/bench/threadcpu.py calls "listener round $round GET /$path" "$data/cpu-0.json" "$data/cpu-1.json" \
          "$(wrk_requests "$data/wrk.txt")"
      done
    done
  } 2>&1 | tee "$out/listener.log" | grep -E 'RESULT|^date'
  kill "$host"; wait "$host" || true
}

# /metrics: one scrape of SCRAPE_INSTANCES (300) simulated instances in process, time and allocation;
# then the front door's throughput (wrk as in forward) alone and while Prometheus-like scrapes
# (wrk over one kept connection with the key, or SCRAPER=curl) come once a second, alternated, PAIRS
# pairs, with the host's CPU by thread and its instances' CPU in each half (src/bench/threadcpu.py).
metrics() {
  { machine; java -cp "$cp" org.sluice.bench.MetricsBench "${SCRAPE_INSTANCES:-300}" "${ROUNDS:-200}"; } 2>&1 \
    | tee "$out/metrics-scrape.log" | grep -E 'RESULT|^date'
  local data; data=$(mktemp -d /tmp/sluice-bench-metrics.XXXXXX)
  printf 'wrk.method = "POST"\nwrk.body = [[{"order":1234,"sku":"A-77","qty":3,"ok":true}]]\nwrk.headers["Content-Type"] = "application/json"\n' > "$data/post.lua"
  bench_host "$data" 2
  local host=$host_pid
  local door; door=$(grep -o 'http://127.0.0.1:[0-9]*/services/' "$data/host.out" | head -1)bench/messages
  local url; url=$(grep -o 'https://127.0.0.1:[0-9]*' "$data/host.out" | head -1)
  local key; key=$(jq -r .primary "$data/host/keys.json")
  local seconds=${WRK_S:-8}
  printf 'wrk.headers["Authorization"] = "Basic %s"\nfunction delay()\n  return 1000\nend\n' "$(printf 'owner:%s' "$key" | base64 -w0)" > "$data/scrape.lua"
  # The door alone, with the host's CPU by thread before and after.
  metrics_alone() {
    empty_outbox "$data"
    cpu_snap "$host" "$data/cpu-alone-0.json"
    wrk -t2 -c16 -d"${seconds}s" -s "$data/post.lua" "$door" > "$data/alone.txt"
    cpu_snap "$host" "$data/cpu-alone-1.json"
  }
  {
    machine
    # The door takes a while to reach its pace (pair 1 of the first runs was 3 times slower than pair 3).
    wrk -t2 -c16 -d"${WARM_S:-20}s" -s "$data/post.lua" "$door" > /dev/null
    for pair in $(seq 1 "${PAIRS:-3}"); do
      # Odd pairs run alone first, even pairs scraped first, so that neither gains from the door warming up.
      if (( pair % 2 == 1 )); then metrics_alone "$pair"; fi
      # By default wrk scrapes as Prometheus does, over one kept connection once a second (wrk's
      # script waits a second after each answer); SCRAPER=curl makes a new curl, and so a new TLS
      # handshake, each time.
      if [[ "${SCRAPER:-wrk}" == wrk ]]; then
        ( wrk -t1 -c1 -d$((seconds + 2))s --timeout 10s -s "$data/scrape.lua" "$url/metrics" > "$data/wrk-scrape.txt"
          echo "scrapes (wrk, one kept connection) $(wrk_requests "$data/wrk-scrape.txt")," \
            "non-2xx $(grep -E 'Non-2xx' "$data/wrk-scrape.txt" | awk '{print $NF}' || echo 0)" > "$data/scrapes.txt"
          wrk_requests "$data/wrk-scrape.txt" > "$data/scrape-count.txt" ) &
      else
      ( end=$(( $(date +%s) + seconds + 2 )); n=0; ok=0
        while [[ $(date +%s) -lt $end ]]; do
          n=$((n + 1))
          code=$(curl -s -o "$data/page.txt" -w '%{http_code}' --cacert "$data/host/tls/host.crt" -u "owner:$key" "$url/metrics" || true)
          [[ $code == 200 ]] && ok=$((ok + 1))
          sleep 1
        done
        echo "scrapes $ok of $n answered 200, last page $(wc -c < "$data/page.txt") bytes" > "$data/scrapes.txt"
        echo "$n" > "$data/scrape-count.txt" ) &
      fi
      local scraper=$!
      empty_outbox "$data"
      sleep 1
      cpu_snap "$host" "$data/cpu-scraped-0.json"
      wrk -t2 -c16 -d"${seconds}s" -s "$data/post.lua" "$door" > "$data/scraped.txt"
      cpu_snap "$host" "$data/cpu-scraped-1.json"
      wait "$scraper"
      if (( pair % 2 == 0 )); then metrics_alone "$pair"; fi
      local a b
      a=$(grep -E 'Requests/sec' "$data/alone.txt" | awk '{print $2}')
      b=$(grep -E 'Requests/sec' "$data/scraped.txt" | awk '{print $2}')
      echo "RESULT metrics pair $pair: door alone $a msg/s, scraped once a second $b msg/s, ratio $(awk -v a="$a" -v b="$b" 'BEGIN {printf "%.2f", b / a}'); $(cat "$data/scrapes.txt")"
      # The scrapes made while the door ran are taken as their share of all the scraper made (one a second).
      python3 src/bench/threadcpu.py result "metrics pair $pair" scrape "$data/cpu-alone-0.json" "$data/cpu-alone-1.json" \
        "$(wrk_requests "$data/alone.txt")" "$data/cpu-scraped-0.json" "$data/cpu-scraped-1.json" "$(wrk_requests "$data/scraped.txt")" \
        "$(cat "$data/scrape-count.txt")" $((seconds + 2))
    done
  } 2>&1 | tee "$out/metrics-door.log" | grep -E 'RESULT|^date'
  kill "$host"; wait "$host" || true
}

# One instance flapping (Throttled every 3 s, Normal halfway between) with its notification, against
# the same dashboard without it: the "dashboard" and "flap" windows of one run (issue 12). The warm-up
# (FLAP_WARMUP_S, 65) outlasts the charts' minute, so that the dashboard window draws full charts as the
# flap window does: with 20 s the tiles' lines were still growing through it, and the flap window's
# renderer cost more than twice as much for that alone (docs/perf.md, "What a flapping tile costs the renderer").
# FLAP_NOTIFICATIONS=false runs it with the throttle notification off (-Dbench.notifications=false), into
# flap-5000-notifications-off.log, so that the notification's cost is the difference of two runs.
# Each window's "RESULT FX-thread CPU per pulse" line gives the JavaFX thread's CPU time per pulse, the
# pulses that carried one of the flapping instance's changes apart from the others (docs/perf.md,
# "A flapping instance's own pulses"): unlike the pulses' times, it moves little with other load.
flap() {
  local prefs; prefs=$(mktemp -d /tmp/sluice-bench-prefs.XXXXXX)
  local notifications=${FLAP_NOTIFICATIONS:-true} log=$out/flap-5000.log
  [[ $notifications == false ]] && log=$out/flap-5000-notifications-off.log
  machine > "$log"
  java -cp "$cp" "${console_jvm[@]}" -Dprism.order=sw -Duser.language=en -Duser.country=US -Djava.util.prefs.userRoot="$prefs" \
    -Dbench.notifications="$notifications" \
    org.sluice.console.LiveLoadBench 5000 100 200 1000 "${FLAP_WARMUP_S:-65}" "${LIVE_S:-60}" 0 0 "${FLAP_S:-60}" >> "$log" 2>&1
  machine >> "$log"
  grep -E 'RESULT|^date' "$log"
}

# The console's heap under its own test traffic: TRAFFIC_MIN minutes (10) at TRAFFIC_RATE a second
# (5000, the most the bar allows) of TRAFFIC_SIZE ("1 KiB") to the demo service TRAFFIC_SERVICE
# (slow-partner), a live heap after full GC once a minute. TRAFFIC_JVM adds JVM options after CONSOLE_JVM's, e.g. -Xmx256m.
traffic() {
  local data; data=$(mktemp -d /tmp/sluice-bench-traffic.XXXXXX)
  local prefs; prefs=$(mktemp -d /tmp/sluice-bench-prefs.XXXXXX)
  # shellcheck disable=SC2086
  { machine; java -cp "$cp" "${console_jvm[@]}" ${TRAFFIC_JVM:-} -Dprism.order=sw -Duser.language=en -Duser.country=US -Djava.util.prefs.userRoot="$prefs" \
      org.sluice.console.TrafficHeapBench "$data/data" "${TRAFFIC_MIN:-10}" "${TRAFFIC_RATE:-5000}" "${TRAFFIC_SIZE:-1 KiB}" \
      "${TRAFFIC_SERVICE:-slow-partner}"; machine; } 2>&1 | tee "$out/traffic.log" | grep -E 'RESULT|^date|bench:'
  rm -rf "$data" "$prefs"
}

# The 300-instance simulation (issue 14): SIM_SERVICES (1000) services on one real host, of which
# SIM_INSTANCES / 2 (150) run 2 instances each (SIM_SUSPENDED, 15, of them Suspended) and the rest are
# stopped. The instances are FakeInstances in a JVM of their own, each at its own loopback address
# (127.10.x.y:7400, SIM_FAKE_PORT picks another port so that two simulations can run at once) speaking the network protocol, reached by the host's real connector; they cross
# into Throttled SIM_CROSSINGS (60) times a minute in all. A console in a third JVM connects to the
# host's management API with the dashboard shown. After SIM_WARMUP_S (20) both measure SIM_WINDOW_S (60);
# then the host disables and enables the whole account. Logs of the three JVMs stay in the run's /tmp folder.
simulate() {
  local data; data=$(mktemp -d /tmp/sluice-bench-sim.XXXXXX)
  local services=${SIM_SERVICES:-1000} instances=${SIM_INSTANCES:-300} fake_port=${SIM_FAKE_PORT:-7400}
  local token; token=$(head -c 24 /dev/urandom | base64 | tr -d '/+=')
  local prefs; prefs=$(mktemp -d /tmp/sluice-bench-prefs.XXXXXX)
  machine > "$out/simulate.log"
  java -cp "$cp" -Dsluice.bench.fakePort="$fake_port" org.sluice.bench.FakeInstances "$instances" "$token" "${SIM_CROSSINGS:-60}" > "$data/fakes.out" 2>&1 &
  local fakes=$!
  for _ in $(seq 1 240); do grep -q FAKES-READY "$data/fakes.out" 2>/dev/null && break; sleep 0.5; done
  mkdir -m 700 "$data/host"
  java -cp "$cp" -Dsluice.bench.fakePort="$fake_port" org.sluice.bench.SimulationHost "$data/host" "$services" "$instances" "${SIM_SUSPENDED:-$((instances / 20))}" "$token" \
    "${SIM_WINDOW_S:-60}" > "$data/host.out" 2> "$data/host.err" &
  local host=$!
  for _ in $(seq 1 1200); do grep -q SIMULATION-READY "$data/host.out" 2>/dev/null && break; sleep 0.5; done
  # SIM_CONSOLE_JVM adds options to the console's JVM, e.g. a flight recording to profile it.
  java ${SIM_CONSOLE_JVM:-} -cp "$cp" -Dprism.order=sw -Duser.language=en -Duser.country=US -Djava.util.prefs.userRoot="$prefs" \
    org.sluice.console.SimulationConsole "$data/host" "$services" "${SIM_WARMUP_S:-20}" "${SIM_WINDOW_S:-60}" > "$data/console.out" 2> "$data/console.err" || true
  for _ in $(seq 1 600); do grep -q SIMULATION-MEASURED "$data/host.out" 2>/dev/null && break; sleep 0.5; done
  kill "$host" "$fakes"; wait "$host" "$fakes" || true
  { cat "$data/fakes.out" "$data/host.out" "$data/console.out"; machine; } >> "$out/simulate.log"
  grep -E 'RESULT|^date' "$out/simulate.log"
}

case "$what" in
  startup) startup ;;
  flap) flap ;;
  live) live 5000 "${LIVE_S:-60}" 0 "${GRID_S:-60}" live-5000; live 5000 0 "${FLASH_S:-120}" 0 flash-5000 ;;
  footprint) live 1000 30 0 10 live-1000; live 10000 30 0 10 live-10000 ;;
  runtime) runtime ;;
  door) door ;;
  forward) forward ;;
  aot) aot ;;
  stalled) stalled ;;
  supervision) supervision ;;
  manage) manage ;;
  metrics) metrics ;;
  listener) listener ;;
  traffic) traffic ;;
  simulate) simulate ;;
  all) startup; live 5000 "${LIVE_S:-60}" 0 "${GRID_S:-60}" live-5000; live 5000 0 "${FLASH_S:-120}" 0 flash-5000; live 1000 30 0 10 live-1000; live 10000 30 0 10 live-10000; runtime; door; forward; stalled; supervision; manage; metrics; traffic ;;
  *) echo "usage: src/bench/run.sh [startup|live|flap|footprint|runtime|door|forward|aot|stalled|supervision|manage|metrics|listener|traffic|simulate|all]" >&2; exit 2 ;;
esac
