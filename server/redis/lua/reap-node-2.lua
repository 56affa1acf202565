--[[
  Takes a dead node's sockets off the sessions they counted for, so those sessions stop showing
  as connected. Safe to run from every node at once: the first run removes the node, the rest
  find nothing. A node whose heartbeat came back in the meantime is left alone.

  KEYS[1] nodes zset (node id -> last heartbeat ms)   KEYS[2] the node's presence hash
  ARGV[1] key prefix   ARGV[2] node id   ARGV[3] heartbeats older than this (ms) are dead

  Returns the number of sessions that became disconnected.
]]
--- @include "changes"

local prefix = ARGV[1]
local beat = redis.call('ZSCORE', KEYS[1], ARGV[2])
if beat and tonumber(beat) >= tonumber(ARGV[3]) then return 0 end

local updated = {}
local presence = redis.call('HGETALL', KEYS[2])
for i = 1, #presence, 2 do
  local key = prefix .. ':session:' .. presence[i]
  if redis.call('EXISTS', key) == 1 then
    local total = redis.call('HINCRBY', key, 'sockets', -tonumber(presence[i + 1]))
    if total <= 0 then
      redis.call('HSET', key, 'sockets', 0)
      table.insert(updated, sessionRaw(prefix, presence[i]))
    end
  end
end
redis.call('DEL', KEYS[2])
redis.call('ZREM', KEYS[1], ARGV[2])
if #updated > 0 then appendChange(prefix, { u = updated }) end
return #updated
