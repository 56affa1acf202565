-- Appends one change to the change feed: a sequence number from the shared counter and a JSON
-- body { s = started[], u = updated[], e = ended[], usage = true }, in a capped stream that every
-- node tails to push deltas to its dashboards. Empty lists are left out (cjson would encode {}).
local function appendChange(prefix, change)
  local seq = redis.call('INCR', prefix .. ':seq')
  redis.call('XADD', prefix .. ':changes', 'MAXLEN', '~', '10000', '*',
    'seq', seq, 'd', cjson.encode(change))
  return seq
end

-- The stored fields of a session as a table (field -> string), or nil when it is not open.
local function sessionRaw(prefix, sid)
  local flat = redis.call('HGETALL', prefix .. ':session:' .. sid)
  if #flat == 0 then return nil end
  local raw = {}
  for i = 1, #flat, 2 do raw[flat[i]] = flat[i + 1] end
  raw['tokenHash'] = nil
  return raw
end
