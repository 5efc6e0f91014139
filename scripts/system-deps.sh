#!/usr/bin/env bash
# System packages the tests need: Chromium for the browser tests, the libraries WeasyPrint
# renders PDFs with, poppler to turn PDFs into images, gettext for translations, xmlsec1 for
# the SAML log-in (pysaml2 signs and checks with it), nginx for the two-web-process test
# (tests/platform/test_two_machines.py).
# Installs what is missing when run as root; otherwise says what to install.
set -euo pipefail
packages=(chromium libharfbuzz-subset0 libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core poppler-utils gettext xmlsec1 nginx-light)
missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing system packages: ${missing[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
else
  echo "Missing system packages: ${missing[*]}" >&2
  echo "Install them with: sudo apt-get install ${missing[*]}" >&2
  exit 1
fi
