#!/usr/bin/env bash
# Lighthouse scores of the portal (issue 6, 适老化/accessibility and performance):
#   1. lighthouse from npm (package.json + package-lock.json here; `npm ci` when node_modules is missing);
#   2. the host (Release build of src/GovData.Web, Production environment) on a free port of 127.0.0.1 with the demo data
#      on SQLite in a temporary data folder (GOVDATA__DATAFOLDER);
#   3. three pages: the portal home /portal, a search /portal/datasets?q=企业, and the page of a 无条件开放 dataset with
#      data (found through the open API: the first one whose `data` is not null), each with the mobile preset
#      (Lighthouse's default: Moto G Power, slow 4G, 4× CPU slowdown) and the desktop preset;
#   4. the scores (performance, accessibility, best practices, SEO) printed as a table, the failed audits of each page
#      listed; the JSON reports stay in the output folder (--out, default a temporary folder, printed);
#   5. the host stopped and the data folder removed.
# Chromium: Debian's /usr/bin/chromium (CHROME_PATH), headless, --no-sandbox (runs as root in the build container).
# Usage: bench/lighthouse/run.sh [--presets "mobile desktop"] [--out DIR] [--query 企业] [--dataset NAME] [--no-build]
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
HERE=$ROOT/bench/lighthouse
PRESETS="mobile desktop" OUT="" QUERY=企业 DATASET="" BUILD=1
while [[ $# -gt 0 ]]; do
  case "$1" in
    --presets) PRESETS=$2; shift 2 ;;
    --out) OUT=$2; shift 2 ;;
    --query) QUERY=$2; shift 2 ;;
    --dataset) DATASET=$2; shift 2 ;;
    --no-build) BUILD=0; shift ;;
    *) echo "未知参数：$1" >&2; exit 2 ;;
  esac
done
export CHROME_PATH=${CHROME_PATH:-/usr/bin/chromium}
[[ -x $CHROME_PATH ]] || { echo "找不到 Chromium：$CHROME_PATH（设置 CHROME_PATH）" >&2; exit 1; }
[[ -d $HERE/node_modules/lighthouse ]] || (cd "$HERE" && npm ci --no-audit --no-fund >/dev/null)
LIGHTHOUSE=$HERE/node_modules/.bin/lighthouse
WEB_DLL=$ROOT/src/GovData.Web/bin/Release/net10.0/GovData.Web.dll

if [[ $BUILD == 1 ]]; then
  echo "构建 src/GovData.Web（Release）"
  dotnet build -c Release "$ROOT/src/GovData.Web" -nologo -v q 2>&1 | grep -E " error |错误" && exit 1 || true
fi

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'; }
WORK=$(mktemp -d /tmp/govdata-lighthouse-XXXXXX)
[[ -n $OUT ]] || OUT=$WORK/reports
mkdir -p "$OUT"
HOST_PID=""
cleanup() {
  if [[ -n $HOST_PID ]] && kill -0 "$HOST_PID" 2>/dev/null; then kill "$HOST_PID"; wait "$HOST_PID" 2>/dev/null || true; fi
  if [[ $OUT == $WORK/* ]]; then rm -rf "$WORK/data" "$WORK/host.log"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT

mkdir -p "$WORK/data"
PORT=$(free_port)
URL=http://127.0.0.1:$PORT
# Content root = the project folder (as `dotnet run`): wwwroot (the host's scripts, ECharts under lib/) is served from there.
(cd "$ROOT/src/GovData.Web" && exec env DOTNET_ENVIRONMENT=Production ASPNETCORE_ENVIRONMENT=Production \
  GOVDATA__DATAFOLDER="$WORK/data" GOVDATA__CONNECTIONSTRING="Data Source=$WORK/data/govdata.db" \
  GOVDATA__DATA__DEMOENTERPRISEROWS=2000 GOVDATA__JOBS__ENABLED=false Logging__LogLevel__Default=Warning \
  dotnet "$WEB_DLL" --urls "$URL" >"$WORK/host.log" 2>&1) &
HOST_PID=$!
echo "主机 $URL（演示数据，SQLite，数据目录 $WORK/data）启动中…"
for _ in $(seq 1 300); do
  curl -sf "$URL/health/ready" >/dev/null 2>&1 && break
  kill -0 "$HOST_PID" 2>/dev/null || { echo "主机未能启动：" >&2; cat "$WORK/host.log" >&2; exit 1; }
  sleep 1
done
curl -sf "$URL/health/ready" >/dev/null || { echo "主机 300 秒内未就绪" >&2; exit 1; }

if [[ -z $DATASET ]]; then
  DATASET=$(python3 - "$URL" <<'PY'
import json, sys, urllib.parse, urllib.request
base = sys.argv[1]
def get(path):
    with urllib.request.urlopen(base + path) as r:
        return json.load(r)
page = get("/api/v1/open/datasets?limit=100&open=" + urllib.parse.quote("无条件开放"))
for item in page["items"]:
    if item.get("rows") and get("/api/v1/open/datasets/" + item["name"]).get("data"):
        print(item["name"]); break
PY
)
  [[ -n $DATASET ]] || { echo "演示数据中没有带数据的无条件开放数据集" >&2; exit 1; }
fi
Q=$(python3 -c 'import sys, urllib.parse; print(urllib.parse.quote(sys.argv[1]))' "$QUERY")
PAGES=("home|$URL/portal" "search|$URL/portal/datasets?q=$Q" "dataset|$URL/portal/datasets/$DATASET")
# Warm-up: the first request of each page compiles its queries; Lighthouse should measure a running site.
for entry in "${PAGES[@]}"; do for _ in 1 2 3; do curl -sf -o /dev/null "${entry#*|}" || { echo "预热失败：${entry#*|}" >&2; exit 1; }; done; done

echo "# Lighthouse $("$LIGHTHOUSE" --version)，$("$CHROME_PATH" --version)，$(date -u '+%Y-%m-%d %H:%M UTC')，负载 $(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-8s %-8s %5s %5s %5s %5s  %s\n' 页面 预设 性能 无障碍 最佳实践 SEO 地址
for preset in $PRESETS; do
  for entry in "${PAGES[@]}"; do
    name=${entry%%|*} url=${entry#*|}
    report=$OUT/$name-$preset.json
    extra=()
    [[ $preset == desktop ]] && extra=(--preset=desktop)
    "$LIGHTHOUSE" "$url" "${extra[@]}" --quiet --output=json --output-path="$report" \
      --only-categories=performance,accessibility,best-practices,seo --locale=zh \
      --chrome-flags="--headless=new --no-sandbox --disable-gpu --disable-dev-shm-usage" >/dev/null 2>"$OUT/$name-$preset.log" \
      || { echo "Lighthouse 失败（$name $preset），见 $OUT/$name-$preset.log" >&2; tail -5 "$OUT/$name-$preset.log" >&2; continue; }
    node -e '
      const r = require(process.argv[1]); const c = r.categories;
      const s = k => c[k] && c[k].score !== null ? Math.round(c[k].score * 100) : "-";
      console.log([process.argv[2].padEnd(8), process.argv[3].padEnd(8), String(s("performance")).padStart(5), String(s("accessibility")).padStart(5),
        String(s("best-practices")).padStart(5), String(s("seo")).padStart(5), " " + process.argv[4]].join(" "));
      const failed = [];
      for (const [k, cat] of Object.entries(c)) for (const ref of cat.auditRefs) {
        const a = r.audits[ref.id];
        if (ref.weight > 0 && a.score !== null && a.score < 0.9) failed.push(`    ${k}: ${ref.id} ${a.score} ${a.displayValue || ""}`);
      }
      if (failed.length) console.log(failed.join("\n"));
    ' "$report" "$name" "$preset" "${url#$URL}"
  done
done
echo "报告：$OUT"
