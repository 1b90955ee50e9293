// Prisma's schema engine, run from its WebAssembly build. The Prisma CLI downloads a native engine from
// Prisma's own host, which locked-down networks cannot reach; the wasm build ships in the npm package and
// speaks to SQLite through the same better-sqlite3 driver adapter that the app uses at runtime.
import { readFile, readdir } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import { PrismaBetterSqlite3 } from "@prisma/adapter-better-sqlite3";
import {
  bindMigrationAwareSqlAdapterFactory,
  type SqlDriverAdapter,
  type SqlMigrationAwareDriverAdapterFactory,
} from "@prisma/driver-adapter-utils";
import type { MigrationList, SchemaEngine } from "@prisma/schema-engine-wasm";
import { SEARCH_TABLES } from "./search-tables";

const require = createRequire(import.meta.url);

interface WasmGlue {
  __wbg_set_wasm(exports: WebAssembly.Exports): void;
  SchemaEngine: typeof SchemaEngine;
}

// one instance of the module per process: instantiating it again rebinds the glue's exports under engines
// that are still running (their callbacks then fail), and compiling it costs start-up time
let engineClass: Promise<typeof SchemaEngine> | undefined;
const loadEngineClass = (): Promise<typeof SchemaEngine> => (engineClass ??= compileEngineClass());

async function compileEngineClass(): Promise<typeof SchemaEngine> {
  const gluePath = require.resolve("@prisma/schema-engine-wasm/schema_engine_bg");
  const glue = (await import(gluePath)) as WasmGlue;
  const bytes = await readFile(path.join(path.dirname(gluePath), "schema_engine_bg.wasm"));
  const { instance } = await WebAssembly.instantiate(bytes, {
    "./schema_engine_bg.js": glue as unknown as WebAssembly.ModuleImports,
  });
  glue.__wbg_set_wasm(instance.exports);
  (instance.exports.__wbindgen_start as () => void)();
  return glue.SchemaEngine;
}

/**
 * The wasm engine sends whole migration scripts through executeRaw, and better-sqlite3's prepare() takes one
 * statement; parameterless raw commands therefore go through executeScript (sqlite3_exec), as the native
 * engine does.
 */
function scriptAware(factory: SqlMigrationAwareDriverAdapterFactory): SqlMigrationAwareDriverAdapterFactory {
  const wrap = (adapter: SqlDriverAdapter): SqlDriverAdapter => {
    const executeRaw = adapter.executeRaw.bind(adapter);
    adapter.executeRaw = async (query) => {
      if (query.args.length > 0) return executeRaw(query);
      await adapter.executeScript(query.sql);
      return 0;
    };
    return adapter;
  };
  return {
    provider: factory.provider,
    adapterName: factory.adapterName,
    connect: async () => wrap(await factory.connect()),
    connectToShadowDb: async () => wrap(await factory.connectToShadowDb()),
  };
}

/** Keeps every connection the engine opens, to close them with it (the engine never does). */
function tracked(factory: SqlMigrationAwareDriverAdapterFactory, opened: SqlDriverAdapter[]) {
  const keep = (adapter: SqlDriverAdapter) => {
    if (!opened.includes(adapter)) opened.push(adapter);
    return adapter;
  };
  return {
    provider: factory.provider,
    adapterName: factory.adapterName,
    connect: async () => keep(await factory.connect()),
    connectToShadowDb: async () => keep(await factory.connectToShadowDb()),
  };
}

export interface EngineOptions {
  /** `file:` URL of the SQLite database (or give `adapter`) */
  url?: string;
  /** the driver adapter of another database (PostgreSQL: lib/db/pg/schema-adapter.ts) */
  adapter?: SqlMigrationAwareDriverAdapterFactory;
  /** tables made by migrations that Prisma's schema cannot express (default: SQLite's search tables) */
  externalTables?: string[];
  schemaPath: string;
  migrationsDir: string;
  log?: (line: string) => void;
}

export async function openSchemaEngine(opts: EngineOptions) {
  const Engine = await loadEngineClass();
  const schema = { path: opts.schemaPath, content: await readFile(opts.schemaPath, "utf8") };
  // the engine never closes its connections: they are kept here and closed with the engine
  const opened: SqlDriverAdapter[] = [];
  const filters = { externalTables: opts.externalTables ?? SEARCH_TABLES, externalEnums: [] };
  const factory = opts.adapter ?? scriptAware(new PrismaBetterSqlite3({ url: opts.url ?? "" }));
  const adapter = bindMigrationAwareSqlAdapterFactory(tracked(factory, opened));
  const engine = await Engine.new(
    { datamodels: [[schema.path, schema.content]] },
    (line: string) => opts.log?.(line),
    adapter,
  );

  const migrationsList = async (): Promise<MigrationList> => {
    const dirs = await readdir(opts.migrationsDir, { withFileTypes: true }).catch(() => []);
    const names = dirs
      .filter((d) => d.isDirectory())
      .map((d) => d.name)
      .sort();
    const lockPath = path.join(opts.migrationsDir, "migration_lock.toml");
    return {
      baseDir: opts.migrationsDir,
      lockfile: { path: "migration_lock.toml", content: await readFile(lockPath, "utf8").catch(() => null) },
      shadowDbInitScript: "",
      migrationDirectories: await Promise.all(
        names.map(async (name) => {
          const file = path.join(opts.migrationsDir, name, "migration.sql");
          const content = await readFile(file, "utf8").then(
            (value) => ({ tag: "ok" as const, value }),
            (err: Error) => ({ tag: "error" as const, value: err.message }),
          );
          return { path: name, migrationFile: { path: "migration.sql", content } };
        }),
      ),
    };
  };

  return {
    /** Applies the committed migrations that the database has not seen (like `prisma migrate deploy`). */
    async deploy(): Promise<string[]> {
      const out = await engine.applyMigrations({ migrationsList: await migrationsList(), filters });
      return out.appliedMigrationNames;
    },
    /** The SQL that takes the committed migrations to the current schema, or null when they match. */
    async pendingSchemaChange(): Promise<string | null> {
      const out = await engine.diff({
        from: { tag: "migrations", ...(await migrationsList()) },
        to: { tag: "schemaDatamodel", files: [schema] },
        script: true,
        exitCode: true,
        filters,
      });
      return out.exitCode === 2 ? out.stdout : null;
    },
    /** The SQL that takes the database the engine is connected to to the current schema, or null when they match. */
    async pendingSchemaChangeFromDatabase(): Promise<string | null> {
      const out = await engine.diff({
        from: { tag: "schemaDatasource", files: [schema], configDir: path.dirname(opts.schemaPath) },
        to: { tag: "schemaDatamodel", files: [schema] },
        script: true,
        exitCode: true,
        filters,
      });
      return out.exitCode === 2 ? out.stdout : null;
    },
    async close(): Promise<void> {
      engine.free();
      await Promise.all(opened.map((a) => a.dispose()));
    },
  };
}
