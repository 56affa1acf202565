--[[
  Prompts an idle Web App session of a concurrent account to keep itself: only when it is still
  active and its last activity is at least the timeout old. Sets state "prompted" with the prompt
  time and the answer deadline, and appends an "updated" change so dashboards show the state.
  A session that is already prompted keeps its deadline (a job that runs twice prompts once).

  KEYS[1] session hash
  ARGV[1] key prefix   ARGV[2] session id   ARGV[3] now (ms)   ARGV[4] idle timeout (ms)
  ARGV[5] prompt window (ms)

  Returns { "PROMPTED", respondBy } when this call prompted it,
          { "ALREADY", respondBy } when it was prompted before,
          { "ACTIVE", lastActivityAt } when it has been active within the timeout,
          { "SKIP" } for a session that is never prompted (named, or not the Web App),
          { "GONE" } when it is not open.
]]
--- @include "changes"

local fields = redis.call('HMGET', KEYS[1], 'licenseType', 'app', 'state', 'lastActivityAt', 'respondBy')
local licenseType, app, state, lastActivityAt, respondBy = fields[1], fields[2], fields[3], fields[4], fields[5]
if not licenseType then return { 'GONE' } end
if licenseType ~= 'concurrent' or app ~= 'web' then return { 'SKIP' } end
if state == 'prompted' then return { 'ALREADY', tonumber(respondBy or '0') } end

local now = tonumber(ARGV[3])
local last = tonumber(lastActivityAt or '0')
if now < last + tonumber(ARGV[4]) then return { 'ACTIVE', last } end

local deadline = now + tonumber(ARGV[5])
redis.call('HSET', KEYS[1], 'state', 'prompted', 'promptedAt', now, 'respondBy', deadline)
appendChange(ARGV[1], { u = { sessionRaw(ARGV[1], ARGV[2]) } })
return { 'PROMPTED', deadline }
