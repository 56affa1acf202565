-- License usage history: for each bucket size, a hash bucketStart -> "peak:last". The peak of a
-- bucket starts from the value carried in from before it, so a bucket whose only change is a
-- drop still shows the level it started at. Refused logins count in a hash per bucket size.
local HISTORY_BUCKETS = { 60, 900, 3600, 21600, 86400 }

local function recordHistory(prefix, licenseType, value, nowMs)
  local nowKey = prefix .. ':hist-now:' .. licenseType
  local before = tonumber(redis.call('GET', nowKey) or '0')
  redis.call('SET', nowKey, value)
  local seconds = math.floor(nowMs / 1000)
  for _, size in ipairs(HISTORY_BUCKETS) do
    local key = prefix .. ':hist:' .. licenseType .. ':' .. size
    local bucket = tostring(seconds - (seconds % size))
    local stored = redis.call('HGET', key, bucket)
    local peak = before
    if stored then peak = tonumber(string.match(stored, '^(%d+)')) end
    if value > peak then peak = value end
    redis.call('HSET', key, bucket, peak .. ':' .. value)
  end
end

local function recordDenied(prefix, licenseType, nowMs)
  local seconds = math.floor(nowMs / 1000)
  for _, size in ipairs(HISTORY_BUCKETS) do
    local key = prefix .. ':denied:' .. licenseType .. ':' .. size
    redis.call('HINCRBY', key, tostring(seconds - (seconds % size)), 1)
  end
end
