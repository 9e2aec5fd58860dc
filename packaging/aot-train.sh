#!/usr/bin/env bash
# Trains the app image's ahead-of-time caches: run by `mvn -Ppackage package` between the app image
# and the installers (docs/decisions/0012-ahead-of-time-cache.md). The image's own launcher runs the
# training, so the caches fit the image's runtime and class path.
#   packaging/aot-train.sh LAUNCHER APP_DIR
# The console's training opens a window: with no DISPLAY on Linux it runs under xvfb-run.
set -euo pipefail
launcher="$1"
app_dir="$2"

# A cache records the modification time of every jar it was trained with and is not used when one
# differs. The installer step stamps the files anew, so the jars get a fixed time here and the
# installed package sets it again (packaging/linux/postinst).
find "$app_dir" -name '*.jar' -exec env TZ=UTC touch -m -t 200001010000.00 {} +

"$launcher" train --instance-cache "$app_dir/instance.aot"

if [ "$(uname -s)" = Linux ] && [ -z "${DISPLAY:-}" ]; then
    if ! command -v xvfb-run >/dev/null; then
        echo "The console's training run needs a display. Install Xvfb (apt-get install xvfb) or set DISPLAY." >&2
        exit 1
    fi
    xvfb-run -a -s "-screen 0 1600x1000x24" "$launcher" train --console-cache "$app_dir/sluice.aot"
else
    "$launcher" train --console-cache "$app_dir/sluice.aot"
fi
