#!/usr/bin/env bash
# Key-lookup benchmark: GET /api/v1/data/{code}/rows?{key field}=<random existing key>&limit=1 through the web host
# (Release, Kestrel on 127.0.0.1, API key) with wrk, against the limit — the same lookup in-process straight on the
# database (prepared SELECT by the indexed key column) at the same concurrency. Per engine:
#   1. a temporary data folder (SQLite file there, or a throwaway PostgreSQL 15 cluster on a free port, default settings);
#   2. govdata migrate + seed --demo (accounts, departments, the demo catalog with 企业法人库 102003/1);
#   3. a CSV of --rows valid rows for the resource's published items (bench lookup-file), loaded with govdata import;
#   4. an API key for admin (scope data:read) with govdata apikey create;
#   5. the host on a free port; wrk warm-up, then wrk --latency (count=true as clients send it by default, then count=false);
#   6. host stopped; bench lookup-limit on the database (EXPLAIN of the statements, then the timed loop);
#   7. everything stopped and removed (unless --keep).
# Usage: bench/http/run-lookup.sh [--engine sqlite|postgres|both] [--rows 1000000] [--connections 16] [--threads 2]
#                                 [--duration 30] [--code 102003/1] [--keep] [--no-build]
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
ENGINE=both ROWS=1000000 CONNECTIONS=16 THREADS=2 DURATION=30 CODE=102003/1 KEEP=0 BUILD=1
while [[ $# -gt 0 ]]; do
  case "$1" in
    --engine) ENGINE=$2; shift 2 ;;
    --rows) ROWS=$2; shift 2 ;;
    --connections) CONNECTIONS=$2; shift 2 ;;
    --threads) THREADS=$2; shift 2 ;;
    --duration) DURATION=$2; shift 2 ;;
    --code) CODE=$2; shift 2 ;;
    --keep) KEEP=1; shift ;;
    --no-build) BUILD=0; shift ;;
    *) echo "未知参数：$1" >&2; exit 2 ;;
  esac
done
CODE_PATH=${CODE//\//%2F}
PG_BIN=/usr/lib/postgresql/15/bin
WEB_DIR=$ROOT/src/GovData.Web/bin/Release/net10.0
CLI_DLL=$ROOT/tools/GovData.Cli/bin/Release/net10.0/GovData.Cli.dll
BENCH_DLL=$ROOT/bench/GovData.Bench/bin/Release/net10.0/GovData.Bench.dll

if [[ $BUILD == 1 ]]; then
  for p in src/GovData.Web tools/GovData.Cli bench/GovData.Bench; do
    echo "构建 $p（Release）"
    dotnet build -c Release "$ROOT/$p" -nologo -v q 2>&1 | grep -E "error|错误" && exit 1 || true
  done
fi

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'; }
loadavg() { cut -d' ' -f1-3 /proc/loadavg; }

WORK="" PGDATA="" HOST_PID=""
cleanup() {
  if [[ -n $HOST_PID ]] && kill -0 "$HOST_PID" 2>/dev/null; then kill "$HOST_PID"; wait "$HOST_PID" 2>/dev/null || true; fi
  HOST_PID=""
  if [[ -n $PGDATA && -d $PGDATA ]]; then
    runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$PGDATA" -m fast -w stop >/dev/null 2>&1 || true
    [[ $KEEP == 1 ]] || rm -rf "$PGDATA"
  fi
  PGDATA=""
  if [[ -n $WORK && -d $WORK ]]; then
    if [[ $KEEP == 1 ]]; then echo "保留：$WORK"; else rm -rf "$WORK"; fi
  fi
  WORK=""
}
trap cleanup EXIT

run_engine() {
  local engine=$1
  WORK=$(mktemp -d /tmp/govdata-bench-lookup-XXXXXX)
  echo
  echo "## $engine — $(date -u '+%Y-%m-%d %H:%M UTC')，负载 $(loadavg)"
  if [[ $engine == postgres ]]; then
    PGDATA=$(mktemp -d /tmp/govdata-bench-lookup-pg-XXXXXX)
    chown postgres:postgres "$PGDATA"
    local pgport; pgport=$(free_port)
    runuser -u postgres -- "$PG_BIN/initdb" -D "$PGDATA" -U postgres --auth=trust --encoding=UTF8 --locale=C.UTF-8 >/dev/null
    runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$PGDATA" -l "$PGDATA/server.log" -w \
      -o "-c listen_addresses=127.0.0.1 -p $pgport -k /tmp" start >/dev/null
    psql -X -q -h 127.0.0.1 -p "$pgport" -U postgres -d postgres -c "CREATE DATABASE govdata"
    echo "$("$PG_BIN/postgres" --version)，端口 $pgport，默认设置"
    export GOVDATA__CONNECTIONSTRING="Host=127.0.0.1;Port=$pgport;Username=postgres;Database=govdata"
  else
    export GOVDATA__CONNECTIONSTRING="Data Source=$WORK/govdata.db"
  fi
  export GOVDATA__DATAFOLDER=$WORK/data DOTNET_ENVIRONMENT=Production ASPNETCORE_ENVIRONMENT=Production
  cd "$WORK"

  dotnet "$CLI_DLL" migrate >/dev/null
  dotnet "$CLI_DLL" seed --demo >/dev/null
  local out field
  out=$(dotnet "$BENCH_DLL" lookup-file --code "$CODE" --rows "$ROWS" --out "$WORK/rows.csv" --keys "$WORK/keys.txt")
  echo "$out" | grep -v '^FIELD='
  field=$(echo "$out" | sed -n 's/^FIELD=//p')
  local t0=$SECONDS
  dotnet "$CLI_DLL" import "$CODE" "$WORK/rows.csv" --threshold 0 2>/dev/null | sed -n '1,6p'
  echo "govdata import：$((SECONDS - t0)) 秒（含进程启动）"
  local key
  key=$(dotnet "$CLI_DLL" apikey create --username admin --name 键查询基准 --scope data:read | tail -n1)

  local port; port=$(free_port)
  (cd "$WEB_DIR" && exec env Logging__LogLevel__Default=Warning GovData__Jobs__Enabled=false \
    dotnet GovData.Web.dll --urls "http://127.0.0.1:$port" >"$WORK/host.log" 2>&1) &
  HOST_PID=$!
  local url=http://127.0.0.1:$port
  for _ in $(seq 1 180); do
    curl -sf "$url/health/ready" >/dev/null 2>&1 && break
    kill -0 "$HOST_PID" 2>/dev/null || { echo "主机未能启动：" >&2; cat "$WORK/host.log" >&2; exit 1; }
    sleep 1
  done
  local probe
  probe=$(curl -s -H "X-Api-Key: $key" "$url/api/v1/data/$CODE_PATH/rows?$field=$(head -n1 "$WORK/keys.txt")&limit=1")
  echo "$probe" | grep -q '"total":1' || { echo "查询探测失败：$probe" >&2; exit 1; }
  curl -s -H "X-Api-Key: $key" "$url/api/v1/data/$CODE_PATH/rows?limit=0" | grep -o '"total":[0-9]*' | sed 's/^/当前版本行数 /'

  local lua=$ROOT/bench/http/lookup.lua
  wrk -t"$THREADS" -c"$CONNECTIONS" -d5s -s "$lua" "$url" -- "$WORK/keys.txt" "$key" "$CODE_PATH" "$field" >/dev/null
  echo "### HTTP：wrk -t$THREADS -c$CONNECTIONS -d${DURATION}s --latency（count=true，默认）负载 $(loadavg)"
  wrk -t"$THREADS" -c"$CONNECTIONS" -d"${DURATION}s" --latency -s "$lua" "$url" -- "$WORK/keys.txt" "$key" "$CODE_PATH" "$field"
  echo "### HTTP：同上，&count=false  负载 $(loadavg)"
  wrk -t"$THREADS" -c"$CONNECTIONS" -d"${DURATION}s" --latency -s "$lua" "$url" -- "$WORK/keys.txt" "$key" "$CODE_PATH" "$field" "&count=false"
  ps -o rss=,vsz= -p "$HOST_PID" | awk '{printf "主机进程常驻内存 %.0f MB\n", $1/1024}'
  kill "$HOST_PID"; wait "$HOST_PID" 2>/dev/null || true; HOST_PID=""

  echo "### 极限：进程内直接查询数据库（$CONNECTIONS 个连接）负载 $(loadavg)"
  dotnet "$BENCH_DLL" lookup-limit --code "$CODE" --keys "$WORK/keys.txt" --connections "$CONNECTIONS" --seconds "$DURATION"
  cd "$ROOT"
  cleanup
}

echo "# 键查询基准：$ROWS 行，资源 $CODE，wrk $THREADS 线程 $CONNECTIONS 连接 ${DURATION} 秒；$(nproc) 核，$(free -g | awk '/Mem:/{print $2}') GiB；$(dotnet --version) SDK；$(wrk --version 2>&1 | head -n1)"
case "$ENGINE" in
  sqlite) run_engine sqlite ;;
  postgres) run_engine postgres ;;
  both) run_engine sqlite; run_engine postgres ;;
  *) echo "--engine 应为 sqlite、postgres 或 both" >&2; exit 2 ;;
esac
