-- wrk script for bench/run.sh: posts one workload's GraphQL body with a bearer token, picking
-- a random target (organization, and for W2 a contact) per request.
--
--   wrk -s bench/graphql.lua http://127.0.0.1:8090 -- <targets file> <w1|w2|w3> <query file>
--
-- The targets file has one tab-separated line per target: token, organization id, contact id
-- (and more columns, for the floor scripts).
-- pgbench's floor scripts are generated from the same file, so both sides ask for the same rows.

-- The GraphQL texts are bench/queries/<workload>.graphql, shared with run.sh's check.
local query

local targets = {}
local workload
local thread_tag
local created = 0

-- GraphQL text carries no quotes or backslashes, so it can go into JSON as it is.
local function body(query, variables)
  return '{"query":"' .. query .. '","variables":' .. variables .. '}'
end

local function headers(token)
  return { ["Content-Type"] = "application/json", ["Authorization"] = "Bearer " .. token }
end

local threads = 0

-- Runs in wrk's main state, once per thread: numbers the threads so their e-mails differ.
function setup(thread)
  threads = threads + 1
  thread:set("thread_number", threads)
end

function init(args)
  local path = args[1]
  workload = args[2]
  assert(path and workload and args[3], "usage: -- <targets file> <w1|w2|w3> <query file>")
  local file = assert(io.open(args[3]))
  query = file:read("*l")
  file:close()
  -- The time keeps e-mails of one run apart from those of the rounds before it.
  thread_tag = string.format("%d-%d", os.time(), thread_number or 0)
  math.randomseed(os.time() * 100 + (thread_number or 0))
  for line in io.lines(path) do
    local token, _, contact = line:match("^(%S+)\t(%S+)\t(%S+)")
    if token then
      local variables = "{}"
      if workload == "w2" then
        variables = '{"id":"' .. contact .. '"}'
      end
      -- W1 and W2 bodies never change, so they are built once.
      targets[#targets + 1] = {
        headers = headers(token),
        body = body(query, variables),
      }
    end
  end
  assert(#targets > 0, "no targets in " .. path)
end

function request()
  local target = targets[math.random(#targets)]
  local payload = target.body
  if workload == "w3" then
    -- Five fields, as a sales rep would type them; the e-mail is new every time.
    created = created + 1
    local variables = string.format(
      '{"data":{"firstName":"Bench","lastName":"Writer %d","email":"w3-%s-%d@bench.example",'
        .. '"phone":"+1 555 0100","companyName":"Load Test Ltd"}}',
      created, thread_tag, created)
    payload = body(query, variables)
  end
  return wrk.format("POST", "/graphql", target.headers, payload)
end
