--[[
  Resolves a token hash to its open session and account, or to the reason it ended.

  KEYS[1] token key   KEYS[2] tombstone key
  ARGV[1] key prefix

  Returns { "OK", sessionJSON, role, disabled } | { "TOMB", tombstoneJSON } | { "NONE" }
]]
--- @include "changes"

local prefix = ARGV[1]
local sid = redis.call('GET', KEYS[1])
if not sid then
  local tomb = redis.call('GET', KEYS[2])
  if tomb then return { 'TOMB', tomb } end
  return { 'NONE' }
end
local raw = sessionRaw(prefix, sid)
if not raw then return { 'NONE' } end
local account = redis.call('HMGET', prefix .. ':account:' .. raw['accountId'], 'role', 'disabled')
return { 'OK', cjson.encode(raw), account[1] or '', account[2] or '' }
