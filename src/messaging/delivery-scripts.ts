/**
 * The delivery log's Lua scripts. Each moves a recipient's outcome, a claim or a sid's status
 * together with the message's counters in one step, so two workers (or a worker and a status
 * callback) never count the same thing twice. Their keys share the message's hash tag.
 */

// KEYS: rcpt, stats. ARGV: recipient key, retention. Returns the previous outcome or false.
export const MARK_QUEUED = `
local prev = redis.call('HGET', KEYS[1], ARGV[1])
if not prev then
  redis.call('HSET', KEYS[1], ARGV[1], 'queued')
  redis.call('HINCRBY', KEYS[2], 'queued', 1)
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  redis.call('PEXPIRE', KEYS[2], ARGV[2])
end
return prev
`;

// KEYS: rcpt, stats. ARGV: recipient key, outcome, retention, counter fields...
// Moves a recipient to a final outcome once; later calls change nothing and return 0.
export const FINISH = `
local prev = redis.call('HGET', KEYS[1], ARGV[1])
if prev and prev ~= 'queued' then return 0 end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
for i = 4, #ARGV do redis.call('HINCRBY', KEYS[2], ARGV[i], 1) end
redis.call('PEXPIRE', KEYS[1], ARGV[3])
redis.call('PEXPIRE', KEYS[2], ARGV[3])
return 1
`;

// KEYS: rcpt, stats, claim. ARGV: recipient key, retention, claim JSON (with the sid).
export const RECORD_SENT = `
redis.call('SET', KEYS[3], ARGV[3], 'PX', ARGV[2])
local prev = redis.call('HGET', KEYS[1], ARGV[1])
if prev and prev ~= 'queued' then return 0 end
redis.call('HSET', KEYS[1], ARGV[1], 'sent')
redis.call('HINCRBY', KEYS[2], 'sent', 1)
redis.call('PEXPIRE', KEYS[1], ARGV[2])
redis.call('PEXPIRE', KEYS[2], ARGV[2])
return 1
`;

// KEYS: claim. ARGV: expected value, new value ('' deletes). Compare-and-set on a claim.
export const SWAP_CLAIM = `
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
if ARGV[2] == '' then redis.call('DEL', KEYS[1]) else redis.call('SET', KEYS[1], ARGV[2], 'KEEPTTL') end
return 1
`;

// KEYS: sid record. ARGV: status, rank, now. Keeps the most advanced status (callbacks can
// arrive out of order: 'sent' after 'delivered'). Returns { dedupeKey } or false.
export const SET_SID_STATUS = `
local d = redis.call('HGET', KEYS[1], 'd')
if not d then return false end
local rank = tonumber(redis.call('HGET', KEYS[1], 'rank') or '0')
if tonumber(ARGV[2]) >= rank then
  redis.call('HSET', KEYS[1], 'status', ARGV[1], 'rank', ARGV[2], 'at', ARGV[3])
end
return { d }
`;

// KEYS: counted (hash), stats. ARGV: sid, status, retention, counter fields...
// Counts each (sid, status) once however often Twilio repeats the callback.
export const COUNT_STATUS = `
if redis.call('HSETNX', KEYS[1], ARGV[1] .. '|' .. ARGV[2], 1) == 0 then return 0 end
for i = 4, #ARGV do redis.call('HINCRBY', KEYS[2], ARGV[i], 1) end
redis.call('PEXPIRE', KEYS[1], ARGV[3])
redis.call('PEXPIRE', KEYS[2], ARGV[3])
return 1
`;
