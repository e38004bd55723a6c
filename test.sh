#!/usr/bin/env bash
# The one test command (README.md): builds the solution and runs every test project.
# It does its own set-up, so a fresh machine with only the .NET SDK, node and npm needs nothing else:
# Azurite (the Azure Storage emulator; the Durable Task engine's Azure Storage backend is tested on it) is installed
# under .azurite/ (git-ignored) on first use, runs in memory for the length of the run, and is stopped at the end.
# The tests find it through ORDERS_AZURITE (a storage connection string).
set -euo pipefail
cd "$(dirname "$0")"
repo="$PWD"

# ---- Azurite: install if missing, start in the background (it starts while the solution builds) ----
azurite_version=3.37.0
azurite_dir=.azurite/tool
azurite_bin="$azurite_dir/node_modules/.bin/azurite"
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  echo "test.sh: node and npm are required: Azurite, the Azure Storage emulator the Durable engine tests run on, is a Node.js program. Install Node.js 20 or later (with npm) and run ./test.sh again." >&2
  exit 1
fi
installed=$(node -p "require('./$azurite_dir/node_modules/azurite/package.json').version" 2>/dev/null || true)
if [ ! -x "$azurite_bin" ] || [ "$installed" != "$azurite_version" ]; then
  echo "Installing Azurite $azurite_version under $azurite_dir (once)..."
  # npm can fail on a half-written tree (seen once in CI: ENOENT on a chdir into a nested node_modules); a second try
  # starts from an empty folder. Two failures in a row are reported as they are.
  npm_install() { npm install --no-save --no-audit --no-fund --loglevel=error --prefix "$azurite_dir" "azurite@$azurite_version" >/dev/null; }
  if ! npm_install; then
    echo "test.sh: 'npm install azurite@$azurite_version' failed; trying once more from an empty $azurite_dir" >&2
    rm -rf "$azurite_dir"
    if ! npm_install; then
      echo "test.sh: 'npm install azurite@$azurite_version' failed twice (see above); the Durable engine tests need it." >&2
      exit 1
    fi
  fi
fi

azurite_pid=""
azurite_run=""
stop_azurite() {
  if [ -n "$azurite_pid" ] && kill -0 "$azurite_pid" 2>/dev/null; then
    # It closes gracefully on TERM, but may linger on idle keep-alive connections: in memory, nothing is lost by KILL.
    kill "$azurite_pid" 2>/dev/null || true
    for _ in 1 2 3 4 5 6 7 8 9 10; do kill -0 "$azurite_pid" 2>/dev/null || break; sleep 0.3; done
    kill -KILL "$azurite_pid" 2>/dev/null || true
    wait "$azurite_pid" 2>/dev/null || true
  fi
  azurite_pid=""
  if [ -n "$azurite_run" ]; then rm -rf "$azurite_run"; fi
}
trap stop_azurite EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# Starts Azurite on blob/queue/table ports $1..$3 (0: any free port), in memory, from a scratch folder.
start_azurite() {
  stop_azurite
  azurite_run="$(mktemp -d)"
  (cd "$azurite_run" && exec "$repo/$azurite_bin" --silent --inMemoryPersistence --skipApiVersionCheck --loose \
    --blobHost 127.0.0.1 --queueHost 127.0.0.1 --tableHost 127.0.0.1 \
    --blobPort "$1" --queuePort "$2" --tablePort "$3" >"$azurite_run/azurite.log" 2>&1) &
  azurite_pid=$!
}

# Waits (30 s at most) until all three services listen and the blob port answers; prints the three ports.
wait_for_azurite() {
  local deadline=$((SECONDS + 30)) ports
  while [ "$SECONDS" -lt "$deadline" ]; do
    kill -0 "$azurite_pid" 2>/dev/null || return 1
    ports=$(sed -n 's/.*successfully listening at http:\/\/127\.0\.0\.1:\([0-9]*\).*/\1/p' "$azurite_run/azurite.log" | tr '\n' ' ')
    set -- $ports
    if [ "$#" -eq 3 ] && ! port_free "$1"; then echo "$1 $2 $3"; return 0; fi
    sleep 0.2
  done
  return 1
}

# The well-known ports (UseDevelopmentStorage=true) when free; otherwise (another Azurite, or another run of this
# script) free ports of Azurite's choosing, named in a full connection string with the emulator's public account key.
if port_free 10000 && port_free 10001 && port_free 10002; then start_azurite 10000 10001 10002; else start_azurite 0 0 0; fi

# ---- OpenAPI lint: the contract passes Redocly's recommended rules with no errors and no warnings ----
# @redocly/cli is installed under .redocly/ (git-ignored) on first use. Any error or warning fails the run here.
redocly_version=2.77.0
lint_openapi() {
  local dir=.redocly/tool bin=.redocly/tool/node_modules/.bin/redocly spec=src/Orders.Contracts/apis/orders.v1.yaml installed report
  installed=$(node -p "require('./$dir/node_modules/@redocly/cli/package.json').version" 2>/dev/null || true)
  if [ ! -x "$bin" ] || [ "$installed" != "$redocly_version" ]; then
    echo "Installing @redocly/cli $redocly_version under $dir (once)..."
    if ! npm install --no-save --no-audit --no-fund --loglevel=error --prefix "$dir" "@redocly/cli@$redocly_version" >/dev/null; then
      echo "test.sh: 'npm install @redocly/cli@$redocly_version' failed (see above); the OpenAPI lint needs it." >&2
      return 1
    fi
  fi
  report=$("$bin" lint --extends recommended --format=json "$spec" 2>/dev/null || true)
  if ! node -e '
    const r = JSON.parse(process.argv[1]); const t = r.totals;
    if (t.errors === 0 && t.warnings === 0) { console.log(`OpenAPI lint (Redocly ${r.version}, recommended): 0 errors, 0 warnings`); process.exit(0); }
    console.error(`OpenAPI lint (Redocly ${r.version}, recommended): ${t.errors} errors, ${t.warnings} warnings`);
    for (const p of r.problems) console.error(`  ${p.severity} ${p.ruleId}: ${p.message} at ${(p.location[0]||{}).pointer}`);
    process.exit(1);' "$report" 2>&1; then
    echo "test.sh: $spec does not pass the lint (details: $bin lint --extends recommended $spec)." >&2
    return 1
  fi
}
lint_openapi

# ---- Chromium for the browser test (tests/Orders.Browser.Tests): Debian's package, installed with apt when missing ----
# Playwright drives it through ExecutablePath and never downloads a browser. If it cannot be installed the test reports
# itself skipped; with CI=true that fails the run (below).
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
chromium_bin="${ORDERS_CHROMIUM:-$(command -v chromium || true)}"
if [ -z "$chromium_bin" ]; then
  echo "Installing Debian's chromium for the browser test (apt-get, once)..."
  apt_get=(apt-get); [ "$(id -u)" -ne 0 ] && command -v sudo >/dev/null 2>&1 && apt_get=(sudo -n apt-get)
  if command -v apt-get >/dev/null 2>&1; then
    DEBIAN_FRONTEND=noninteractive "${apt_get[@]}" install -y --no-install-recommends chromium >/dev/null 2>&1 \
      || { DEBIAN_FRONTEND=noninteractive "${apt_get[@]}" update >/dev/null 2>&1 \
           && DEBIAN_FRONTEND=noninteractive "${apt_get[@]}" install -y --no-install-recommends chromium >/dev/null 2>&1; } || true
  fi
  chromium_bin="$(command -v chromium || true)"
fi
if [ -n "$chromium_bin" ]; then
  export ORDERS_CHROMIUM="$chromium_bin"
  echo "Chromium for tests/Orders.Browser.Tests: $chromium_bin ($("$chromium_bin" --version 2>/dev/null | tail -1))"
else
  echo "No chromium (apt-get install -y --no-install-recommends chromium failed or apt-get is missing): tests/Orders.Browser.Tests will be skipped." >&2
fi
export ORDERS_BROWSER_ARTIFACTS="$repo/artifacts/browser"

dotnet build Orders.Functions.sln -c Release -nologo -clp:ErrorsOnly

if ! ports=$(wait_for_azurite); then
  start_azurite 0 0 0 # the well-known ports were taken meanwhile: one more try on free ports
  if ! ports=$(wait_for_azurite); then
    echo "test.sh: Azurite did not start within 30 s:" >&2
    cat "$azurite_run/azurite.log" >&2 || true
    exit 1
  fi
fi
read -r blob_port queue_port table_port <<<"$ports"
if [ "$blob_port $queue_port $table_port" = "10000 10001 10002" ]; then
  export ORDERS_AZURITE="UseDevelopmentStorage=true"
else
  account=devstoreaccount1
  key="Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=="
  export ORDERS_AZURITE="DefaultEndpointsProtocol=http;AccountName=$account;AccountKey=$key;BlobEndpoint=http://127.0.0.1:$blob_port/$account;QueueEndpoint=http://127.0.0.1:$queue_port/$account;TableEndpoint=http://127.0.0.1:$table_port/$account;"
fi
echo "Azurite $azurite_version is listening on 127.0.0.1:$blob_port/$queue_port/$table_port (blob/queue/table) for this run."

# The function app's end-to-end suite runs under a real Functions host: `func` on PATH, or ORDERS_FUNCTIONS_HOST (a
# folder with func-start; .ci/run sets it). Without one it is skipped, saying why; with CI=true a skip fails the run.
if [ -n "${ORDERS_FUNCTIONS_HOST:-}" ]; then
  export ORDERS_FUNCTIONS_HOST="$(cd "$ORDERS_FUNCTIONS_HOST" && pwd)"
  echo "Functions host for tests/Orders.FunctionHost.Tests: $ORDERS_FUNCTIONS_HOST"
elif command -v func >/dev/null 2>&1; then
  echo "Functions host for tests/Orders.FunctionHost.Tests: $(command -v func)"
else
  echo "No Functions host (no func on PATH, ORDERS_FUNCTIONS_HOST unset): tests/Orders.FunctionHost.Tests will be skipped."
fi

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
  # Skipped tests are results with outcome NotExecuted (the Counters element does not count them).
  s=$(grep -c 'outcome="NotExecuted"' "$f" || true); skipped=$((skipped + ${s:-0}))
done
echo "Tests: $passed passed, $failed failed, $skipped skipped"

# In CI two suites must have run, not been skipped: the function app under the real Functions host, and the operations
# page in a real browser. Absent or skipped fails the run, with the suite's own reason for skipping.
require_ran() { # <test project> <what was never done> <how to make it run> <what it proved>
  local trx
  trx=$(grep -l "$1" "$results"/*.trx 2>/dev/null | head -1 || true)
  if [ -z "$trx" ]; then
    echo "CI: tests/$1 did not run (no results): $2." >&2
    status=1
  elif grep -q 'outcome="NotExecuted"' "$trx"; then
    echo "CI: tests/$1 were skipped — $3. Why:" >&2
    grep -o '<Message>[^<]*</Message>' "$trx" | head -1 | sed 's/<[^>]*>//g' >&2 || true
    status=1
  else
    echo "CI: tests/$1 $4."
  fi
}
if [ "${CI:-}" = "true" ] || [ "${CI:-}" = "1" ]; then
  require_ran Orders.FunctionHost.Tests "the function app was never run under a Functions host" \
    "the function app must run under a Functions host in CI" "ran under the Functions host (none skipped)"
  require_ran Orders.Browser.Tests "the operations page was never opened in a browser" \
    "chromium must be installable in CI (apt-get install -y --no-install-recommends chromium)" \
    "ran in chromium (screenshots in artifacts/browser/)"
fi
if [ "$passed" -eq 0 ] && [ "$status" -eq 0 ]; then echo "no test ran"; exit 1; fi
exit "$status"
