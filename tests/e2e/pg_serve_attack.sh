#!/usr/bin/env bash
# tests/e2e/serve_attack.sh with the booking store on PostgreSQL (CN_BACKEND=pg:
# helpers/backend_pg.sh).
CN_BACKEND=pg exec bash "$(dirname "$0")/serve_attack.sh"
