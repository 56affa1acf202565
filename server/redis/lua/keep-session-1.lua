--[[
  The user answered a prompt with "keep": a prompted session becomes active again, with the
  answer's time as its keep time and last activity, and an "updated" change is appended. For a
  session that is not prompted the answer is just activity (the caller's buffer records it).

  KEYS[1] session hash
  ARGV[1] key prefix   ARGV[2] session id   ARGV[3] now (ms)

  Returns 2 when the session was prompted and is active again, 1 when it is open and was not
  prompted, 0 when it is not open.
]]
--- @include "changes"

local state = redis.call('HGET', KEYS[1], 'state')
if not state then return 0 end
if state ~= 'prompted' then return 1 end

local now = tonumber(ARGV[3])
local last = tonumber(redis.call('HGET', KEYS[1], 'lastActivityAt') or '0')
if now > last then last = now end
redis.call('HSET', KEYS[1], 'state', 'active', 'keptAt', now, 'lastActivityAt', last)
redis.call('HDEL', KEYS[1], 'promptedAt', 'respondBy')
appendChange(ARGV[1], { u = { sessionRaw(ARGV[1], ARGV[2]) } })
return 2
