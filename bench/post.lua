-- wrk script for bench/reports.py and bench/pulse.py: POST JSON bodies from a file.
--
--   wrk --threads T --script bench/post.lua URL -- BODIES T MODE
--
-- BODIES is a file of request bodies, one JSON object per line. MODE says how they
-- are used:
--   once   thread i (counting from 0) sends lines i+1, i+1+T, i+1+2T, ... of the
--          file, each exactly once, so no two requests carry the same body (a
--          check-in token spent twice would answer 409). A thread that has sent its
--          whole slice stops instead of sending a body again; the summary says so,
--          and the run's requests/s are then too low.
--   cycle  every thread sends all the lines in turn, over and over (a report may be
--          sent any number of times: each one is a new report).
--
-- After wrk's own report, done() prints lines that the bench scripts read:
--   post.lua status <code> <count>     one per HTTP status seen
--   post.lua bodies <sent> <available> requests sent, bodies the threads held
--   post.lua exhausted <threads>       threads that ran out of bodies (once only)

local threads = {}
local next_id = 0

function setup(thread)
   thread:set("thread_id", next_id)
   next_id = next_id + 1
   table.insert(threads, thread)
end

local bodies = {}
local position = 0
local cycle = false
local headers = { ["Content-Type"] = "application/json" }
statuses = {}
sent = 0
available = 0
exhausted = 0

function init(args)
   local path, thread_count, mode = args[1], tonumber(args[2]), args[3]
   if path == nil or thread_count == nil or (mode ~= "once" and mode ~= "cycle") then
      error("usage: wrk ... --script post.lua URL -- BODIES THREADS once|cycle")
   end
   cycle = mode == "cycle"
   local line_number = 0
   for line in io.lines(path) do
      if line ~= "" then
         if cycle or line_number % thread_count == thread_id then
            bodies[#bodies + 1] = line
         end
         line_number = line_number + 1
      end
   end
   if #bodies == 0 then
      error("post.lua: no bodies for thread " .. thread_id .. " in " .. path)
   end
   available = #bodies
end

function request()
   position = position + 1
   if position > #bodies then
      if cycle then
         position = 1
      else
         exhausted = 1
         wrk.thread:stop()
         return ""
      end
   end
   sent = sent + 1
   return wrk.format("POST", nil, headers, bodies[position])
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
      io.write(string.format("post.lua status %d %d\n", status, count))
   end
   io.write(string.format("post.lua bodies %d %d\n", total_sent, total_available))
   io.write(string.format("post.lua exhausted %d\n", total_exhausted))
end
