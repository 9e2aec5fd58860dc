#!/usr/bin/env bash
# Fails the package build when the installers' input holds the Kubernetes client or a library only
# it needs: those belong in the host's container image, not in the desktop installers
# (docs/decisions/0024-kubernetes-packaging.md). Run by `mvn -Ppackage package` before the installers.
#   packaging/check-installer-input.sh INPUT_DIR
set -euo pipefail
input="$1"
jar="${JAVA_HOME:+$JAVA_HOME/bin/}jar"
# The packages of io.fabric8:*, snakeyaml-engine, snakeyaml, jackson-dataformat-yaml and
# jackson-datatype-jsr310.
pattern='^(io/fabric8/|org/snakeyaml/|org/yaml/snakeyaml/|com/fasterxml/jackson/dataformat/yaml/|com/fasterxml/jackson/datatype/jsr310/)'
found=0
for file in "$input"/*.jar; do
    if "$jar" tf "$file" | grep -Eq "$pattern"; then
        echo "$file holds classes of the Kubernetes client or its libraries; the installers must not carry them. Make its dependency provided in pom.xml (docs/decisions/0024-kubernetes-packaging.md)." >&2
        found=1
    fi
done
exit "$found"
