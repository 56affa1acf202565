--[[
  Moves an account to another license type. Switching to named needs a free named seat.
  The account's open sessions keep the type they were opened with.

  KEYS[1] account hash   KEYS[2] named accounts set   KEYS[3] concurrent accounts set
  KEYS[4] license hash
  ARGV[1] key prefix     ARGV[2] account id   ARGV[3] new type

  Returns "OK" | "SAME" | "GONE" | "LIMIT" | "UNSUPPORTED"
]]
--- @include "changes"

local current = redis.call('HGET', KEYS[1], 'licenseType')
if not current then return 'GONE' end
if current == ARGV[3] then return 'SAME' end
if ARGV[3] == 'named' then
  local limit = redis.call('HGET', KEYS[4], 'namedUsers')
  if not limit or limit == '' then return 'UNSUPPORTED' end
  if redis.call('SCARD', KEYS[2]) >= tonumber(limit) then return 'LIMIT' end
  redis.call('SMOVE', KEYS[3], KEYS[2], ARGV[2])
else
  redis.call('SMOVE', KEYS[2], KEYS[3], ARGV[2])
end
redis.call('HSET', KEYS[1], 'licenseType', ARGV[3])
appendChange(ARGV[1], { usage = true })
return 'OK'
