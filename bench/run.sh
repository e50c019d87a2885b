#!/usr/bin/env bash
# Benchmarks, one command: ./bench/run.sh [server|otp|oidc|signin|validate|stores|tokens|faults]  (all by default). Prints tables; quote medians.
#   server: start-up time to the first 200 on /healthz (empty and existing SQLite database), idle RSS,
#           login-page requests per second (wrk, 2 threads, 32 connections, 10 s).
#   otp:    BenchmarkDotNet: one TOTP code for a user with 10 devices, and its parts.
#   oidc:   wrk against Idp (Kestrel, PostgreSQL) and node's oidc-provider side by side: discovery, JWKS, token
#           (client_credentials, refresh_token), userinfo. Needs PostgreSQL server binaries, node and wrk.
#   signin: full sign-ins over HTTP (password, one-time code, authorization code, token) with distinct users:
#           per second with 8 at a time, and the median of one at a time, against the password-hashing ceiling.
#   validate: /validate/check and RADIUS PAP (password‖code, distinct users): p50/p99 one at a time, per second and
#           p50/p99 with 8 at a time, beside the cost of one password hash; then, after 2,000 checks of warm-up, what
#           a check costs beyond its hash. `dotnet bench/Idp.Bench/bin/Release/net10.0/Idp.Bench.dll validate hashless
#           [N] [WARMUP]` prints only that, with the median of every 250 checks on the way (about a minute).
#   stores: people from a local slapd (LDAP without a connection pool, pooled with the caches off, pooled with them on)
#           beside built-in ones: the median lookup of a login, full sign-ins (password, then code) one at a time and
#           per second 8 at a time. Needs slapd (./test.sh installs it).
#   tokens: the hardware token pool at 10,000 tokens (1,000 assigned): the median of listings and searches over
#           /api/admin/tokens, on SQLite and PostgreSQL, and the import of the file.
#   faults: the fault drill of tests/Idp.Tests/Operations/FaultTests with a 10 s PostgreSQL outage (FAULT_OUTAGE):
#           PostgreSQL restarted under load on two nodes, a synchronous standby promoted and the primary killed, a
#           node lost between the password and the code. Each row: requests, refused with 503, other 5xx, seconds
#           from the database's return to the first successful refresh, acknowledged writes lost. RUNS times.
set -euo pipefail
cd "$(dirname "$0")/.."
what="${1:-all}"
runs="${RUNS:-5}"

median() { sort -n | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

server_bench() {
  command -v wrk >/dev/null || { [ "$(id -u)" = 0 ] && apt-get install -y -qq wrk >/dev/null; } || { echo "install wrk: sudo apt-get install wrk" >&2; exit 1; }
  local dll work port
  pid=""
  elapsed=0
  work="$(mktemp -d)"
  # Measured as deployed: published, ReadyToRun (see README), framework-dependent.
  dotnet publish src/Idp -c Release -r linux-x64 --self-contained false -p:PublishReadyToRun=true -o "$work/app" -v quiet -nologo >/dev/null
  dll="$work/app/Idp.dll"
  trap 'kill $pid 2>/dev/null || true; rm -rf "$work"' RETURN
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  export ASPNETCORE_ENVIRONMENT=Production Idp__Issuer="http://127.0.0.1:$port" Urls="http://127.0.0.1:$port" \
         Idp__Secrets__Key="$(head -c 32 /dev/urandom | base64)" Database__SqlitePath="$work/idp.db" \
         Logging__LogLevel__Default=Warning

  # Sets pid and elapsed (ms from spawn to the first 200 on /healthz).
  start_once() {
    local t0 t1
    t0=$(date +%s%N)
    dotnet "$dll" >"$work/server.log" 2>&1 &
    pid=$!
    until curl -sf "http://127.0.0.1:$port/healthz" >/dev/null 2>&1; do
      kill -0 "$pid" 2>/dev/null || { cat "$work/server.log" >&2; exit 1; }
      sleep 0.01
    done
    t1=$(date +%s%N)
    elapsed=$(( (t1 - t0) / 1000000 ))
  }
  stop() { kill "$pid"; wait "$pid" 2>/dev/null || true; }

  local cold=() warm=()
  for _ in $(seq "$runs"); do rm -f "$work"/idp.db*; start_once; cold+=("$elapsed"); stop; done
  for _ in $(seq "$runs"); do start_once; warm+=("$elapsed"); stop; done

  start_once
  for _ in $(seq 20); do curl -sf "http://127.0.0.1:$port/account/login" >/dev/null; done
  sleep 3
  local rss
  rss=$(awk '/VmRSS/ { printf "%.0f", $2 / 1024 }' "/proc/$pid/status")
  local rps=()
  wrk -t2 -c32 -d3s "http://127.0.0.1:$port/account/login" >/dev/null # warm-up, discarded
  for _ in $(seq 3); do
    rps+=("$(wrk -t2 -c32 -d10s "http://127.0.0.1:$port/account/login" | awk '/Requests\/sec/ { print $2 }')")
  done
  stop

  echo
  echo "| server figure (median of runs)                 | value | target |"
  echo "|------------------------------------------------|------:|-------:|"
  printf "| start-up to first 200 /healthz, empty database | %s ms | < 2000 ms |\n" "$(printf '%s\n' "${cold[@]}" | median)"
  printf "| start-up to first 200 /healthz, existing db    | %s ms | < 2000 ms |\n" "$(printf '%s\n' "${warm[@]}" | median)"
  printf "| idle RSS after 20 page views                   | %s MB | <= 150 MB |\n" "$rss"
  printf "| login page GET, requests/s (wrk -t2 -c32 10s)  | %s | |\n" "$(printf '%s\n' "${rps[@]}" | median)"
  echo "(start-up runs: cold ${cold[*]} ms; warm ${warm[*]} ms; rps runs: ${rps[*]})"
}

otp_bench() {
  dotnet build bench/Idp.Bench -c Release -v quiet -nologo >/dev/null
  (cd bench/Idp.Bench && dotnet bin/Release/net10.0/Idp.Bench.dll --filter '*' --job short) | grep -E '^\|'
}

oidc_bench() {
  command -v wrk >/dev/null || { [ "$(id -u)" = 0 ] && apt-get install -y -qq wrk >/dev/null; } || { echo "install wrk: sudo apt-get install wrk" >&2; exit 1; }
  (cd bench/oidc && npm ci --no-audit --no-fund --loglevel=error)
  dotnet build bench/Idp.Bench -c Release -v quiet -nologo >/dev/null
  dotnet bench/Idp.Bench/bin/Release/net10.0/Idp.Bench.dll oidc "${SECONDS_PER_RUN:-10}" 40000
}

signin_bench() {
  dotnet build bench/Idp.Bench -c Release -v quiet -nologo >/dev/null
  dotnet bench/Idp.Bench/bin/Release/net10.0/Idp.Bench.dll signin 20 8 3000
  dotnet bench/Idp.Bench/bin/Release/net10.0/Idp.Bench.dll signin 10 1 1000
}

stores_bench() {
  dotnet build bench/Idp.Bench -c Release -v quiet -nologo >/dev/null
  dotnet bench/Idp.Bench/bin/Release/net10.0/Idp.Bench.dll stores 1500 5
}

validate_bench() {
  dotnet build bench/Idp.Bench -c Release -v quiet -nologo >/dev/null
  dotnet bench/Idp.Bench/bin/Release/net10.0/Idp.Bench.dll validate 200 10 8
}

tokens_bench() {
  dotnet build bench/Idp.Bench -c Release -v quiet -nologo >/dev/null
  dotnet bench/Idp.Bench/bin/Release/net10.0/Idp.Bench.dll tokens 10000 30
}

faults_bench() {
  local report
  report="$(mktemp)"
  for _ in $(seq "$runs"); do
    IDP_FAULT_REPORT="$report" IDP_FAULT_OUTAGE_SECONDS="${FAULT_OUTAGE:-10}" \
      dotnet test tests/Idp.Tests -c Release -v quiet -nologo --filter "FullyQualifiedName~Operations.FaultTests" >/dev/null
  done
  echo "| scenario | requests | refused (503) | other 5xx | recovery (s) | writes lost |"
  echo "|---|---|---|---|---|---|"
  sort "$report"
  rm -f "$report"
}

case "$what" in
  server) server_bench ;;
  otp) otp_bench ;;
  oidc) oidc_bench ;;
  signin) signin_bench ;;
  validate) validate_bench ;;
  stores) stores_bench ;;
  tokens) tokens_bench ;;
  faults) faults_bench ;;
  all) server_bench; otp_bench; oidc_bench; signin_bench; validate_bench; stores_bench; tokens_bench; faults_bench ;;
  *) echo "usage: bench/run.sh [server|otp|oidc|signin|validate|stores|tokens|faults]" >&2; exit 2 ;;
esac
