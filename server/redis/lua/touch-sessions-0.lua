--[[
  Writes a node's buffered activity: for each open session, last activity moves forward to the
  given time (never back). Appends one change listing the sessions that moved as id, time pairs
  ({ a = { id1, at1, id2, at2, ... } }), not their whole records: activity is most of the traffic,
  and each node's change feed fills in the rest of a session from what it already knows.

  ARGV[1] key prefix, then pairs ARGV[2k] session id, ARGV[2k+1] activity time (ms)

  Returns the number of sessions updated.
]]
--- @include "changes"

local prefix = ARGV[1]
local moved = {}
for i = 2, #ARGV, 2 do
  local key = prefix .. ':session:' .. ARGV[i]
  local at = tonumber(ARGV[i + 1])
  local current = redis.call('HGET', key, 'lastActivityAt')
  if current and at > tonumber(current) then
    redis.call('HSET', key, 'lastActivityAt', ARGV[i + 1])
    moved[#moved + 1] = ARGV[i]
    moved[#moved + 1] = ARGV[i + 1]
  end
end
if #moved > 0 then appendChange(prefix, { a = moved }) end
return #moved / 2
