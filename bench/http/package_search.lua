-- CKAN package_search throughput: GET /api/3/action/package_search?q=<term>&rows=10, the terms given in turn.
-- Used by the portal harness (bench/GovData.Bench/Portal/PortalBenchmark.cs):
--   wrk -t2 -c16 -d10s --latency -s bench/http/package_search.lua http://127.0.0.1:PORT -- <term> [<term> ...]
-- Terms are passed percent-encoded. Each wrk thread has its own Lua state (init runs once per thread).

local paths = {}
local count = 0
local n = 0

function init(args)
  if #args < 1 then error("usage: -- <percent-encoded term> [...]") end
  for _, q in ipairs(args) do
    count = count + 1
    paths[count] = "/api/3/action/package_search?rows=10&q=" .. q
  end
  n = math.random(count)
end

function request()
  n = n % count + 1
  return wrk.format("GET", paths[n], { ["Accept"] = "application/json" })
end

-- One machine-readable line after wrk's own report (latency percentiles are in microseconds in wrk).
function done(summary, latency, requests)
  local seconds = summary.duration / 1e6
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout + summary.errors.status
  io.write(string.format("WRK requests=%d seconds=%.2f rps=%.0f p50_ms=%.3f p90_ms=%.3f p99_ms=%.3f max_ms=%.3f errors=%d non2xx=%d\n",
    summary.requests, seconds, summary.requests / seconds,
    latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000, latency.max / 1000,
    errors, summary.errors.status))
end
