--[[
  Ends a session, whatever the reason: deletes it and its token, leaves a tombstone with the
  reason under the token's hash, releases the account's seat (or named connection) with its last
  session, records usage history and appends an "ended" change. Ending an ended session is a no-op.

  KEYS[1] session hash   KEYS[2] open sessions zset   KEYS[3] seats set   KEYS[4] named-online set

  ARGV[1] key prefix  ARGV[2] session id  ARGV[3] reason  ARGV[4] tombstone JSON
  ARGV[5] tombstone TTL (s)  ARGV[6] now (ms)
  ARGV[7] optional: end only if the user has not acted after this time (ms): no activity and no
          keep since then. The idle engine passes it so an answer that lands while it decides wins.

  Returns { 1, licenseType, accountId, app, username, startedAt, device, ip } when this call ended
  it ("" for a missing device or ip), 0 when it was not open, -1 when the user acted after ARGV[7].
]]
--- @include "changes"
--- @include "history"

local prefix, sid, reason = ARGV[1], ARGV[2], ARGV[3]
local session = redis.call('HMGET', KEYS[1], 'accountId', 'licenseType', 'tokenHash', 'app',
  'username', 'startedAt', 'device', 'ip')
local accountId, licenseType, tokenHash, app = session[1], session[2], session[3], session[4]
if not accountId then return 0 end
if ARGV[7] and ARGV[7] ~= '' then
  local since = tonumber(ARGV[7])
  local acted = redis.call('HMGET', KEYS[1], 'lastActivityAt', 'keptAt')
  if tonumber(acted[1] or '0') > since or tonumber(acted[2] or '0') > since then return -1 end
end

redis.call('DEL', KEYS[1])
redis.call('ZREM', KEYS[2], sid)
if tokenHash then
  redis.call('DEL', prefix .. ':token:' .. tokenHash)
  redis.call('SET', prefix .. ':tomb:' .. tokenHash, ARGV[4], 'EX', tonumber(ARGV[5]))
end

local accountSessions = prefix .. ':account-sessions:' .. accountId
redis.call('SREM', accountSessions, sid)
if redis.call('SCARD', accountSessions) == 0 then
  local connected = KEYS[4]
  if licenseType == 'concurrent' then connected = KEYS[3] end
  redis.call('SREM', connected, accountId)
  recordHistory(prefix, licenseType, redis.call('SCARD', connected), tonumber(ARGV[6]))
end

appendChange(prefix, { e = { { id = sid, reason = reason } }, usage = true })
return { 1, licenseType, accountId, app, session[5] or '', session[6] or '0', session[7] or '', session[8] or '' }
