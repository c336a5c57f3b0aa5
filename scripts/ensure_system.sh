#!/usr/bin/env bash
# System packages the platform needs from Debian: CJK fonts, Pango and HarfBuzz's subsetter
# for the PDF binder (WeasyPrint), LibreOffice (without its desktop) to read old Word
# .doc/.wps evaluation systems, and, with --browser, Chromium for the browser tests.
# Installs them when missing and we may (root with apt-get); otherwise says what to do.
set -euo pipefail
need=()
if [ "${1:-}" = "--browser" ]; then
  [ -x /usr/bin/chromium ] || need+=(chromium)
fi
fc-list 2>/dev/null | grep -qi "Noto Sans CJK" || need+=(fonts-noto-cjk)
ldconfig -p 2>/dev/null | grep -q "libpangoft2-1.0.so.0" || need+=(libpango-1.0-0 libpangoft2-1.0-0)
# HarfBuzz's subsetter: without it every PDF embeds the CJK font through a slow fallback
# (about 2.4 s for a one-page sign-in sheet instead of 0.05 s).
ldconfig -p 2>/dev/null | grep -q "libharfbuzz-subset.so.0" || need+=(libharfbuzz-subset0)
command -v pdftoppm >/dev/null || need+=(poppler-utils)
office=()
command -v soffice >/dev/null || office+=(libreoffice-writer-nogui libreoffice-calc-nogui)
[ ${#need[@]} -eq 0 ] && [ ${#office[@]} -eq 0 ] && exit 0
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null; then
  echo "Installing ${need[*]} ${office[*]}..."
  apt-get update -qq
  [ ${#need[@]} -eq 0 ] || DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
  # LibreOffice without the desktop's recommended extras (a few hundred MB less).
  [ ${#office[@]} -eq 0 ] || DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
    --no-install-recommends "${office[@]}" >/dev/null
else
  echo "Please install: sudo apt-get install ${need[*]} ${office[*]}" >&2
  exit 1
fi
