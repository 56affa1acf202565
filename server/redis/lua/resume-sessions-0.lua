--[[
  Sets prompted sessions back to active without touching their last activity: the prompt was
  answered by activity, or idle termination was switched off. Sessions that are not prompted (or
  not open) are left alone. Appends one "updated" change for the sessions it resumed.

  ARGV[1] key prefix, then ARGV[2..] session ids

  Returns the ids of the sessions it resumed.
]]
--- @include "changes"

local prefix = ARGV[1]
local resumed, updated = {}, {}
for i = 2, #ARGV do
  local key = prefix .. ':session:' .. ARGV[i]
  if redis.call('HGET', key, 'state') == 'prompted' then
    redis.call('HSET', key, 'state', 'active')
    redis.call('HDEL', key, 'promptedAt', 'respondBy')
    table.insert(resumed, ARGV[i])
    table.insert(updated, sessionRaw(prefix, ARGV[i]))
  end
end
if #updated > 0 then appendChange(prefix, { u = updated }) end
return resumed
