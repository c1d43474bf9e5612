#!/usr/bin/env bash
# Runs fuzz targets for N seconds each and reports how deep they get
# (docs/fuzzing.md): executions, libFuzzer's coverage (`cov:`) at 10 s and
# at the end, crashes, and for the verifier how many inputs reached each
# verification step (vitale_verify::fuzzing, compiled under --cfg fuzzing).
#
#   fuzz/depth.sh [--seconds N] [--jobs J] [--log DIR] [TARGET...]
#
# Expects the targets built (`cargo +nightly fuzz build` in fuzz/) and the
# corpora and dictionaries seeded (`python3 fuzz/seed.py`). Runs the
# binaries directly (no cargo in the loop), J at a time, each with its
# dictionary, its corpus (which grows) and `-print_final_stats=1`. Exits 1
# if any target found a failing input (crash, leak, timeout, OOM): the
# input is in fuzz/artifacts/TARGET/.
set -euo pipefail
cd "$(dirname "$0")"

seconds=20
jobs=1
log_dir=""
targets=()
while [ $# -gt 0 ]; do
  case "$1" in
    --seconds) seconds="$2"; shift 2 ;;
    --jobs) jobs="$2"; shift 2 ;;
    --log) log_dir="$2"; shift 2 ;;
    -h|--help) sed -n '2,14p' "$0"; exit 0 ;;
    *) targets+=("$1"); shift ;;
  esac
done
# Where `cargo fuzz build` put the binaries: fuzz/target, or the
# CARGO_TARGET_DIR the build ran with (relative paths are from fuzz/).
bin_dir=${CARGO_TARGET_DIR:-target}/x86_64-unknown-linux-gnu/release
if [ ${#targets[@]} -eq 0 ]; then
  mapfile -t targets < <(sed -n 's/^name = "\(.*\)"$/\1/p' Cargo.toml | grep -v '^vitale-fuzz$')
fi
log_dir=${log_dir:-target/depth-$(date +%Y%m%d-%H%M%S)}
mkdir -p "$log_dir"

# Prefixes each line with the seconds since the fuzzer printed its first
# line, so that coverage can be read at 10 s.
stamp() {
  python3 -u -c '
import sys, time
t0 = None
for line in sys.stdin:
    now = time.monotonic()
    t0 = t0 if t0 is not None else now
    sys.stdout.write(f"{now - t0:8.2f} {line}")
'
}

run_one() {
  set -o pipefail
  local target=$1 log="$log_dir/$1.log"
  local dict=()
  [ -f "dict/$target.dict" ] && dict=("-dict=dict/$target.dict")
  mkdir -p "corpus/$target" "artifacts/$target"
  local status=0
  VITALE_FUZZ_STEPS="$PWD/$log_dir/$target.steps" \
    "$bin_dir/$target" "corpus/$target" "${dict[@]}" \
    -artifact_prefix="artifacts/$target/" -max_total_time="$seconds" \
    -rss_limit_mb=2048 -max_len=16384 -timeout=30 -print_final_stats=1 2>&1 \
    | stamp >"$log" || status=$?
  echo "$status" >"$log_dir/$target.status"
}
# The C code in the build (SQLite, bundled by libsqlite3-sys for
# vitale-store, which the facade, the agent and the C ABI link) is
# instrumented too: `cc` passes -fsanitize=address to GCC when rustc
# instruments for it. GCC's instrumented objects register two identical
# function-local `static const` tables of sqlite3.c (`aiOff`) at one
# merged address, which rustc's LLVM runtime reports at start-up as an
# odr-violation before any input runs. Rust has no one-definition rule
# to check, and both copies are the same constant: the check is off, the
# rest of AddressSanitizer (and the C code's instrumentation) stays on.
ASAN_OPTIONS="detect_odr_violation=0${ASAN_OPTIONS:+:$ASAN_OPTIONS}"
export -f run_one stamp
export ASAN_OPTIONS
export log_dir seconds bin_dir

for target in "${targets[@]}"; do
  [ -x "$bin_dir/$target" ] || { echo "error: $bin_dir/$target is not built" >&2; exit 2; }
done
printf '%s\n' "${targets[@]}" | xargs -P "$jobs" -I{} bash -c 'run_one {}'

failed=0
printf '| target | execs | execs/s | cov@10s | cov@end | crashes |\n|---|---:|---:|---:|---:|---:|\n'
for target in "${targets[@]}"; do
  log="$log_dir/$target.log"
  execs=$(sed -n 's/.*stat::number_of_executed_units: *\([0-9]*\).*/\1/p' "$log" | tail -1)
  rate=$(sed -n 's/.*stat::average_exec_per_sec: *\([0-9]*\).*/\1/p' "$log" | tail -1)
  cov10=$(awk '$1 <= 10 && match($0, /cov: [0-9]+/) { v = substr($0, RSTART + 5, RLENGTH - 5) } END { print v }' "$log")
  cov_end=$(awk 'match($0, /cov: [0-9]+/) { v = substr($0, RSTART + 5, RLENGTH - 5) } END { print v }' "$log")
  crashes=$(find "artifacts/$target" -maxdepth 1 -type f \
    \( -name 'crash-*' -o -name 'leak-*' -o -name 'timeout-*' -o -name 'oom-*' \) | wc -l)
  if [ "$crashes" -gt 0 ] || grep -q -E '==[0-9]+==ERROR|panicked at|deadly signal' "$log"; then
    failed=1
    [ "$crashes" -gt 0 ] || crashes="see log"
  fi
  printf '| %s | %s | %s | %s | %s | %s |\n' "$target" "${execs:-?}" "${rate:-?}" "${cov10:-?}" "${cov_end:-?}" "$crashes"
done
for target in "${targets[@]}"; do
  steps="$log_dir/$target.steps"
  if [ -s "$steps" ]; then
    printf '\n%s: inputs that reached each verification step\n\n| step | inputs |\n|---|---:|\n' "$target"
    awk '{ printf "| %s | %s |\n", $1, $2 }' "$steps"
  fi
done
echo
echo "logs: fuzz/$log_dir"
if [ "$failed" -ne 0 ]; then
  echo "error: a fuzz target found a failing input (fuzz/artifacts/)" >&2
  exit 1
fi
