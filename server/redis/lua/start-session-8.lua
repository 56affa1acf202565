--[[
  Opens a session: takes a concurrent seat when the account holds none (one seat per connected
  concurrent account, atomic across nodes), stores the session and its token, records usage
  history and appends a "started" change. A refused login is counted in the history and appended
  as a usage change, so dashboards learn of refusals at once.

  KEYS[1] account hash          KEYS[5] seats set (concurrent account ids)
  KEYS[2] session hash          KEYS[6] named-online set (named account ids)
  KEYS[3] open sessions zset    KEYS[7] token key
  KEYS[4] account-sessions set  KEYS[8] license hash

  ARGV[1] key prefix  ARGV[2] session id  ARGV[3] account id  ARGV[4] license type
  ARGV[5] username    ARGV[6] display name  ARGV[7] app  ARGV[8] device ("" = none)
  ARGV[9] ip ("" = none)  ARGV[10] now (ms)  ARGV[11] token hash

  Returns { "OK", connections } | { "LIMIT", limit } | { "UNSUPPORTED" } | { "GONE" } | { "DISABLED" }
]]
--- @include "changes"
--- @include "history"

local prefix, sid, accountId, licenseType = ARGV[1], ARGV[2], ARGV[3], ARGV[4]
local now = tonumber(ARGV[10])

if redis.call('EXISTS', KEYS[1]) == 0 then return { 'GONE' } end
if redis.call('HGET', KEYS[1], 'disabled') == '1' then return { 'DISABLED' } end

local connections
if licenseType == 'concurrent' then
  if redis.call('SISMEMBER', KEYS[5], accountId) == 0 then
    local limit = redis.call('HGET', KEYS[8], 'concurrentUsers')
    if not limit or limit == '' then
      recordDenied(prefix, 'concurrent', now)
      appendChange(prefix, { usage = true, refused = 1 })
      return { 'UNSUPPORTED' }
    end
    if redis.call('SCARD', KEYS[5]) >= tonumber(limit) then
      recordDenied(prefix, 'concurrent', now)
      appendChange(prefix, { usage = true, refused = 1 })
      return { 'LIMIT', limit }
    end
    redis.call('SADD', KEYS[5], accountId)
  end
  connections = redis.call('SCARD', KEYS[5])
else
  redis.call('SADD', KEYS[6], accountId)
  connections = redis.call('SCARD', KEYS[6])
end

local fields = {
  'id', sid, 'accountId', accountId, 'username', ARGV[5], 'displayName', ARGV[6],
  'licenseType', licenseType, 'app', ARGV[7], 'startedAt', now, 'lastActivityAt', now,
  'state', 'active', 'sockets', 0, 'tokenHash', ARGV[11],
}
if ARGV[8] ~= '' then table.insert(fields, 'device'); table.insert(fields, ARGV[8]) end
if ARGV[9] ~= '' then table.insert(fields, 'ip'); table.insert(fields, ARGV[9]) end
redis.call('HSET', KEYS[2], unpack(fields))
redis.call('ZADD', KEYS[3], now, sid)
redis.call('SADD', KEYS[4], sid)
redis.call('SET', KEYS[7], sid)

recordHistory(prefix, licenseType, connections, now)
appendChange(prefix, { s = { sessionRaw(prefix, sid) }, usage = true })
return { 'OK', connections }
