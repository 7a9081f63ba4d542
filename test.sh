#!/usr/bin/env bash
# Runs every test of NodeDiffusion on a fresh machine with the .NET 10 SDK.
# It first installs what the tests need (Chromium for the browser tests, from Debian's packages).
set -euo pipefail
cd "$(dirname "$0")"

missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
fc-list 2>/dev/null | grep -qi dejavu || missing+=(fonts-dejavu-core)
if [ ${#missing[@]} -gt 0 ]; then
  echo "Installing test dependencies: ${missing[*]}"
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# A server test drives the API with a third-party ComfyUI client from npm, pinned in its package-lock.json.
command -v npm >/dev/null || { echo "npm is missing: the ComfyUI client test (ComfyNpmClientTests) will fail until Node.js >= 20 and npm are installed."; }
client=tests/NodeDiffusion.Server.Tests/ComfyClient
if command -v npm >/dev/null && ! cmp -s "$client/package-lock.json" "$client/node_modules/.installed-lock.json"; then
  (cd "$client" && npm ci --no-audit --no-fund --loglevel=error && cp package-lock.json node_modules/.installed-lock.json) ||
    echo "npm ci failed in $client: ComfyNpmClientTests will fail."
fi

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
dotnet build NodeDiffusion.sln -c Release -nologo -clp:ErrorsOnly

rm -rf TestResults
log=$(mktemp)
set +e
# Benchmarks (trait Category=Benchmark) measure, they do not test: bench/ and ND_BENCH=1 run them.
dotnet test NodeDiffusion.sln -c Release --no-build --filter "Category!=Benchmark" --results-directory TestResults 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
set -e

# Each test assembly ends with "Passed!  - Failed: F, Passed: P, Skipped: S, Total: T"; add them up.
read -r passed failed skipped < <(grep -E '^(Passed|Failed|Skipped)! +- ' "$log" |
  sed -E 's/.*Failed: *([0-9]+), Passed: *([0-9]+), Skipped: *([0-9]+).*/\2 \1 \3/' |
  awk '{p+=$1; f+=$2; s+=$3} END {print p+0, f+0, s+0}')
rm -f "$log"
echo "${passed} passed, ${failed} failed, ${skipped} skipped"
exit "$status"
