-- Key lookup through the rows API: GET /api/v1/data/{code}/rows?{field}=<random existing key>&limit=1
-- with an API key. Used by bench/http/run-lookup.sh:
--   wrk -t2 -c16 -d30s --latency -s bench/http/lookup.lua http://127.0.0.1:PORT -- <keys file> <api key> <code %2F-encoded> <field> [extra query]
-- <keys file>: one existing key per line (URL-safe text, e.g. credit codes). [extra query] is appended as is, e.g. "&count=false".
-- Each wrk thread has its own Lua state: init() runs once per thread and reads the keys into it.

local keys = {}
local count = 0
local prefix, suffix, headers

function init(args)
  if #args < 4 then
    error("usage: -- <keys file> <api key> <code> <field> [extra query]")
  end
  for line in io.lines(args[1]) do
    if #line > 0 then
      count = count + 1
      keys[count] = line
    end
  end
  if count == 0 then error("no keys in " .. args[1]) end
  headers = { ["X-Api-Key"] = args[2], ["Accept"] = "application/json" }
  prefix = "/api/v1/data/" .. args[3] .. "/rows?" .. args[4] .. "="
  suffix = "&limit=1" .. (args[5] or "")
  -- a different sequence per thread
  math.randomseed(os.time() + count + tonumber(tostring(keys):match("0x(%x+)") or "0", 16) % 100000)
end

function request()
  return wrk.format("GET", prefix .. keys[math.random(count)] .. suffix, headers)
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
