#!/usr/bin/env bash
# Renders Sluice's icons from assets/icon/sluice.svg: the PNG sizes, the Windows .ico, the macOS
# .icns and the console's window icons. The results are committed; run this again after changing
# the SVG. Needs (Debian): apt-get install librsvg2-bin imagemagick icnsutils
set -euo pipefail
cd "$(dirname "$0")/.."

svg=assets/icon/sluice.svg
png=packaging/linux/icons
window=src/main/resources/org/sluice/console/icon
mkdir -p "$png" "$window"

for size in 16 24 32 48 64 128 256 512; do
    rsvg-convert --width "$size" --height "$size" "$svg" --output "$png/sluice-$size.png"
done

# Windows: one .ico holding every size up to 256.
convert "$png"/sluice-{16,24,32,48,64,128,256}.png packaging/windows/sluice.ico

# macOS: png2icns takes the sizes the format has (16, 32, 48, 128, 256, 512).
png2icns packaging/macos/sluice.icns "$png"/sluice-{16,32,48,128,256,512}.png >/dev/null

# The console's window icons: the window manager picks the closest size.
for size in 16 32 64 256; do
    cp "$png/sluice-$size.png" "$window/sluice-$size.png"
done

echo "icons written from $svg"
