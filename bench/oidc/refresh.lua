-- wrk script: POSTs refresh_token grants, each request with a token never used before (they rotate).
-- Script args: TOKENS_FILE (one token a line) THREADS AUTHORIZATION
local threads = {}

function setup(thread)
  thread:set("id", #threads)
  table.insert(threads, thread)
end

function init(args)
  tokens = {}
  for line in io.lines(args[1]) do
    table.insert(tokens, line)
  end
  stride = tonumber(args[2])
  authorization = args[3]
  next_index = id + 1
end

function request()
  local token = tokens[next_index]
  next_index = next_index + stride
  if token == nil then
    token = "exhausted"
  end
  return wrk.format("POST", nil, {
    ["Content-Type"] = "application/x-www-form-urlencoded",
    ["Authorization"] = authorization,
  }, "grant_type=refresh_token&refresh_token=" .. token)
end
