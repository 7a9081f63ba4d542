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

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
dotnet build NodeDiffusion.sln -c Release -nologo -clp:ErrorsOnly

rm -rf TestResults
set +e
dotnet test NodeDiffusion.sln -c Release --no-build --logger trx --results-directory TestResults -- RunConfiguration.TestSessionTimeout=3600000
status=$?
set -e

passed=0; failed=0; total=0
for trx in TestResults/*.trx; do
  [ -f "$trx" ] || continue
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -n 1)
  get() { echo "$counters" | sed -n "s/.* $1=\"\([0-9]*\)\".*/\1/p"; }
  total=$((total + $(get total))); passed=$((passed + $(get passed))); failed=$((failed + $(get failed)))
done
skipped=$((total - passed - failed))
echo "${passed} passed, ${failed} failed, ${skipped} skipped"
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then
  echo "dotnet test exited with $status"
fi
exit "$status"
