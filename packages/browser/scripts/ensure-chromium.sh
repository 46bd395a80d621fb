#!/bin/sh
# Makes sure Debian's Chromium is at /usr/bin/chromium for the Chromium test project.
# No browser download from anywhere else: the package comes from the Debian archive (root, apt-get).
set -eu
BIN=/usr/bin/chromium
if [ -x "$BIN" ]; then
  exit 0
fi
echo "seglet: $BIN is missing; installing Debian's chromium with apt-get" >&2
if [ "$(id -u)" != "0" ]; then
  echo "seglet: not root; run as root: apt-get update && apt-get install -y chromium" >&2
  exit 1
fi
# A lock keeps two concurrent test runs from fighting over dpkg.
exec 9>/tmp/seglet-apt.lock
flock 9
if [ ! -x "$BIN" ]; then
  DEBIAN_FRONTEND=noninteractive apt-get update -q >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends chromium >&2
fi
"$BIN" --version >&2
