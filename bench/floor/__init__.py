"""The framework floor for the intake benchmark over HTTP: the least a Django project can do per
ticket — parse a JSON body and insert one row in a transaction — served by the same gunicorn, on
the same database as duban (bench/bench_intake_http.py)."""
