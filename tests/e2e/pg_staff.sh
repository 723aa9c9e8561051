#!/usr/bin/env bash
# tests/e2e/staff.sh with the booking store on PostgreSQL (CN_BACKEND=pg: helpers/backend_pg.sh).
CN_BACKEND=pg exec bash "$(dirname "$0")/staff.sh"
