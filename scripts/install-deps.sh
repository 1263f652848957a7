#!/usr/bin/env bash
# Installs the Debian packages CityGraph builds, tests and runs with.
# Only missing packages are installed; a machine that has them all is left alone.
set -euo pipefail

PACKAGES=(
  build-essential cmake pkg-config git
  librocksdb-dev libtbb-dev libboost-graph-dev libeigen3-dev
  libthrift-dev thrift-compiler
  libgtest-dev libgmock-dev
  nlohmann-json3-dev libyaml-cpp-dev libcli11-dev libspdlog-dev libfmt-dev
  libargon2-dev libssl-dev libjemalloc-dev
  python3 python3-thrift python3-pandas python3-matplotlib python3-networkx
  python3-nbclient python3-nbformat python3-ipykernel python3-pytest python3-igraph
  fonts-wqy-microhei  # Chinese names and addresses in the notebooks' charts
)

missing=()
for p in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

echo "install-deps: installing ${missing[*]}"
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -q
$SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
