#!/usr/bin/env bash
# The browser tests drive Debian's Chromium; the PDF and screenshots need CJK fonts.
# Installs them when missing and we may (root with apt-get); otherwise says what to do.
set -euo pipefail
need=()
[ -x /usr/bin/chromium ] || need+=(chromium)
fc-list 2>/dev/null | grep -qi "Noto Sans CJK" || need+=(fonts-noto-cjk)
[ ${#need[@]} -eq 0 ] && exit 0
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null; then
  echo "Installing ${need[*]} for the browser tests..."
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
else
  echo "The browser tests need: ${need[*]}. Install them with: sudo apt-get install ${need[*]}" >&2
  exit 1
fi
