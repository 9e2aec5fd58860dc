#!/usr/bin/env bash
# Runs what the container images hold, without a container engine (docs/decisions/0024-kubernetes-packaging.md).
#
# After `mvn -B -DskipTests package`, from the repository root:
#   bash packaging/container/check-contents.sh
#
# It reproduces packaging/container/Dockerfile's steps under a temporary folder that stands for the
# image's root: jlink with the Dockerfile's JLINK_MODULES and options, from the JDK 25 at hand
# (JAVA_HOME, else /usr/lib/jvm/temurin-25*); the COPY of target/sluice.jar and target/libs/ and the
# Dockerfile's own `rm -f` of the console's jars. The image's /opt and /etc are then read-only.
# On that runtime and those jars it runs the two ENTRYPOINTs as Kubernetes would:
#   - the host: the host target's ENTRYPOINT with the arguments of packaging/kubernetes/30-statefulset.yaml
#     (--engine kubernetes), against fabric8's mock API server (CRUD, HTTPS), with a certificate and
#     keys made here in place of the Secrets; `sluice ctl` (same runtime and jars) reads its health,
#     in English and Korean, and creates a service, whose Deployment, ConfigMap and Secret must appear;
#   - the instance: the instance target's ENTRYPOINT with the arguments, the token and the
#     JAVA_TOOL_OPTIONS of that Deployment's pod template and its definition from the ConfigMap.
#     The script plays the kubelet: once the instance's protocol port takes a TCP connection (the
#     pod's readiness probe), it reports the pod ready at its address, and the host binds it.
# Then: the instance protocol refuses a request without the token and streams events with it; a
# message through the host's front door is delivered; suspend shuts the instance's gate and resume
# opens it; stop ends the instance with status 0; delete removes the service. Last, every request
# the host made to the API server must be one packaging/kubernetes/20-role.yaml grants, and neither
# JVM may have printed a warning.
#
# What differs from a cluster, and only that: paths are under the temporary root; the instance
# binds a loopback address of its own (127.x.y.z, port as given) instead of 0.0.0.0; the host's
# management API listens on 127.0.0.1 and its front door on a free port (on every address, as the
# StatefulSet says: the host lets pods reach the door only so), which --door-url names on
# 127.0.0.1; the host is given --kubeconfig for the mock server instead of its service account.
# The mock server runs on the build's JDK (it is the cluster, not the image). Exits 0 when everything held, non-zero with the reason otherwise. Not part of
# `mvn verify`: it takes one to five minutes. KEEP=1 keeps the temporary folder and its logs.
set -euo pipefail

START=$SECONDS
say() { case "$1" in "== "*) printf '[%3ds] %s\n' "$((SECONDS - START))" "$*" ;; *) printf '%s\n' "$*" ;; esac; }
fail() { printf 'check-contents: FAILED: %s\n' "$*" >&2; exit 1; }

ROOT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$ROOT_DIR"
# DOCKERFILE may name another Dockerfile, to try a change to it.
DOCKERFILE=${DOCKERFILE:-packaging/container/Dockerfile}
MANIFESTS=packaging/kubernetes
SERVICE=imagecheck

[ -f target/sluice.jar ] && [ -d target/libs ] || fail "target/sluice.jar and target/libs/ are missing: run 'mvn -B -DskipTests package' first"
[ -d target/test-classes/org/sluice/packaging ] || fail "target/test-classes is missing: run 'mvn -B -DskipTests package' first (it compiles the tests, which hold the mock API server)"
command -v curl >/dev/null || fail "curl is needed"
[ "${BASH_VERSINFO[0]}" -ge 4 ] || fail "bash 4 or later is needed (the script is written for Linux, as the images are)"

# The JDK that jlinks: the Dockerfile's is Temurin 25.
JDK=${JAVA_HOME:-}
if [ -z "$JDK" ] || [ ! -x "$JDK/bin/jlink" ]; then
  JDK=$(ls -d /usr/lib/jvm/temurin-25* 2>/dev/null | head -1 || true)
fi
[ -n "$JDK" ] && [ -x "$JDK/bin/jlink" ] || fail "no JDK with jlink: set JAVA_HOME to a JDK 25"
JDK_VERSION=$("$JDK/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.version = //p')
case "$JDK_VERSION" in 25*) ;; *) fail "the JDK at $JDK is $JDK_VERSION; the Dockerfile's is 25" ;; esac

WORK=$(mktemp -d "${TMPDIR:-/tmp}/sluice-image-check.XXXXXX")
ROOT="$WORK/root"            # the image's root file system
PIDS=()
cleanup() {
  local status=$?
  for pid in "${PIDS[@]}"; do
    kill "$pid" 2>/dev/null || true
  done
  for pid in "${PIDS[@]}"; do
    wait "$pid" 2>/dev/null || true
  done
  if [ "$status" -ne 0 ] && [ -z "${KEEP:-}" ]; then
    for log in "$WORK"/*.log; do
      [ -f "$log" ] || continue
      printf '\n--- last lines of %s ---\n' "$(basename "$log")" >&2
      tail -n 25 "$log" >&2
    done
  fi
  if [ -n "${KEEP:-}" ]; then say "kept $WORK"; else chmod -R u+w "$WORK" 2>/dev/null; rm -rf "$WORK"; fi
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# ------------------------------------------------------------------ the Dockerfile, read

# Its instructions one a line: continuation lines joined, comments and blank lines dropped,
# each prefixed with the stage it is in.
INSTRUCTIONS="$WORK/instructions"
awk '
  /^[[:space:]]*#/ { next }
  { line = $0; sub(/^[[:space:]]+/, "", line) }
  line == "" && current == "" { next }
  /\\[[:space:]]*$/ { sub(/\\[[:space:]]*$/, "", line); current = current line " "; next }
  {
    current = current line
    if (toupper(substr(current, 1, 5)) == "FROM ") { n = split(current, f, /[[:space:]]+/); stage = (n >= 3 && toupper(f[3]) == "AS") ? f[4] : "" }
    print stage "\t" current
    current = ""
  }' "$DOCKERFILE" > "$INSTRUCTIONS"

# instruction STAGE KEYWORD: the arguments of the stage's last KEYWORD.
instruction() {
  awk -F'\t' -v s="$1" -v k="$2" '$1 == s && toupper(substr($2, 1, length(k) + 1)) == k " " { v = substr($2, length(k) + 2) } END { print v }' "$INSTRUCTIONS"
}
# stage_from STAGE: the stage it starts from.
stage_from() { awk -F'\t' -v s="$1" '$1 == s && toupper(substr($2, 1, 5)) == "FROM " { split($2, f, /[[:space:]]+/); print f[2] }' "$INSTRUCTIONS"; }
# inherited STAGE KEYWORD: as instruction, along the stages it starts from.
inherited() {
  local stage=$1 value
  while [ -n "$stage" ]; do
    value=$(instruction "$stage" "$2")
    [ -n "$value" ] && { printf '%s\n' "$value"; return; }
    stage=$(stage_from "$stage")
  done
}
# exec_form JSON: a ["a", "b"] array, one element a line (plain strings only).
exec_form() {
  local json=$1
  case "$json" in *\\*) fail "an exec form with escapes is beyond this script: $json" ;; esac
  json=${json#[}; json=${json%]}
  printf '%s' "$json" | sed -e 's/^[[:space:]]*"//' -e 's/"[[:space:]]*$//' -e 's/"[[:space:]]*,[[:space:]]*"/\n/g'
  printf '\n'
}
# in_root ARG: ARG with an absolute path (alone, or after NAME=) moved under the image's root.
in_root() {
  case "$1" in
    /*) printf '%s\n' "$ROOT$1" ;;
    -*=/*) printf '%s\n' "${1%%=*}=$ROOT${1#*=}" ;;
    *) printf '%s\n' "$1" ;;
  esac
}

MODULES=$(awk -F'\t' '$1 == "runtime" && $2 ~ /^ARG JLINK_MODULES=/ { sub(/^ARG JLINK_MODULES=/, "", $2); print $2 }' "$INSTRUCTIONS")
[ -n "$MODULES" ] || fail "$DOCKERFILE: no ARG JLINK_MODULES=... in the runtime stage"
JLINK_RUN=$(awk -F'\t' '$1 == "runtime" && $2 ~ /^RUN jlink / { sub(/^RUN jlink /, "", $2); print $2 }' "$INSTRUCTIONS")
[ -n "$JLINK_RUN" ] || fail "$DOCKERFILE: no RUN jlink in the runtime stage"
case "$JLINK_RUN" in *'"${JLINK_MODULES}"'*) ;; *) fail "$DOCKERFILE: jlink does not take \"\${JLINK_MODULES}\"" ;; esac
read -r -a JLINK_ARGS <<< "${JLINK_RUN//\"\$\{JLINK_MODULES\}\"/$MODULES}"
for i in "${!JLINK_ARGS[@]}"; do JLINK_ARGS[i]=$(in_root "${JLINK_ARGS[i]}"); done

# ------------------------------------------------------------------ the runtime stage

say "== runtime: jlink from $JDK ($JDK_VERSION)"
say "   modules: $MODULES"
mkdir -p "$ROOT/opt/sluice" "$ROOT/tmp" "$ROOT/etc"
"$JDK/bin/jlink" "${JLINK_ARGS[@]}" > "$WORK/jlink.log" 2>&1 || fail "jlink refused the Dockerfile's options (see jlink.log below)"
JAVA="$ROOT/opt/sluice/runtime/bin/java"
[ -x "$JAVA" ] || fail "jlink made no bin/java"
say "   ok: $(du -sh "$ROOT/opt/sluice/runtime" | cut -f1) runtime, modules: $("$JAVA" --list-modules | cut -d@ -f1 | tr '\n' ' ')"

# ------------------------------------------------------------------ the jars stage

say "== jars: the jars stage's COPY and RUN rm"
while IFS= read -r copy; do
  read -r -a parts <<< "$copy"
  [ "${#parts[@]}" -eq 2 ] || fail "$DOCKERFILE: a COPY in the jars stage this script does not follow: COPY $copy"
  dest=$(in_root "${parts[1]}")
  mkdir -p "$dest"
  case "${parts[0]}" in
    */) cp -R "${parts[0]}." "$dest" ;;
    *) cp "${parts[0]}" "$dest" ;;
  esac
done < <(awk -F'\t' '$1 == "jars" && $2 ~ /^COPY / { sub(/^COPY /, "", $2); print $2 }' "$INSTRUCTIONS")
REMOVE=$(awk -F'\t' '$1 == "jars" && $2 ~ /^RUN rm -f / { sub(/^RUN rm -f /, "", $2); print $2 }' "$INSTRUCTIONS")
[ -n "$REMOVE" ] || fail "$DOCKERFILE: no RUN rm -f in the jars stage"
before=$(ls "$ROOT/opt/sluice/lib" | wc -l)
read -r -a patterns <<< "$REMOVE"
for pattern in "${patterns[@]}"; do
  case "$pattern" in /opt/sluice/lib/*) ;; *) fail "$DOCKERFILE: the jars stage removes $pattern, outside /opt/sluice/lib" ;; esac
  # shellcheck disable=SC2086 # the pattern is a glob, as in the Dockerfile's shell
  rm -f $ROOT$pattern
done
after=$(ls "$ROOT/opt/sluice/lib" | wc -l)
say "   ok: $after jars ($((before - after)) removed as the Dockerfile says)"
if ls "$ROOT/opt/sluice/lib" | grep -E '^(javafx|controlsfx|ikonli|atlantafx)-' >/dev/null; then
  fail "console jars are left in the image: $(ls "$ROOT/opt/sluice/lib" | grep -E '^(javafx|controlsfx|ikonli|atlantafx)-' | tr '\n' ' ')"
fi

# entrypoint TARGET: the target's ENTRYPOINT, its paths under the image's root, one a line.
entrypoint() {
  local json
  json=$(inherited "$1" ENTRYPOINT)
  [ -n "$json" ] || fail "$DOCKERFILE: target $1 has no ENTRYPOINT"
  exec_form "$json" | while IFS= read -r arg; do in_root "$arg"; done
}
mapfile -t HOST_ENTRY < <(entrypoint host)
mapfile -t INSTANCE_ENTRY < <(entrypoint instance)

# ------------------------------------------------------------------ the cluster

say "== the mock API server (fabric8 kubernetes-server-mock, CRUD, HTTPS)"
(cd "$ROOT_DIR" && mvn -B -q -o dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$WORK/test.classpath" \
    > "$WORK/maven.log" 2>&1) || fail "the test class path could not be resolved offline (see maven.log): run 'mvn -B -DskipTests package' first"
TEST_CP="$ROOT_DIR/target/test-classes:$ROOT_DIR/target/classes:$(cat "$WORK/test.classpath")"
CLUSTER=("$JDK/bin/java" -cp "$TEST_CP" org.sluice.packaging.MockCluster)
cluster() { "${CLUSTER[@]}" "$@"; }

KUBECONFIG_FILE="$WORK/kubeconfig"
REQUESTS="$WORK/requests"
"${CLUSTER[@]}" serve "$KUBECONFIG_FILE" "$REQUESTS" > "$WORK/mock-api-server.log" 2>&1 &
PIDS+=($!)
for _ in $(seq 1 300); do
  grep -q '^mock API server at ' "$WORK/mock-api-server.log" 2>/dev/null && break
  kill -0 "${PIDS[-1]}" 2>/dev/null || fail "the mock API server did not start"
  sleep 0.2
done
grep -q '^mock API server at ' "$WORK/mock-api-server.log" || fail "the mock API server did not start within 60 s"
say "   ok: $(grep '^mock API server at ' "$WORK/mock-api-server.log")"

# free_port: a loopback port nothing listens on.
free_port() {
  local port
  for _ in $(seq 1 50); do
    port=$((20000 + RANDOM % 40000))
    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null || { printf '%s\n' "$port"; return; }
  done
  fail "no free port found"
}

# ------------------------------------------------------------------ the host

say "== host: ENTRYPOINT of target host, with the arguments of $MANIFESTS/30-statefulset.yaml"
mapfile -t STATEFULSET_ARGS < <(cluster host-args "$MANIFESTS/30-statefulset.yaml") || fail "the StatefulSet's arguments could not be read"
[ "${#STATEFULSET_ARGS[@]}" -gt 0 ] || fail "the StatefulSet gives the host no arguments"
MANAGE_PORT=$(free_port)
DOOR_PORT=$(free_port)
HOST_ARGS=()
for ((i = 0; i < ${#STATEFULSET_ARGS[@]}; i++)); do
  arg=${STATEFULSET_ARGS[i]}
  case "$arg" in
    --manage) HOST_ARGS+=(--manage "127.0.0.1:$MANAGE_PORT"); i=$((i + 1)) ;;
    --door-url) HOST_ARGS+=(--door-url "http://127.0.0.1:$DOOR_PORT"); i=$((i + 1)) ;;
    --data) DATA=$(in_root "${STATEFULSET_ARGS[i + 1]}"); HOST_ARGS+=(--data "$DATA"); i=$((i + 1)) ;;
    --tls-keystore) KEYSTORE=$(in_root "${STATEFULSET_ARGS[i + 1]}"); HOST_ARGS+=(--tls-keystore "$KEYSTORE"); i=$((i + 1)) ;;
    --tls-password-file) PASSWORD_FILE=$(in_root "${STATEFULSET_ARGS[i + 1]}"); HOST_ARGS+=(--tls-password-file "$PASSWORD_FILE"); i=$((i + 1)) ;;
    --keys-file) KEYS_FILE=$(in_root "${STATEFULSET_ARGS[i + 1]}"); HOST_ARGS+=(--keys-file "$KEYS_FILE"); i=$((i + 1)) ;;
    *) HOST_ARGS+=("$(in_root "$arg")") ;;
  esac
done
HOST_ARGS+=(--port "$DOOR_PORT" --kubeconfig "$KUBECONFIG_FILE")
[ -n "${DATA:-}" ] || fail "the StatefulSet gives the host no --data"
mkdir -p "$DATA" && chmod 700 "$DATA"
# The Secrets, made as the README's "Deploy on Kubernetes" says.
if [ -n "${KEYSTORE:-}" ]; then
  mkdir -p "$(dirname "$KEYSTORE")" "$(dirname "$PASSWORD_FILE")"
  head -c 24 /dev/urandom | base64 > "$PASSWORD_FILE"
  "$JDK/bin/keytool" -genkeypair -alias sluice -keyalg EC -groupname secp256r1 -validity 30 -dname CN=sluice-management \
    -ext SAN=dns:localhost,ip:127.0.0.1 -storetype PKCS12 -keystore "$KEYSTORE" -storepass "$(cat "$PASSWORD_FILE")" \
    > "$WORK/keytool.log" 2>&1 || fail "keytool could not make the management certificate"
  chmod 440 "$KEYSTORE" "$PASSWORD_FILE"
fi
if [ -n "${KEYS_FILE:-}" ]; then
  mkdir -p "$(dirname "$KEYS_FILE")"
  printf '{"issuer":"owner","primary":"%s","secondary":"%s"}' "$(head -c 32 /dev/urandom | base64)" "$(head -c 32 /dev/urandom | base64)" > "$KEYS_FILE"
  chmod 440 "$KEYS_FILE"
fi
# The image's files are root's, and its root file system read-only: the host and the instance may
# write only to the data volume and /tmp.
chmod -R a-w "$ROOT/opt" "$ROOT/etc"
say "   java … SluiceMain host ${HOST_ARGS[*]}"
say "   (the image's /opt and /etc read-only; writable: $(in_root /tmp) and the data folder; user.home does not exist)"
# The image's user 10001 has the home /nonexistent (useradd in the base stage), which the JVM takes
# as user.home whatever HOME says: here, a folder that does not exist either.
IMAGE_USER_HOME="-Duser.home=$ROOT/nonexistent"
(cd "$ROOT/tmp" && HOME="$ROOT/tmp" JAVA_HOME="$ROOT/opt/sluice/runtime" JAVA_TOOL_OPTIONS="$IMAGE_USER_HOME" \
  exec "${HOST_ENTRY[@]}" "${HOST_ARGS[@]}") > "$WORK/host.log" 2>&1 &
HOST_PID=$!
PIDS+=("$HOST_PID")

# sluice ctl, on the image's runtime and jars.
CTL=("$JAVA" -cp "$ROOT/opt/sluice/lib/*" org.sluice.cli.SluiceMain ctl --data "$DATA")
ctl() { "${CTL[@]}" "$@"; }
for _ in $(seq 1 300); do
  [ -f "$DATA/manage.json" ] && ctl host > "$WORK/ctl-host.out" 2>&1 && break
  kill -0 "$HOST_PID" 2>/dev/null || fail "the host exited (status $(wait "$HOST_PID"; echo $?)) before its management API answered"
  sleep 0.2
done
ctl host > "$WORK/ctl-host.out" 2>&1 || fail "sluice ctl host got no answer from the host: $(cat "$WORK/ctl-host.out")"
curl -sfk "https://127.0.0.1:$MANAGE_PORT/api/v1/health" > /dev/null || fail "GET /api/v1/health (the StatefulSet's probes) did not answer 2xx"
say "   ok: the management API answers GET /api/v1/health and sluice ctl host:"
sed 's/^/      /' "$WORK/ctl-host.out"
# The runtime keeps the en and ko locales (--include-locales): Sluice's Korean messages and formats.
"$JAVA" -Duser.language=ko -Duser.country=KR -cp "$ROOT/opt/sluice/lib/*" org.sluice.cli.SluiceMain ctl --data "$DATA" host \
  > "$WORK/ctl-host-ko.out" 2>&1 || fail "sluice ctl host in Korean failed: $(cat "$WORK/ctl-host-ko.out")"
cmp -s "$WORK/ctl-host.out" "$WORK/ctl-host-ko.out" && fail "sluice ctl host answered in English under the Korean locale"
say "   ok: in the ko locale: $(head -n 1 "$WORK/ctl-host-ko.out")"

# ------------------------------------------------------------------ a service on the engine

say "== sluice ctl create: the launcher's objects in the API server"
OUTBOX="$ROOT/tmp/work/outbox"
POD_FOLDER="$WORK/pod"
POD_IP="127.$((16 + RANDOM % 234)).$((1 + RANDOM % 249)).$((1 + RANDOM % 249))"
printf '{"name": "%s", "units": 1, "coresPerInstance": 1, "memoryMb": 128, "validate": "json", "destination": "dir:%s"}\n' \
  "$SERVICE" "$OUTBOX" > "$WORK/definition.json"
# The kubelet's part, started first: the host gives an instance 30 s to become ready.
"${CLUSTER[@]}" kubelet "$KUBECONFIG_FILE" "$SERVICE" "$POD_FOLDER" "$POD_IP" > "$WORK/kubelet.out" 2> "$WORK/kubelet.log" &
KUBELET_PID=$!
PIDS+=("$KUBELET_PID")
"${CTL[@]}" create "$WORK/definition.json" --wait > "$WORK/ctl-create.out" 2>&1 &
CREATE_PID=$!
PIDS+=("$CREATE_PID")
for _ in $(seq 1 300); do
  [ -f "$POD_FOLDER/args" ] && break
  kill -0 "$KUBELET_PID" 2>/dev/null && kill -0 "$CREATE_PID" 2>/dev/null || break
  sleep 0.2
done
if [ ! -f "$POD_FOLDER/args" ]; then
  kill -0 "$CREATE_PID" 2>/dev/null || fail "sluice ctl create failed: $(cat "$WORK/ctl-create.out")"
  fail "the host made no Deployment, ConfigMap and Secret for $SERVICE: $(grep -v '^WARNING' "$WORK/kubelet.log" | head -n 3)"
fi
say "   ok: $(head -n 1 "$WORK/kubelet.out")"

# ------------------------------------------------------------------ the instance, as its pod runs it

say "== instance: ENTRYPOINT of target instance, with the pod template's arguments and JAVA_TOOL_OPTIONS"
mapfile -t POD_ARGS < "$POD_FOLDER/args"
INSTANCE_ARGS=()
for ((i = 0; i < ${#POD_ARGS[@]}; i++)); do
  arg=${POD_ARGS[i]}
  case "$arg" in
    --definition) INSTANCE_ARGS+=(--definition "$POD_FOLDER/definition.json"); i=$((i + 1)) ;;
    --bind) INSTANCE_ARGS+=(--bind "$POD_IP"); i=$((i + 1)) ;;
    --port) PROTOCOL_PORT=${POD_ARGS[i + 1]}; INSTANCE_ARGS+=(--port "$PROTOCOL_PORT"); i=$((i + 1)) ;;
    --work) WORK_FOLDER=$(in_root "${POD_ARGS[i + 1]}"); INSTANCE_ARGS+=(--work "$WORK_FOLDER"); i=$((i + 1)) ;;
    *) INSTANCE_ARGS+=("$(in_root "$arg")") ;;
  esac
done
[ -n "${PROTOCOL_PORT:-}" ] || fail "the pod template gives the instance no --port"
mkdir -p "${WORK_FOLDER:-$ROOT/tmp/work}" "$OUTBOX"
TOKEN=$(cat "$POD_FOLDER/token")
(cd "$ROOT/tmp" && HOME="$ROOT/tmp" JAVA_HOME="$ROOT/opt/sluice/runtime" SLUICE_SERVICE="$SERVICE" \
  SLUICE_INSTANCE_TOKEN="$TOKEN" JAVA_TOOL_OPTIONS="$(cat "$POD_FOLDER/java-tool-options") $IMAGE_USER_HOME" \
  exec "${INSTANCE_ENTRY[@]}" "${INSTANCE_ARGS[@]}") > "$WORK/instance.log" 2>&1 &
INSTANCE_PID=$!
PIDS+=("$INSTANCE_PID")
say "   java … SluiceMain instance ${POD_ARGS[*]}"
say "   (here: --definition and --work under the temporary root, --bind $POD_IP; JAVA_TOOL_OPTIONS=$(cat "$POD_FOLDER/java-tool-options"))"

say "== the kubelet's readiness probe (TCP, port $PROTOCOL_PORT), then the host binds the pod and opens its gate"
wait "$KUBELET_PID" || { kill -0 "$INSTANCE_PID" 2>/dev/null || fail "the instance exited before it listened"; \
  fail "the pod was not reported ready: $(grep -v '^WARNING' "$WORK/kubelet.log" | head -n 3)"; }
say "   ok: $(tail -n 1 "$WORK/kubelet.out")"
wait "$CREATE_PID" || fail "sluice ctl create --wait failed: $(cat "$WORK/ctl-create.out")"
say "   ok: sluice ctl create --wait: $(tr '\n' ' ' < "$WORK/ctl-create.out" | cut -c1-160)"
grep -q "instance 0 runs in pod $SERVICE-pod-1" "$WORK/host.log" || fail "the host did not say it bound the pod"

say "== the instance protocol on the pod's address"
PROTOCOL="http://$POD_IP:$PROTOCOL_PORT"
status=$(curl -s -o /dev/null -w '%{http_code}' "$PROTOCOL/protocol/events")
[ "$status" = 401 ] || fail "GET /protocol/events without the token was answered $status, not 401"
status=$(curl -s -o "$WORK/events.out" -w '%{http_code}' --max-time 1 -H "Authorization: Bearer $TOKEN" "$PROTOCOL/protocol/events" || true)
[ "$status" = 200 ] || fail "GET /protocol/events with the Secret's token was answered $status, not 200"
say "   ok: refused without the token (401); with the Secret's token: $(head -n 1 "$WORK/events.out" | cut -c1-100)"

# door_post: the status the host's front door answers a message with.
door_post() {
  curl -s -o "$WORK/door.out" -w '%{http_code}' -X POST -H 'Content-Type: application/json' -d "$1" \
    "http://127.0.0.1:$DOOR_PORT/services/$SERVICE/messages"
}
say "== a message through the host's front door, delivered by the instance"
status=$(door_post '{"checked": "image"}')
case "$status" in 2??) ;; *) fail "the front door answered $status: $(cat "$WORK/door.out")" ;; esac
grep -rqs '"checked"' "$OUTBOX" || fail "the front door answered $status but the instance delivered nothing to $OUTBOX"
say "   ok: answered $status; the message is in the destination folder"

say "== sluice ctl suspend: the instance's gate shuts; resume opens it"
ctl suspend "$SERVICE" --wait > "$WORK/ctl-suspend.out" 2>&1 || fail "sluice ctl suspend failed: $(cat "$WORK/ctl-suspend.out")"
refused=$(curl -s -o /dev/null -w '%{http_code}' -X POST -d '{}' "$PROTOCOL/messages")
case "$refused" in 4??) ;; *) fail "the suspended instance answered a message $refused, not 4xx" ;; esac
ctl resume "$SERVICE" --wait > "$WORK/ctl-resume.out" 2>&1 || fail "sluice ctl resume failed: $(cat "$WORK/ctl-resume.out")"
status=$(door_post '{"checked": "resumed"}')
case "$status" in 2??) ;; *) fail "after resume the front door answered $status: $(cat "$WORK/door.out")" ;; esac
say "   ok: suspended, the pod answered a message $refused; resumed, the door's message was taken ($status)"

say "== sluice ctl stop and delete"
ctl stop "$SERVICE" --wait > "$WORK/ctl-stop.out" 2>&1 || fail "sluice ctl stop failed: $(cat "$WORK/ctl-stop.out")"
for _ in $(seq 1 150); do kill -0 "$INSTANCE_PID" 2>/dev/null || break; sleep 0.2; done
kill -0 "$INSTANCE_PID" 2>/dev/null && fail "the instance did not end when its service stopped"
wait "$INSTANCE_PID" && code=0 || code=$?
[ "$code" = 0 ] || fail "the instance ended with status $code when its service stopped"
ctl delete "$SERVICE" --wait > "$WORK/ctl-delete.out" 2>&1 || fail "sluice ctl delete failed: $(cat "$WORK/ctl-delete.out")"
say "   ok: the instance ended with status 0; the service is deleted"

say "== the host's requests to the API server against $MANIFESTS/20-role.yaml"
kill "$HOST_PID" 2>/dev/null || true
wait "$HOST_PID" || true
grep -E '"level" *: *"(ERROR)"' "$WORK/host.log" > "$WORK/host-errors.out" && fail "the host logged errors: $(head -n 3 "$WORK/host-errors.out")"
cluster rbac "$REQUESTS" "$MANIFESTS/20-role.yaml" > "$WORK/rbac.out" 2>&1 || fail "$(cat "$WORK/rbac.out")"
say "   ok: $(cat "$WORK/rbac.out")"

[ -e "$ROOT/nonexistent" ] && fail "something made the image user's home, $ROOT/nonexistent, which is not writable in the image"
# The JVM's own warnings (a module or native access missing shows here first).
if grep -h '^WARNING' "$WORK/host.log" "$WORK/instance.log" > "$WORK/jvm-warnings.out"; then
  fail "the host or the instance printed JVM warnings: $(head -n 3 "$WORK/jvm-warnings.out")"
fi
say "check-contents: every check held, in $((SECONDS - START)) s."
