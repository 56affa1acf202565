--[[
  Deletes an account record and its indexes. Its sessions are ended by the caller afterwards,
  which the missing account also stops from opening new ones.

  KEYS[1] usernames hash   KEYS[2] account hash   KEYS[3] accounts set
  KEYS[4] named accounts set   KEYS[5] concurrent accounts set
  ARGV[1] key prefix   ARGV[2] account id

  Returns 1 when deleted, 0 when there was no such account.
]]
--- @include "changes"

local usernameKey = redis.call('HGET', KEYS[2], 'usernameKey')
if not usernameKey then return 0 end
redis.call('HDEL', KEYS[1], usernameKey)
redis.call('DEL', KEYS[2])
redis.call('SREM', KEYS[3], ARGV[2])
redis.call('SREM', KEYS[4], ARGV[2])
redis.call('SREM', KEYS[5], ARGV[2])
appendChange(ARGV[1], { usage = true })
return 1
