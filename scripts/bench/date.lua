-- wrk: the date page of verified sessions (a file of "cn_sid=..." cookies, one a line,
-- passed after --): the calendar a resident sees after the birthday.
local cookies = {}
local i = 0
function init(args)
    for line in io.lines(args[1]) do cookies[#cookies + 1] = line end
    i = math.random(#cookies)
end
function request()
    i = i % #cookies + 1
    return wrk.format("GET", "/date", { Cookie = cookies[i] })
end
