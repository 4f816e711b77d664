#!/usr/bin/env bash
# Installs what building, running and testing Cordon needs and is missing: an OCI runtime, the languages the
# runtimes registry offers, the NativeAOT toolchain, and the database servers the storage tests start.
set -euo pipefail

need=()
want() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed" || need+=("$1"); }

for pkg in runc runsc iproute2 python3 nodejs gcc g++ make clang zlib1g-dev libseccomp2 postgresql redis-server dnsmasq-base curl; do
  want "$pkg"
done
command -v node >/dev/null || want nodejs

if ((${#need[@]})); then
  if [[ $(id -u) -ne 0 ]]; then
    echo "install-deps: missing packages: ${need[*]} (run as root or install them yourself)" >&2
    exit 1
  fi
  echo "install-deps: installing ${need[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
