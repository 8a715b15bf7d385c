-- wrk script: the guardian's Account query with the bearer token in $MENSA_TOKEN.
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer " .. os.getenv("MENSA_TOKEN")
wrk.headers["Host"] = os.getenv("MENSA_HOST")
wrk.body = os.getenv("MENSA_BODY")
