--[[
  Appends a change that no other script records, such as a license or account change that moves
  the usage figures.

  ARGV[1] key prefix   ARGV[2] change JSON ({ usage = true }, ...)

  Returns the change's sequence number.
]]
--- @include "changes"

return appendChange(ARGV[1], cjson.decode(ARGV[2]))
