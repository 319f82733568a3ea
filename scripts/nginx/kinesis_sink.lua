-- SPDX-License-Identifier: Apache-2.0
-- A Kinesis stand-in for benchmarks, run by nginx's lua module (content_by_lua_file):
-- PutRecords gets an answer built for the request, one entry per request entry,
-- each with the ShardId Kinesis would choose: the shard whose hash key range
-- holds the entry's ExplicitHashKey (decimal), else the MD5 of its PartitionKey
-- read as a big-endian 128-bit number. ListShards and DescribeStreamSummary get
-- canned answers that scripts/endpoints.sh wrote into the shard table; any
-- other target gets a 400. Nothing is stored: the sequence numbers are a counter.
--
-- The body is read as JSON far enough for that: the "Records" array of objects
-- whose members are strings; strings are skipped with string.find (a C loop),
-- so a 5 MiB body costs milliseconds. Key escapes \" \\ \/ \b \f \n \r \t and
-- \uXXXX (BMP) are decoded before hashing.
local shards = require("kinesis_sink_shards")  -- written by endpoints_start_nginx_stream

local find, sub, byte, char = string.find, string.sub, string.byte, string.char
local concat = table.concat
local md5_bin = ngx.md5_bin

local starts_bin = shards.starts_bin        -- 16-byte big-endian strings, ascending
local starts_decimal = shards.starts_decimal -- the same, decimal, no leading zeros
local ids = shards.ids
local count = #ids

-- Precomputed answer pieces per shard.
local entry_prefix = {}
for i = 1, count do
    entry_prefix[i] = '{"ShardId":"' .. ids[i] .. '","SequenceNumber":"4959033827149025660855969253836157109592157598913'
end

local function bad_request(message)
    ngx.status = 400
    ngx.header["Content-Type"] = "application/x-amz-json-1.1"
    ngx.say('{"__type":"SerializationException","message":"' .. message .. '"}')
    return ngx.exit(400)
end

-- Decimal strings without leading zeros compare as numbers by length, then bytes.
local function decimal_less(a, b)
    if #a ~= #b then return #a < #b end
    return a < b
end

-- The last i with starts[i] <= key (LuaJIT compares strings bytewise).
local function shard_of(key, starts, less)
    local lo, hi = 1, count
    while lo < hi do
        local mid = math.floor((lo + hi + 1) / 2)
        if less(key, starts[mid]) then hi = mid - 1 else lo = mid end
    end
    return lo
end
local function bytes_less(a, b) return a < b end

local escapes = { ['"'] = '"', ['\\'] = '\\', ['/'] = '/', b = '\b', f = '\f', n = '\n', r = '\r', t = '\t' }
local function unescape(s)
    if not find(s, "\\", 1, true) then return s end
    return (s:gsub("\\(u?)(%x?%x?%x?%x?)", function(u, hex)
        if u == "u" then
            local c = tonumber(hex, 16)
            if c < 0x80 then return char(c) end
            if c < 0x800 then return char(0xC0 + math.floor(c / 64), 0x80 + c % 64) end
            return char(0xE0 + math.floor(c / 4096), 0x80 + math.floor(c / 64) % 64, 0x80 + c % 64)
        end
        return nil
    end):gsub("\\(.)", escapes))
end

-- The position just past the string whose opening quote is at `pos`.
local function skip_string(body, pos)
    local at = pos + 1
    while true do
        local q = find(body, '[\\"]', at)
        if not q then return nil end
        if byte(body, q) == 34 then return q + 1 end
        at = q + 2
    end
end

local function put_records(body)
    local _, records_at = find(body, '"Records"%s*:%s*%[')
    if not records_at then return bad_request("no Records array") end
    local pos = records_at + 1
    local out = { '{"FailedRecordCount":0,"Records":[' }
    local n = 0
    while true do
        local _, e, c = find(body, "^%s*([{%]])", pos)
        if not e then return bad_request("bad Records array") end
        pos = e + 1
        if c == "]" then break end
        local key, ehk
        while true do
            local ks, ke, name = find(body, '^%s*"([^"]*)"%s*:%s*"', pos)
            if not ks then return bad_request("bad record entry") end
            local vend = skip_string(body, ke)
            if not vend then return bad_request("unterminated string") end
            if name == "PartitionKey" then
                key = unescape(sub(body, ke + 1, vend - 2))
            elseif name == "ExplicitHashKey" then
                ehk = sub(body, ke + 1, vend - 2)
            end
            local _, se, sep = find(body, "^%s*([,}])", vend)
            if not se then return bad_request("bad record entry") end
            pos = se + 1
            if sep == "}" then break end
        end
        local shard
        if ehk then
            shard = shard_of(ehk, starts_decimal, decimal_less)
        elseif key then
            shard = shard_of(md5_bin(key), starts_bin, bytes_less)
        else
            return bad_request("a record without PartitionKey")
        end
        n = n + 1
        out[n + 1] = (n > 1 and "," or "") .. entry_prefix[shard] .. string.format("%07d", n) .. '"}'
        local _, se, sep = find(body, "^%s*([,%]])", pos)
        if not se then return bad_request("bad Records array") end
        pos = se + 1
        if sep == "]" then break end
    end
    out[n + 2] = "]}"
    ngx.header["Content-Type"] = "application/x-amz-json-1.1"
    ngx.print(concat(out))
end

local target = ngx.var.http_x_amz_target
if target == "Kinesis_20131202.PutRecords" then
    ngx.req.read_body()
    local body = ngx.req.get_body_data()
    if not body then
        local file = ngx.req.get_body_file()
        if not file then return bad_request("no body") end
        local f = io.open(file, "rb")
        body = f:read("*a")
        f:close()
    end
    return put_records(body)
elseif target == "Kinesis_20131202.ListShards" then
    ngx.header["Content-Type"] = "application/x-amz-json-1.1"
    return ngx.print(shards.list_shards)
elseif target == "Kinesis_20131202.DescribeStreamSummary" then
    ngx.header["Content-Type"] = "application/x-amz-json-1.1"
    return ngx.print(shards.describe_stream_summary)
end
return bad_request("this sink answers PutRecords, ListShards and DescribeStreamSummary only")
