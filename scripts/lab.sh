#!/usr/bin/env bash
# README command 1: build Bellows and run its self-contained lab (`bellows lab`). Extra arguments go to
# `bellows lab` (--once, --nat none, --down, --prefix P).
set -euo pipefail
cd "$(dirname "$0")/.."
[ "$(id -u)" = 0 ] || { echo "the lab needs root: sudo bash scripts/lab.sh" >&2; exit 1; }
bash scripts/install-deps.sh
dotnet build -c Release -v:q -nologo src/Bellows.Host/Bellows.Host.csproj -o artifacts/bellows >/dev/null
exec dotnet artifacts/bellows/bellows.dll lab "$@"
