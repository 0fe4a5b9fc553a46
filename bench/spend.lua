-- wrk script for bench/run.py: POST a different token on every request.
--
--   wrk --threads T --script bench/spend.lua URL -- BODIES T
--
-- BODIES is a file of request bodies, one JSON object per line, each a different
-- valid token (bench/tokens.py writes it). Thread i (counting from 0) sends lines
-- i+1, i+1+T, i+1+2T, ... of it, so no two requests ever carry the same token. A
-- thread that has sent its whole slice stops instead of sending a token again (a
-- second spend would answer 409), and the summary says so: the run then ended
-- early and its requests/s are too low.
--
-- After wrk's own report, done() prints lines that bench/run.py reads:
--   spend.lua status <code> <count>     one per HTTP status seen
--   spend.lua bodies <sent> <available> tokens sent, tokens in the file
--   spend.lua exhausted <threads>       threads that ran out of tokens

local threads = {}
local next_id = 0

function setup(thread)
   thread:set("thread_id", next_id)
   next_id = next_id + 1
   table.insert(threads, thread)
end

local bodies = {}
local position = 0
local headers = { ["Content-Type"] = "application/json" }
statuses = {}
sent = 0
available = 0
exhausted = 0

function init(args)
   local path, thread_count = args[1], tonumber(args[2])
   if path == nil or thread_count == nil then
      error("usage: wrk ... --script spend.lua URL -- BODIES THREADS")
   end
   local line_number = 0
   for line in io.lines(path) do
      if line ~= "" then
         if line_number % thread_count == thread_id then
            bodies[#bodies + 1] = line
         end
         line_number = line_number + 1
      end
   end
   available = #bodies
end

function request()
   position = position + 1
   local body = bodies[position]
   if body == nil then
      exhausted = 1
      wrk.thread:stop()
      return ""
   end
   sent = sent + 1
   return wrk.format("POST", nil, headers, body)
end

function response(status, response_headers, body)
   statuses[status] = (statuses[status] or 0) + 1
end

function done(summary, latency, requests)
   local totals = {}
   local total_sent, total_available, total_exhausted = 0, 0, 0
   for _, thread in ipairs(threads) do
      for status, count in pairs(thread:get("statuses")) do
         totals[status] = (totals[status] or 0) + count
      end
      total_sent = total_sent + thread:get("sent")
      total_available = total_available + thread:get("available")
      total_exhausted = total_exhausted + thread:get("exhausted")
   end
   for status, count in pairs(totals) do
      io.write(string.format("spend.lua status %d %d\n", status, count))
   end
   io.write(string.format("spend.lua bodies %d %d\n", total_sent, total_available))
   io.write(string.format("spend.lua exhausted %d\n", total_exhausted))
end
