#!/usr/bin/env bash
# Runs Sluice's fuzz targets one after the other, one worker each, and prints per target the
# inputs tried, the time taken and the result. Go keeps an input that fails a target in the
# target package's testdata/fuzz/<Target>/: commit it, so `go test` replays it from then on.
#
#   bench/fuzz.sh                    # every target, 10^6 inputs each
#   FUZZTIME=10s bench/fuzz.sh       # a smoke run: 10 seconds each
#   bench/fuzz.sh Zip Glob           # only the targets whose package or name matches
#
# FUZZTIME is go test's -fuzztime: a count of inputs ("1000000x") or a duration ("10m").
# MAXTIME (e.g. "5m") stops a target still running after that long, as Ctrl-C does; its
# line then says "stopped" and gives the inputs it had tried.
# Extraction targets write files: TMPDIR defaults to /dev/shm where there is one.
set -euo pipefail
cd "$(dirname "$0")/.."

fuzztime=${FUZZTIME:-1000000x}
if [ -z "${TMPDIR:-}" ] && [ -d /dev/shm ] && [ -w /dev/shm ]; then
  export TMPDIR=/dev/shm
fi

# package target: every native fuzz target calling a parser directly.
targets=(
  "./api/sigv4 FuzzParseAuthorization"
  "./api/sigv4 FuzzVerify"
  "./api FuzzDecode"
  "./api/query FuzzForm"
  "./api/query FuzzSNSForm"
  "./hostevent FuzzParse"
  "./hostevent FuzzVerify"
  "./trigger FuzzV1Authenticate"
  "./hookserve FuzzV1Payload"
  "./trigger/filter FuzzJSONPath"
  "./trigger/filter FuzzWebhookRules"
  "./glob FuzzGlob"
  "./validate FuzzPipeline"
  "./provider/codebuild FuzzParseBuildspec"
  "./artifact/zipfile FuzzExtract"
  "./artifact/zipfile FuzzExtractEntries"
  "./policy FuzzParse"
  "./policy FuzzMatch"
  "./eventpattern FuzzCompileMatch"
  "./schedule FuzzParseNext"
  "./ruleeval FuzzCheck"
  "./ruleeval FuzzInWindow"
  "./api/restjson FuzzOperations"
)

# selected reports whether target $1 matches one of the patterns that follow (all when none).
selected() {
  local target=$1 p
  shift
  [ $# -eq 0 ] && return 0
  for p in "$@"; do
    [[ "$target" == *"$p"* ]] && return 0
  done
  return 1
}

log=$(mktemp)
trap 'rm -f "$log"' EXIT
summary=()
failed=0
for entry in "${targets[@]}"; do
  read -r pkg name <<<"$entry"
  selected "$pkg $name" "$@" || continue
  echo "== $pkg $name (-fuzztime=$fuzztime)"
  start=$(date +%s)
  result=PASS
  rc=0
  if [ -n "${MAXTIME:-}" ]; then
    timeout -s INT "$MAXTIME" go test -run='^$' -fuzz="^${name}\$" -fuzztime="$fuzztime" -parallel=1 "$pkg" >"$log" 2>&1 || rc=$?
  else
    go test -run='^$' -fuzz="^${name}\$" -fuzztime="$fuzztime" -parallel=1 "$pkg" >"$log" 2>&1 || rc=$?
  fi
  if [ $rc -eq 124 ] && grep -q '^PASS' "$log"; then
    result="PASS (stopped after $MAXTIME)"
  elif [ $rc -ne 0 ]; then
    result=FAIL
  fi
  secs=$(( $(date +%s) - start ))
  # The last progress line carries the total: "fuzz: elapsed: 93s, execs: 1000000 (…)".
  execs=$(grep -o 'execs: [0-9]*' "$log" | tail -1 | cut -d' ' -f2 || true)
  tail -3 "$log"
  if [ "$result" = FAIL ]; then
    failed=1
    grep -E 'Failing input written to|panic:|Error:' "$log" | head -5 || true
    result="FAIL ($(grep -o 'testdata/fuzz/[^ ]*' "$log" | head -1 || true))"
  fi
  summary+=("$(printf '%-22s %-26s %10s inputs %6ss  %s' "$pkg" "$name" "${execs:-0}" "$secs" "$result")")
done

echo
echo "== summary (-fuzztime=$fuzztime, -parallel=1)"
printf '%s\n' "${summary[@]}"
exit $failed
