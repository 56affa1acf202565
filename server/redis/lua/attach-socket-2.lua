--[[
  Counts a socket of a session on a node. The session's `sockets` is the total over all nodes;
  the node's presence hash lets another node take this node's sockets off if it dies.
  Appends an "updated" change when the session becomes connected.

  KEYS[1] session hash   KEYS[2] node presence hash
  ARGV[1] key prefix     ARGV[2] session id

  Returns 1, or 0 when the session is not open.
]]
--- @include "changes"

if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
local total = redis.call('HINCRBY', KEYS[1], 'sockets', 1)
redis.call('HINCRBY', KEYS[2], ARGV[2], 1)
if total == 1 then appendChange(ARGV[1], { u = { sessionRaw(ARGV[1], ARGV[2]) } }) end
return 1
