#!/bin/sh
# Stands in for Prisma's native schema engine, which `prisma generate` insists exists but never runs.
# Migrations go through the wasm engine instead: npm run db:migrate / db:new / db:check.
echo "chatterbox: the native Prisma schema engine is not used here; see README, Database" >&2
exit 1
