#!/usr/bin/env bash
# Makes a stand-in for the app image from the build output, so that `src/bench/run.sh aot` (IMAGE=,
# BASELINE=) can time a change to the console's start without the package build:
#
#   mvn -B -Pbench -DskipTests package && src/bench/stand-in-image.sh DIR
#
# DIR gets the layout src/bench/run.sh reads from an app image: lib/app/sluice.cfg with the launcher's
# Java options (pom.xml, app-image), the build's jars in lib/app, and the console's ahead-of-time
# cache trained as packaging/aot-train.sh trains it (sluice train --console-cache). The runtime,
# lib/runtime, is a link to the JDK that runs this script, not the jlinked one of a real image:
# compare stand-ins with stand-ins, not with an installed image. Needs DISPLAY (the training opens a
# window) and a build with the bench profile (the probes live in the jar then).
set -euo pipefail
cd "$(dirname "$0")/../.."
dir="${1:?usage: src/bench/stand-in-image.sh DIR}"
java_home="${JAVA_HOME:-$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")}"
[[ -f target/sluice.jar && -d target/libs ]] || { echo "no build output in target/: run mvn -B -Pbench -DskipTests package first" >&2; exit 2; }
[[ -n "${DISPLAY:-}" ]] || { echo "the console's training run needs a display: set DISPLAY (an Xvfb one will do)" >&2; exit 2; }

rm -rf "$dir"
mkdir -p "$dir/lib/app/libs"
ln -s "$java_home" "$dir/lib/runtime"
cp target/sluice.jar "$dir/lib/app/"
cp target/libs/*.jar "$dir/lib/app/libs/"
# A cache records the modification time of each jar it was trained with.
find "$dir/lib/app" -name '*.jar' -exec env TZ=UTC touch -m -t 200001010000.00 {} +

cfg="$dir/lib/app/sluice.cfg"
{
  echo "[Application]"
  echo "app.mainclass=org.sluice.cli.SluiceMain"
  echo "app.classpath=\$APPDIR/sluice.jar"
  for jar in "$dir"/lib/app/libs/*.jar; do
    echo "app.classpath=\$APPDIR/libs/$(basename "$jar")"
  done
  echo
  echo "[JavaOptions]"
  echo "java-options=--enable-native-access=ALL-UNNAMED"
  echo "java-options=-XX:AOTCache=\$APPDIR/sluice.aot"
  echo "java-options=-Xlog:aot*=off,cds*=off"
  echo "java-options=-Xmx384m"
} > "$cfg"

app="$(cd "$dir/lib/app" && pwd)"
classpath=$(grep '^app.classpath=' "$cfg" | cut -d= -f2- | sed "s|\\\$APPDIR|$app|" | paste -sd:)
"$dir/lib/runtime/bin/java" --enable-native-access=ALL-UNNAMED -cp "$classpath" org.sluice.cli.SluiceMain \
  train --console-cache "$app/sluice.aot"
