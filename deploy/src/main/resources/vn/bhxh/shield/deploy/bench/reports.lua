-- wrk script of the benchmark's closed-loop HTTP figures (ingest alone, and the trivial endpoint).
-- Arguments after "--": seed, bodies file, Idempotency-Key prefix.
-- The bodies file holds one request a line, "<Authorization>\t<JSON body>", written by the benchmark from its
-- report generator (the realistic mix) before the run, so wrk spends its time on HTTP, not on making reports.
-- Every request gets its own Idempotency-Key (prefix, thread, counter) and a body drawn at random; each thread's
-- generator is seeded with seed + thread id: the runs differ (the benchmark passes bench.seed + run number) but
-- repeat exactly.

local threads = {}

function setup(thread)
   table.insert(threads, thread)
   thread:set("id", #threads)
end

local auths = {}
local bodies = {}
local prefix
local sent = 0
-- Per-thread status counts, summed by done() (wrk's summary only counts non-2xx/3xx together).
s202, s400, sother = 0, 0, 0

function init(args)
   math.randomseed(tonumber(args[1]) + id)
   prefix = args[3] .. "-" .. id .. "-"
   for line in io.lines(args[2]) do
      local tab = line:find("\t", 1, true)
      auths[#auths + 1] = line:sub(1, tab - 1)
      bodies[#bodies + 1] = line:sub(tab + 1)
   end
end

function request()
   sent = sent + 1
   local i = math.random(#bodies)
   return wrk.format("POST", nil, {
      ["Authorization"] = auths[i],
      ["Content-Type"] = "application/json",
      ["Idempotency-Key"] = prefix .. sent,
   }, bodies[i])
end

function response(status, headers, body)
   if status == 202 then
      s202 = s202 + 1
   elseif status == 400 then
      s400 = s400 + 1
   else
      sother = sother + 1
   end
end

-- One JSON line the benchmark parses: counts, and the latency percentiles in microseconds.
function done(summary, latency, requests)
   local c202, c400, cother = 0, 0, 0
   for _, thread in ipairs(threads) do
      c202 = c202 + thread:get("s202")
      c400 = c400 + thread:get("s400")
      cother = cother + thread:get("sother")
   end
   local e = summary.errors
   io.write(string.format('WRK_RESULT {"requests":%d,"durationUs":%d,"status202":%d,"status400":%d,'
         .. '"statusOther":%d,"connectErrors":%d,"readErrors":%d,"writeErrors":%d,"timeouts":%d,'
         .. '"p50Us":%d,"p90Us":%d,"p99Us":%d,"p999Us":%d,"maxUs":%d}\n',
         summary.requests, summary.duration, c202, c400, cother, e.connect, e.read, e.write, e.timeout,
         latency:percentile(50), latency:percentile(90), latency:percentile(99), latency:percentile(99.9),
         latency.max))
end
