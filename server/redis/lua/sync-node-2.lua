--[[
  Sets a live node's share of every session's sockets to what the node really holds, and renews
  its heartbeat. A node runs it when Redis may have lost track of it: it was reaped as dead while
  alive (Redis was out of reach for longer than the node TTL), a count failed while Redis was
  down, or Redis restarted and may have lost its last second of writes. Sessions whose sockets
  change from none to some (or back) get an "updated" change.

  KEYS[1] nodes zset   KEYS[2] the node's presence hash
  ARGV[1] key prefix   ARGV[2] node id   ARGV[3] heartbeat time (ms)
  then pairs ARGV[2k+2] session id, ARGV[2k+3] sockets the node holds for it

  Returns the ids of sessions the node holds sockets for that are no longer open.
]]
--- @include "changes"

local prefix = ARGV[1]
redis.call('ZADD', KEYS[1], ARGV[3], ARGV[2])

local want = {}
for i = 4, #ARGV, 2 do want[ARGV[i]] = tonumber(ARGV[i + 1]) end
local had = {}
local flat = redis.call('HGETALL', KEYS[2])
for i = 1, #flat, 2 do
  had[flat[i]] = tonumber(flat[i + 1])
  if want[flat[i]] == nil then want[flat[i]] = 0 end
end

local updated, gone = {}, {}
for sid, n in pairs(want) do
  local key = prefix .. ':session:' .. sid
  local before = had[sid] or 0
  if redis.call('EXISTS', key) == 0 then
    redis.call('HDEL', KEYS[2], sid)
    if n > 0 then table.insert(gone, sid) end
  elseif n ~= before then
    local old = tonumber(redis.call('HGET', key, 'sockets') or '0')
    local total = math.max(old + n - before, 0)
    redis.call('HSET', key, 'sockets', total)
    if n > 0 then redis.call('HSET', KEYS[2], sid, n) else redis.call('HDEL', KEYS[2], sid) end
    if (old > 0) ~= (total > 0) then table.insert(updated, sessionRaw(prefix, sid)) end
  end
end
if #updated > 0 then appendChange(prefix, { u = updated }) end
return gone
