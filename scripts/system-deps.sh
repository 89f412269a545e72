#!/usr/bin/env bash
# Installs the Debian packages the portal and its tests need, only those that are missing.
# Exits quietly (as any user) when everything is there; only then is apt-get never run.
set -euo pipefail
need=()
dpkg -s libharfbuzz-subset0 >/dev/null 2>&1 || need+=(libharfbuzz-subset0)
command -v chromium >/dev/null 2>&1 || need+=(chromium)
command -v pdftotext >/dev/null 2>&1 || need+=(poppler-utils)
# node runs vendored JavaScript readers in the tests: Mozilla's pdf.js on every letter kind
# (tests/letters/assets/) and ical.js on the calendar feed (tests/assets/ical.js/).
command -v node >/dev/null 2>&1 || need+=(nodejs)
# Read the whole font list first: `fc-list | grep -q` fails under pipefail when grep stops
# reading early (fc-list then dies of SIGPIPE), which made installed fonts look missing.
fonts="$(fc-list : family 2>/dev/null || true)"
grep -qi 'DejaVu Sans' <<<"$fonts" || need+=(fonts-dejavu-core)
if [ ${#need[@]} -eq 0 ]; then
  exit 0
fi
if [ "$(id -u)" != 0 ]; then
  echo "Missing Debian packages: ${need[*]}. Install them with: sudo apt-get install ${need[*]}" >&2
  exit 1
fi
echo "Installing Debian packages: ${need[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq "${need[@]}" >/dev/null
