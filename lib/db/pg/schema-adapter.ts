// The driver adapter the wasm schema engine reads a PostgreSQL database through (db:check and db:new diff the
// PostgreSQL schema against a database the committed migrations built). @prisma/adapter-pg 7.10 cannot read
// PostgreSQL's internal "char" type (OID 18), which the catalog queries of introspection return ("Column type
// 'char' could not be deserialized"): its results are handed over as text (OID 25), which is what they hold.
// The engine needs no shadow database for this diff, so connectToShadowDb is never used.
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";

const CHAR_OID = 18;
const TEXT_OID = 25;

function charAsText(pool: pg.Pool): pg.Pool {
  const query = pool.query.bind(pool) as (...args: unknown[]) => Promise<pg.QueryResult>;
  const patched = async (...args: unknown[]): Promise<pg.QueryResult> => {
    const result = await query(...args);
    for (const field of result.fields ?? []) if (field.dataTypeID === CHAR_OID) field.dataTypeID = TEXT_OID;
    return result;
  };
  pool.query = patched as typeof pool.query;
  return pool;
}

export function pgSchemaAdapter(url: string): PrismaPg {
  return new PrismaPg(charAsText(new pg.Pool({ connectionString: url, max: 2 })), { disposeExternalPool: true });
}
