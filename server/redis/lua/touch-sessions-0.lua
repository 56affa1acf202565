--[[
  Writes a node's buffered activity: for each open session, last activity moves forward to the
  given time (never back). Appends one "updated" change for the sessions that moved.

  ARGV[1] key prefix, then pairs ARGV[2k] session id, ARGV[2k+1] activity time (ms)

  Returns the number of sessions updated.
]]
--- @include "changes"

local prefix = ARGV[1]
local updated = {}
for i = 2, #ARGV, 2 do
  local key = prefix .. ':session:' .. ARGV[i]
  local at = tonumber(ARGV[i + 1])
  local current = redis.call('HGET', key, 'lastActivityAt')
  if current and at > tonumber(current) then
    redis.call('HSET', key, 'lastActivityAt', at)
    table.insert(updated, sessionRaw(prefix, ARGV[i]))
  end
end
if #updated > 0 then appendChange(prefix, { u = updated }) end
return #updated
