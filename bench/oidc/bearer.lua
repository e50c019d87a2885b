-- wrk script: GET with a bearer token. Script args: TOKEN
function init(args)
  wrk.headers["Authorization"] = "Bearer " .. args[1]
end
