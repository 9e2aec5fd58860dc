#!/usr/bin/env bash
# Takes the README's screenshots from a real window under Xvfb: the services grid and the throttle
# dashboard, light and dark, English and Korean. Needs: xvfb libgtk-3-0 imagemagick xdotool
# fonts-nanum python3 (Debian packages), and a built jar (mvn -B -DskipTests package).
set -euo pipefail
cd "$(dirname "$0")/.."
out=assets/screenshots
work=$(mktemp -d)
display=:57
Xvfb "$display" -screen 0 1600x1000x24 >/dev/null 2>&1 &
xvfb=$!
# A destination that answers slowly, so that test traffic throttles an instance.
cat > "$work/slow.py" <<'PY'
import http.server, socketserver, time
class H(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        self.rfile.read(int(self.headers.get('Content-Length', '0')))
        time.sleep(2.0)
        self.send_response(204)
        self.end_headers()
    def log_message(self, *a):
        pass
class S(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True
    request_queue_size = 1024
S(('127.0.0.1', 7099), H).serve_forever()
PY
python3 "$work/slow.py" &
slow=$!
trap 'kill $xvfb $slow 2>/dev/null || true; rm -rf "$work"' EXIT
sleep 1

echo '{"services":[{"name":"payments","units":2,"memoryMb":128,"destination":"http://127.0.0.1:7099/in"}]}' > "$work/define.json"

shoot() { # theme language
    local theme=$1 lang=$2 data="$work/data-$1-$2"
    # First run: demo services; then the host adds a service with a slow destination.
    timeout 60 java -jar target/sluice.jar host --port 0 --data "$data" --demo --define "$work/define.json" > "$work/host.out" 2>&1 &
    local host=$!
    for _ in $(seq 1 90); do
        [ "$(grep -c "Create succeeded" "$work/host.out")" -ge 4 ] && break
        sleep 0.5
    done
    kill -TERM $host; wait $host || true
    DISPLAY=$display java -Dsluice.data="$data" -Dsluice.theme="$theme" -Duser.language="$lang" -jar target/sluice.jar &
    local console=$!
    sleep 9
    java -jar target/sluice.jar load --url http://127.0.0.1:7070/services/payments/messages \
        --rate 150 --concurrency 400 --size 512 --duration 12 > /dev/null &
    local load=$!
    sleep 3
    # Select the service under load, so its details show below the grid.
    DISPLAY=$display xdotool mousemove 200 339 click 1 mousemove 200 339 click 1
    sleep 1
    DISPLAY=$display import -window root "$out/grid-$theme-$lang.png"
    DISPLAY=$display xdotool key ctrl+2
    sleep 2
    DISPLAY=$display import -window root "$out/dashboard-$theme-$lang.png"
    wait $load || true
    kill -TERM $console; wait $console || true
}

shoot light en
shoot dark en
shoot light ko
shoot dark ko
echo "Screenshots written to $out"
