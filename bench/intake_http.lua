-- wrk script of bench/bench_intake_http.py: every request distinct, every answer counted.
--
-- Configured by environment variables (read by every thread):
--   BENCH_BODIES       a file of request bodies, one a line; "{n}" in a line becomes the request's number
--   BENCH_FIRST        the number of the first request (a run after the warm-up goes on from its `next`)
--   BENCH_THREADS      wrk's -t, so that threads number their requests without overlap
--   BENCH_METHOD, BENCH_PATH
--   BENCH_HEADERS      "Name: value" lines sent with every request
--   BENCH_IDEMPOTENCY  when set, an Idempotency-Key header per request: its value then "-" and the number
--   BENCH_CAPTURE      a Lua pattern; its first capture in each 2xx answer's body is kept (the ticket's number)
--   BENCH_OUT          the file done() writes its JSON summary to
--
-- Thread i (from 0) of T sends requests number FIRST + i, FIRST + i + T, ...; request n carries body
-- line n (modulo the file's length) with "{n}" replaced by n.

local threads = {}

function setup(thread)
  thread:set("index", #threads)
  table.insert(threads, thread)
end

function init(args)
  bodies = {}
  for line in io.lines(os.getenv("BENCH_BODIES")) do
    local a, b = line:find("{n}", 1, true)
    if a then
      bodies[#bodies + 1] = {line:sub(1, a - 1), line:sub(b + 1)}
    else
      bodies[#bodies + 1] = {line}
    end
  end
  pool = #bodies
  first = tonumber(os.getenv("BENCH_FIRST") or "0")
  step = tonumber(os.getenv("BENCH_THREADS") or "1")
  method = os.getenv("BENCH_METHOD") or "POST"
  path = os.getenv("BENCH_PATH") or "/"
  idempotency = os.getenv("BENCH_IDEMPOTENCY")
  capture = os.getenv("BENCH_CAPTURE")
  headers = {}
  for name, value in (os.getenv("BENCH_HEADERS") or ""):gmatch("([^:\n]+):%s*([^\n]*)") do
    headers[name] = value
  end
  sent, answered, ok, last = 0, 0, 0, -1
  captured, statuses, sample = {}, {}, ""
end

function request()
  local n = first + index + step * sent
  sent = sent + 1
  last = n
  local parts = bodies[n % #bodies + 1]
  local body = parts[2] and (parts[1] .. n .. parts[2]) or parts[1]
  if idempotency then
    headers["Idempotency-Key"] = idempotency .. "-" .. n
  end
  return wrk.format(method, path, headers, body)
end

function response(status, hdrs, body)
  answered = answered + 1
  if status >= 200 and status < 300 then
    ok = ok + 1
    if capture then
      local value = body:match(capture)
      if value then captured[#captured + 1] = value end
    end
  else
    statuses[tostring(status)] = (statuses[tostring(status)] or 0) + 1
    if sample == "" then sample = status .. " " .. body:sub(1, 400) end
  end
end

local function quoted(text)
  return '"' .. text:gsub('[%c"\\]', function(c) return string.format("\\u%04x", c:byte()) end) .. '"'
end

function done(summary, latency, requests)
  local total = {sent = 0, answered = 0, ok = 0}
  local next_n, pool, values, codes, failure = 0, 0, {}, {}, ""
  for _, thread in ipairs(threads) do
    for key in pairs(total) do total[key] = total[key] + thread:get(key) end
    next_n = math.max(next_n, thread:get("last") + 1)
    for _, value in ipairs(thread:get("captured")) do values[#values + 1] = quoted(value) end
    for code, count in pairs(thread:get("statuses")) do codes[code] = (codes[code] or 0) + count end
    if failure == "" then failure = thread:get("sample") end
    pool = thread:get("pool")
  end
  local status_parts = {}
  for code, count in pairs(codes) do status_parts[#status_parts + 1] = quoted(code) .. ": " .. count end
  local e = summary.errors
  local out = io.open(os.getenv("BENCH_OUT"), "w")
  out:write("{", table.concat({
    '"seconds": ' .. summary.duration / 1e6,
    '"sent": ' .. total.sent, '"answered": ' .. total.answered, '"ok": ' .. total.ok,
    '"non_2xx": ' .. (total.answered - total.ok),
    '"statuses": {' .. table.concat(status_parts, ", ") .. "}",
    '"socket_errors": ' .. (e.connect + e.read + e.write + e.timeout),
    '"timeouts": ' .. e.timeout,
    '"p50_ms": ' .. latency:percentile(50) / 1000, '"p95_ms": ' .. latency:percentile(95) / 1000,
    '"p99_ms": ' .. latency:percentile(99) / 1000,
    '"next": ' .. next_n, '"pool": ' .. pool,
    '"failure_sample": ' .. quoted(failure),
    '"captured": [' .. table.concat(values, ", ") .. "]",
  }, ", "), "}\n")
  out:close()
end
