--[[
  Creates an account: the username is unique case-insensitively, and a named account needs a free
  named seat (unless it is the first admin, created before any license applies).

  KEYS[1] usernames hash (lower-case name -> id)   KEYS[2] account hash   KEYS[3] accounts set
  KEYS[4] set of accounts of its license type      KEYS[5] license hash

  ARGV[1] key prefix  ARGV[2] lower-case username  ARGV[3] "1" to skip the named seat check
  ARGV[4..] the account's fields as name, value pairs (must include id and licenseType)

  Returns "OK" | "CONFLICT" | "LIMIT" | "UNSUPPORTED"
]]
--- @include "changes"

local fields = {}
for i = 4, #ARGV do fields[#fields + 1] = ARGV[i] end
local record = {}
for i = 1, #fields, 2 do record[fields[i]] = fields[i + 1] end

if redis.call('HEXISTS', KEYS[1], ARGV[2]) == 1 then return 'CONFLICT' end
if record['licenseType'] == 'named' and ARGV[3] ~= '1' then
  local limit = redis.call('HGET', KEYS[5], 'namedUsers')
  if not limit or limit == '' then return 'UNSUPPORTED' end
  if redis.call('SCARD', KEYS[4]) >= tonumber(limit) then return 'LIMIT' end
end

redis.call('HSET', KEYS[1], ARGV[2], record['id'])
redis.call('HSET', KEYS[2], unpack(fields))
redis.call('SADD', KEYS[3], record['id'])
redis.call('SADD', KEYS[4], record['id'])
appendChange(ARGV[1], { usage = true })
return 'OK'
