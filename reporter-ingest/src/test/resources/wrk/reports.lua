-- wrk load for POST /api/v1/reports: every request its own Idempotency-Key and body (a hotline report of one or two
-- scam numbers, spelled as people type them, sometimes a link), as an operator of the local stack sends it.
--   wrk -t2 -c16 -d30s -s reporter-ingest/src/test/resources/wrk/reports.lua http://localhost:8080
-- Environment: INGEST_TOKEN (default the local stack's dev operator token).
-- Each thread seeds its own generator from the clock and its id: without a seed every run would replay the keys of
-- the last one, and ingest would answer them from its idempotency ledger without writing anything.

local token = os.getenv("INGEST_TOKEN") or "dev-operator-token"
local provinces = {"ha-noi", "ho-chi-minh", "da-nang", "hai-phong", "can-tho", "Hà Nội", "Thanh Hoa", "Nghệ An",
                   "Quang Ninh", "Lâm Đồng", "Gia Lai", "Đắk Lắk", "Khánh Hòa", "Ca Mau", "An Giang"}
local contacts = {"CALL", "SMS", "ZALO", "FACEBOOK", "OTHER"}
local requests = {"OTP", "PASSWORD", "MONEY_TRANSFER", "PERSONAL_DATA", "CLICK_LINK"}
local notes = {
  "Tự xưng cán bộ BHXH, đòi mã OTP để cập nhật thẻ BHYT",
  "Gọi nói sổ BHXH bị khóa, yêu cầu chuyển tiền để mở",
  "Nhắn tin kèm đường link cài VssID giả",
  "Mời mua lại sổ BHXH với giá cao, đòi ảnh CCCD",
  "Giả danh nhân viên BHXH huyện, hẹn đến nhà thu tiền"}
local prefixes = {32, 33, 34, 35, 36, 37, 38, 39, 56, 58, 70, 76, 77, 78, 79, 81, 83, 84, 85, 86, 88, 90, 91, 93, 94,
                  96, 97, 98}

local threads = {}
local counter = 0

function setup(thread)
  counter = counter + 1
  thread:set("id", counter)
  table.insert(threads, thread)
end

function init(args)
  math.randomseed(os.time() * 1000 + id)
  -- os.time() is in seconds: two runs within a second would share a seed, so the process's clock adds to it.
  for _ = 1, (os.clock() * 1e6) % 997 do math.random() end
  run = string.format("%x%x", os.time(), math.random(0, 0xfffffff))
  sent = 0
end

local function pick(list) return list[math.random(#list)] end

-- A mobile number; a few hundred thousand of them, so some numbers are reported more than once.
local function number()
  local nsn = string.format("%d%07d", pick(prefixes), math.random(0, 9999) * 997 % 10000000)
  local form = math.random(4)
  if form == 1 then return "0" .. nsn
  elseif form == 2 then return "0" .. nsn:sub(1, 2) .. " " .. nsn:sub(3, 5) .. " " .. nsn:sub(6)
  elseif form == 3 then return "+84 " .. nsn
  else return "0" .. nsn:sub(1, 2) .. "." .. nsn:sub(3, 5) .. "." .. nsn:sub(6) end
end

local function list(items)
  local quoted = {}
  for i, item in ipairs(items) do quoted[i] = '"' .. item .. '"' end
  return "[" .. table.concat(quoted, ",") .. "]"
end

request = function()
  sent = sent + 1
  local phones = {number()}
  if math.random(3) == 1 then phones[2] = number() end
  local urls = {}
  if math.random(5) == 1 then urls[1] = string.format("hxxps://bhxh-%x[.]online/cap-nhat", math.random(0, 4095)) end
  local body = string.format(
    '{"channel":"HOTLINE","reporterId":"09%08d","province":"%s","contactMethod":"%s","phoneNumbers":%s,'
      .. '"urls":%s,"requested":["%s"],"notes":"%s","occurredAt":"%s","sourceReference":"wrk-%s-%d-%d"}',
    math.random(0, 99999999), pick(provinces), pick(contacts), list(phones), list(urls), pick(requests),
    pick(notes), os.date("!%Y-%m-%dT%H:%M:%SZ", os.time() - math.random(0, 3600)), run, id, sent)
  return wrk.format("POST", "/api/v1/reports", {
    ["Content-Type"] = "application/json",
    ["Authorization"] = "Bearer " .. token,
    ["Idempotency-Key"] = string.format("wrk-%s-%d-%d", run, id, sent),
  }, body)
end

statuses = {}
response = function(status)
  statuses[status] = (statuses[status] or 0) + 1
end

function done(summary, latency, requests)
  io.write(string.format("requests %d, errors: connect %d read %d write %d status %d timeout %d\n",
    summary.requests, summary.errors.connect, summary.errors.read, summary.errors.write, summary.errors.status,
    summary.errors.timeout))
  local total = {}
  for _, thread in ipairs(threads) do
    for status, n in pairs(thread:get("statuses")) do total[status] = (total[status] or 0) + n end
  end
  for status, n in pairs(total) do io.write(string.format("status %d: %d\n", status, n)) end
  for _, p in ipairs({50, 90, 99}) do
    io.write(string.format("latency p%d %.2f ms\n", p, latency:percentile(p) / 1000))
  end
end
