-- wrk: the start page /R/{RID}, each request another resident's ID (a file of IDs, one a
-- line, passed after --); no cookie, as a resident who just scanned the QR code.
local ids = {}
local i = 0
function init(args)
    for line in io.lines(args[1]) do ids[#ids + 1] = line end
    i = math.random(#ids)
end
function request()
    i = i % #ids + 1
    return wrk.format("GET", "/R/" .. ids[i])
end
