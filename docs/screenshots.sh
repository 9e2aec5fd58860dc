#!/usr/bin/env bash
# Takes the README's screenshots from a real window under Xvfb: the services grid (with the
# service under test traffic selected, its details below) and the throttle dashboard (its tiles
# throttled), light and dark, English and Korean, at 1600 × 1000 and in a 900 × 600 window. Needs: xvfb libgtk-3-0 imagemagick xdotool
# fonts-nanum python3 (Debian packages), and a built jar (mvn -B -DskipTests package).
#
# SCREENSHOT_DISPLAY picks the X display Xvfb runs on (default :57); it must be free.
# SCREENSHOT_TIMEOUT bounds, in seconds, each wait for the host or the console (default 180).
set -euo pipefail
cd "$(dirname "$0")/.."
out=assets/screenshots
display=${SCREENSHOT_DISPLAY:-:57}
limit=${SCREENSHOT_TIMEOUT:-180}
export DISPLAY=$display
# How long the slow destination takes to answer, in seconds: a throttle episode lasts about as long,
# long enough for the notifications to go and the shots to be taken. Below the role instances'
# 30-second delivery timeout.
answer_delay=20

if [ -e "/tmp/.X${display#:}-lock" ]; then
    echo "Display $display is in use; set SCREENSHOT_DISPLAY to a free one, e.g. :73" >&2
    exit 1
fi
[ -f target/sluice.jar ] || { echo "target/sluice.jar is missing: run mvn -B -DskipTests package first" >&2; exit 1; }

work=$(mktemp -d)
cleanup() {
    local pid
    # What this script started and is still running (Xvfb, the destination, a host, console or load).
    for pid in $(jobs -p); do
        kill "$pid" 2>/dev/null || true
    done
    # Role instances started from this run's data folders, if a console did not stop them.
    for pid in $(pgrep -f -- "--work $work/" || true); do
        kill "$pid" 2>/dev/null || true
    done
    rm -rf "$work"
}
trap cleanup EXIT

# Waits until "$@" succeeds, polling, for at most $limit seconds; says what it waited for if not.
wait_for() { # what command...
    local what=$1 deadline=$((SECONDS + limit))
    shift
    until "$@"; do
        if [ "$SECONDS" -ge "$deadline" ]; then
            echo "Gave up after ${limit}s waiting for $what" >&2
            return 1
        fi
        if [ -n "${watch:-}" ] && ! kill -0 "$watch" 2>/dev/null; then
            echo "The process waited on ($watch) ended while waiting for $what" >&2
            return 1
        fi
        sleep 0.5
    done
}

Xvfb "$display" -screen 0 1600x1000x24 >/dev/null 2>&1 &
watch=$!
display_up() {
    xdotool getdisplaygeometry >/dev/null 2>&1
}
wait_for "Xvfb on $display" display_up
watch=

# A destination that answers slowly, so that test traffic throttles both payments instances.
cat > "$work/slow.py" <<PY
import http.server, socketserver, sys, time
class H(http.server.BaseHTTPRequestHandler):
    protocol_version = 'HTTP/1.1'
    def do_POST(self):
        self.rfile.read(int(self.headers.get('Content-Length', '0')))
        time.sleep($answer_delay)
        self.send_response(204)
        self.end_headers()
    def log_message(self, *a):
        pass
class S(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True
    request_queue_size = 1024
s = S(('127.0.0.1', 0), H)
with open(sys.argv[1], 'w') as f:
    f.write(str(s.server_address[1]))
s.serve_forever()
PY
python3 "$work/slow.py" "$work/slow.port" &
watch=$!
wait_for "the slow destination" test -s "$work/slow.port"
watch=
slow_port=$(cat "$work/slow.port")
echo '{"services":[{"name":"payments","units":2,"memoryMb":128,"destination":"http://127.0.0.1:'"$slow_port"'/in"}]}' > "$work/define.json"

gone() { # pid
    ! kill -0 "$1" 2>/dev/null
}

count() { # pattern file: how many lines of file match, 0 if there is no such file
    local n
    n=$(grep -c -- "$1" "$2" 2>/dev/null || true)
    echo "${n:-0}"
}

services_created() { # how many
    [ "$(count "Create succeeded" "$host_out")" -ge "$1" ]
}

# True while a window other than the console's is on screen, e.g. a throttle notification:
# without a compositor its transparent parts would show black in the picture.
popup_shown() {
    local id size screen
    screen=$(xdotool getdisplaygeometry | tr ' ' x)
    for id in $(xdotool search --onlyvisible --name '' 2>/dev/null); do
        [ "$id" = "$wid" ] && continue
        size=$(xdotool getwindowgeometry "$id" 2>/dev/null | sed -n 's/.*Geometry: //p')
        case "$size" in "" | 1x1 | "$screen") ;; *) return 0 ;; esac
    done
    return 1
}

no_popup() {
    ! popup_shown
}

# How many pixels differ between two window pictures, within an optional region (WxH+X+Y).
pixels_changed() { # a b [region]
    local extract=()
    [ -n "${3:-}" ] && extract=(-extract "$3")
    compare -metric AE -fuzz 10% "${extract[@]}" "$1" "$2" null: 2>&1 | awk '{printf "%d", $1}' || true
}

changed_from() { # reference region minimum
    import -window "$wid" "$work/now.png"
    [ "$(pixels_changed "$1" "$work/now.png" "$2")" -ge "$3" ]
}

ready_instances() { # data: instances reporting ready, of those started
    local log n=0
    for log in "$1"/instances/*/*/instance.log; do
        [ -e "$log" ] && grep -q "ready on port" "$log" && n=$((n + 1))
    done
    echo "$n"
}

all_ready() { # data expected
    [ "$(pgrep -f -- "--work $1/instances/" | wc -l)" -ge "$2" ] && [ "$(ready_instances "$1")" -ge "$2" ]
}

# Throttle episodes each payments instance has begun, e.g. "2 2".
episodes() { # data
    echo "$(count "throttled by" "$1/instances/payments/0/instance.log") $(count "throttled by" "$1/instances/payments/1/instance.log")"
}

both_began_since() { # data before
    local now before
    read -r -a now <<< "$(episodes "$1")"
    read -r -a before <<< "$2"
    [ "${now[0]}" -gt "${before[0]}" ] && [ "${now[1]}" -gt "${before[1]}" ]
}

shoot() { # theme language [WIDTHxHEIGHT: the window's size, and a suffix of the pictures' names]
    local theme=$1 lang=$2 size=${3:-} data="$work/data-$1-$2${3:+-$3}" suffix=${3:+-$3}
    # Files of their own: a process started in the background opens its output only later.
    host_out="$work/host-$1-$2$suffix.out"
    local console_out="$work/console-$1-$2$suffix.out"
    # First run: demo services; then the host adds a service with a slow destination.
    java -jar target/sluice.jar host --port 0 --data "$data" --demo --define "$work/define.json" > "$host_out" 2>&1 &
    local host=$!
    watch=$host
    if ! wait_for "the host to create the four services" services_created 4; then
        cat "$host_out" >&2
        return 1
    fi
    watch=
    kill -TERM $host
    wait $host || true
    local expected
    expected=$(find "$data/instances" -mindepth 2 -maxdepth 2 -type d | wc -l)
    # The instance logs of that run would tell nothing about the console's.
    rm -f "$data"/instances/*/*/instance.log

    # Its own preferences, so that no saved window, theme or language of this user applies.
    java -Djava.util.prefs.userRoot="$work/prefs-$theme-$lang$suffix" -Dsluice.data="$data" -Dsluice.theme="$theme" \
        -Duser.language="$lang" -jar target/sluice.jar > "$console_out" 2>&1 &
    local console=$!
    watch=$console
    wid=$(timeout "$limit" xdotool search --sync --limit 1 --name '^Sluice$') ||
        { echo "No console window after ${limit}s" >&2; cat "$console_out" >&2; return 1; }
    wait_for "the console's host to open its front door" grep -q "Front door open on" "$console_out"
    local port
    port=$(sed -n 's|.*Front door open on http://127.0.0.1:\([0-9]*\)/.*|\1|p' "$console_out" | head -1)
    # The console starts the last run's role instances only once the grid shows the services.
    wait_for "the $expected role instances to be ready" all_ready "$data" "$expected"

    if [ -n "$size" ]; then
        # A smaller window, as on a laptop; the window manager's part (there is none) is done by hand.
        xdotool windowmove "$wid" 0 0 windowsize "$wid" "${size%x*}" "${size#*x}"
        wait_for "the window to take $size" sh -c "xdotool getwindowgeometry $wid | grep -q 'Geometry: $size'"
    fi
    # Keys go to the console: give it the input focus and keep the pointer off the grid.
    xdotool mousemove 0 0
    timeout 10 xdotool windowfocus --sync "$wid" || xdotool windowfocus "$wid"
    local geometry width height details big
    geometry=$(xdotool getwindowgeometry "$wid" | sed -n 's/.*Geometry: //p')
    width=${geometry%x*}
    height=${geometry#*x}
    # The details pane, below the grid and above the status line; and what switching tabs changes
    # at least (a twelfth of the window; live figures change far less).
    details="${width}x$((height * 28 / 100))+0+$((height * 64 / 100))"
    big=$((width * height / 12))

    # Select payments, the row above the last (the grid lists the services by name, slow-partner
    # last): Ctrl+F focuses the search box, three Tabs go on through the state filter and the tab
    # headers to the grid (Bulk action is off while nothing is selected, and takes no focus), End
    # selects the last row and Up the one above it.
    import -window "$wid" "$work/unselected.png"
    xdotool key ctrl+1 ctrl+f Tab Tab Tab End Up
    wait_for "the details of payments to show" changed_from "$work/unselected.png" "$details" 1000

    # The dashboard first: its shot is taken first in each throttle episode.
    import -window "$wid" "$work/grid.png"
    xdotool key ctrl+2
    wait_for "the dashboard to show" changed_from "$work/grid.png" "" "$big"

    java -jar target/sluice.jar load --url "http://127.0.0.1:$port/services/payments/messages" \
        --rate 150 --concurrency 400 --size 512 --duration 600 > /dev/null 2>&1 &
    local load=$!

    local before="0 0" began attempt clean=
    for attempt in 1 2 3; do
        wait_for "both payments instances to become throttled" both_began_since "$data" "$before"
        began=$SECONDS
        before=$(episodes "$data")
        # The throttle notification is a line in the window's own layout (decision 0041): it is in
        # the shots, and no window of its own covers them. Any other window (a tooltip) must go.
        wait_for "other windows to go" no_popup
        # Where another window was, the window stays blank until the console draws its next frame.
        import -window "$wid" "$work/settled.png"
        wait_for "the next frame" changed_from "$work/settled.png" "" 10
        import -window "$wid" "$work/dashboard.png"
        xdotool key ctrl+1
        wait_for "the grid to show" changed_from "$work/dashboard.png" "" "$big"
        import -window "$wid" "$work/grid.png"
        # Both shots within one throttle episode, with no notification over them.
        if [ "$(episodes "$data")" = "$before" ] && [ $((SECONDS - began)) -lt $((answer_delay - 2)) ] && no_popup; then
            clean=yes
            break
        fi
        echo "No clean shots in this throttle episode ($theme $lang, attempt $attempt: episodes $before," \
            "then $(episodes "$data") after $((SECONDS - began))s$(popup_shown && echo ', a notification on screen'))" >&2
        xdotool key ctrl+2
        wait_for "the dashboard to show" changed_from "$work/grid.png" "" "$big"
    done
    [ -n "$clean" ] || { echo "Gave up on $theme $lang after three throttle episodes" >&2; return 1; }
    cp "$work/grid.png" "$out/grid-$theme-$lang$suffix.png"
    cp "$work/dashboard.png" "$out/dashboard-$theme-$lang$suffix.png"
    if grep -q "not delivered" "$data"/instances/payments/*/instance.log; then
        echo "Warning: a payments message was not delivered; the shots may show the error bar" >&2
    fi

    kill $load 2>/dev/null || true
    wait $load 2>/dev/null || true
    # Ctrl+Q closes the console as a user would: it stops its role instances and exits.
    xdotool key ctrl+q
    watch=
    if ! wait_for "the console to close" gone "$console"; then
        kill -TERM $console 2>/dev/null || true
    fi
    wait $console 2>/dev/null || true
    echo "Took grid-$theme-$lang$suffix.png and dashboard-$theme-$lang$suffix.png"
}

shoot light en
shoot dark en
shoot light ko
shoot dark ko
# A narrow window too: what fits at 900 × 600.
shoot light en 900x600
shoot dark ko 900x600
echo "Screenshots written to $out"
