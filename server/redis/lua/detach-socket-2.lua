--[[
  Takes a socket of a session off a node's count. Appends an "updated" change when the session
  has no socket left anywhere.

  KEYS[1] session hash   KEYS[2] node presence hash
  ARGV[1] key prefix     ARGV[2] session id

  Returns the session's sockets left, or -1 when it is not open.
]]
--- @include "changes"

local onNode = tonumber(redis.call('HGET', KEYS[2], ARGV[2]) or '0')
if onNode <= 1 then redis.call('HDEL', KEYS[2], ARGV[2])
else redis.call('HINCRBY', KEYS[2], ARGV[2], -1) end
if redis.call('EXISTS', KEYS[1]) == 0 or onNode == 0 then return -1 end
local total = redis.call('HINCRBY', KEYS[1], 'sockets', -1)
if total <= 0 then
  redis.call('HSET', KEYS[1], 'sockets', 0)
  appendChange(ARGV[1], { u = { sessionRaw(ARGV[1], ARGV[2]) } })
  return 0
end
return total
