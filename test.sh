#!/usr/bin/env bash
# The one test command (README.md): builds the solution and runs every test project.
# It does its own set-up, so a fresh machine with only the .NET SDK, node and npm needs nothing else.
set -euo pipefail
cd "$(dirname "$0")"

dotnet build Orders.Functions.sln -c Release -nologo -clp:ErrorsOnly
results="$(mktemp -d)"
status=0
dotnet test Orders.Functions.sln -c Release --no-build -nologo \
  --logger "trx" --results-directory "$results" -- RunConfiguration.CollectSourceInformation=false || status=$?

# A closing line any reader understands: counts from the TRX files the runs wrote.
passed=0; failed=0; skipped=0
for f in "$results"/*.trx; do
  [ -f "$f" ] || continue
  c=$(grep -o '<Counters [^>]*>' "$f" | head -1)
  p=$(sed -n 's/.* passed="\([0-9]*\)".*/\1/p' <<<"$c"); passed=$((passed + ${p:-0}))
  x=$(sed -n 's/.* failed="\([0-9]*\)".*/\1/p' <<<"$c"); failed=$((failed + ${x:-0}))
  s=$(sed -n 's/.* notExecuted="\([0-9]*\)".*/\1/p' <<<"$c"); skipped=$((skipped + ${s:-0}))
done
echo "Tests: $passed passed, $failed failed, $skipped skipped"
if [ "$passed" -eq 0 ] && [ "$status" -eq 0 ]; then echo "no test ran"; exit 1; fi
exit "$status"
