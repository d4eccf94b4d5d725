import { existsSync } from "node:fs";
import { mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import chai, { expect } from "chai";
import chaiAsPromised from "chai-as-promised";
import type { Database, SqlExecutor } from "../../../indexer/store/database";
import {
  DatabaseCalledInsideTransactionError,
  DatabaseConnectionRejectedError,
  DatabaseUnavailableError,
  TransactionAbortedError,
  isRetryableDatabaseError,
} from "../../../indexer/store/errors";
import { openDatabase } from "../../../indexer/store/open-database";
import type { PgliteCreation } from "../../../indexer/store/pglite-database";
import { describePostgresTarget, openPostgresDatabase } from "../../../indexer/store/postgres-database";
import { databaseTargets, tableChecksums } from "../../helpers/databases";
import type { TestDatabase } from "../../helpers/databases";
import { freePort } from "../../helpers/node";
import { startPostgresServer } from "../../helpers/postgres-server";
import type { PostgresServer } from "../../helpers/postgres-server";

chai.use(chaiAsPromised);

/** Values that break naive CSV or COPY text encodings. */
const AWKWARD_VALUES = [
  "plain",
  "comma, inside",
  'double "quotes" and a lone "',
  "line\nbreak and\r\nwindows line break",
  "back\\slash, \\N and \\.",
  "\\.",
  "",
  "   surrounding spaces\t",
  "unicode: é 漢字 🚀 \u00a0",
  "NULL",
  null,
];

/** Rows `[id, value]` for a table `(id int primary key, value text)`. */
function numberedRows(count: number, value: (index: number) => string | null = (index) => `row ${index}`) {
  return Array.from({ length: count }, (_, index) => [String(index), value(index)]);
}

/** Resolves once `condition` holds, checking after each turn of the event loop; the test timeout bounds it. */
async function eventually(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 10));
}

async function countRows(database: SqlExecutor, table: string): Promise<string> {
  const [{ count }] = await database.query<{ count: string }>(`SELECT count(*) AS count FROM ${table}`);
  return count;
}

for (const target of databaseTargets()) {
  describe(`database on ${target.name}`, function () {
    let handle: TestDatabase;
    let database: Database;

    before(async function () {
      handle = await target.open();
      database = handle.database;
    });

    after(async function () {
      await handle?.close();
    });

    beforeEach(async function () {
      await database.exec(`
        DROP SCHEMA public CASCADE;
        CREATE SCHEMA public;
        CREATE TABLE items (id int PRIMARY KEY, value text);`);
    });

    describe("query and exec", function () {
      it("should pass text, int8 as a string, numeric, jsonb, null and bytea parameters and type the results", async function () {
        const rows = await database.query(
          `SELECT $1::text AS text, $2::int8 AS big, $3::numeric AS amount, $4::jsonb AS document,
                  $5::text AS missing, $6::bytea AS bytes, 7::int4 AS small`,
          ["héllo", "9007199254740993", "123456789012345678901234567890.5", '{"a":[1,"x"]}', null, Buffer.from("00ff")],
        );
        expect(rows).to.deep.equal([
          {
            text: "héllo",
            big: "9007199254740993",
            amount: "123456789012345678901234567890.5",
            document: { a: [1, "x"] },
            missing: null,
            bytes: Buffer.from("00ff"),
            small: 7,
          },
        ]);
      });

      it("should return count(*) as a decimal string", async function () {
        await database.exec("INSERT INTO items VALUES (1, 'a'), (2, 'b')");
        expect(await countRows(database, "items")).to.equal("2");
      });

      it("should run several statements in one exec", async function () {
        await database.exec(`
          CREATE TABLE other (id int);
          INSERT INTO other VALUES (1);
          INSERT INTO other VALUES (2);`);
        expect(await database.query("SELECT id FROM other ORDER BY id")).to.deep.equal([{ id: 1 }, { id: 2 }]);
      });

      it("should run plpgsql functions and triggers", async function () {
        await database.exec(`
          CREATE FUNCTION shout() RETURNS trigger LANGUAGE plpgsql AS $$
          BEGIN NEW.value := upper(NEW.value); RETURN NEW; END $$;
          CREATE TRIGGER items_shout BEFORE INSERT ON items FOR EACH ROW EXECUTE FUNCTION shout();`);
        await database.query("INSERT INTO items VALUES ($1, $2)", [1, "quiet"]);
        expect(await database.query("SELECT value FROM items")).to.deep.equal([{ value: "QUIET" }]);
      });

      it("should serve concurrent queries and transactions without losing an update", async function () {
        await database.exec("CREATE TABLE counter (n int); INSERT INTO counter VALUES (0);");
        const increment = () => database.exec("UPDATE counter SET n = n + 1");
        const incrementInTransaction = () => database.transaction((tx) => tx.exec("UPDATE counter SET n = n + 1"));
        await Promise.all(
          Array.from({ length: 10 }, (_, index) => (index % 2 ? increment() : incrementInTransaction())),
        );
        expect(await database.query("SELECT n FROM counter")).to.deep.equal([{ n: 10 }]);
      });

      it("should reject a unique violation with the SQL error, not a retryable one", async function () {
        await database.exec("INSERT INTO items VALUES (1, 'first')");
        const error = await expect(database.query("INSERT INTO items VALUES (1, 'again')")).to.be.rejected;
        expect(error).to.include({ code: "23505" });
        expect(error).not.to.be.instanceOf(DatabaseUnavailableError);
        expect(isRetryableDatabaseError(error)).to.equal(false);
      });
    });

    describe("transaction", function () {
      it("should commit the work and return its result", async function () {
        const result = await database.transaction(async (tx) => {
          await tx.query("INSERT INTO items VALUES ($1, $2)", [1, "one"]);
          await tx.exec("INSERT INTO items VALUES (2, 'two')");
          return "done";
        });
        expect(result).to.equal("done");
        expect(await countRows(database, "items")).to.equal("2");
      });

      it("should roll everything back and rethrow the original error when the work throws", async function () {
        const failure = new Error("work failed");
        const work = database.transaction(async (tx) => {
          await tx.exec("INSERT INTO items VALUES (1, 'one'); CREATE TABLE made_in_transaction (id int);");
          throw failure;
        });
        await expect(work).to.be.rejected.and.eventually.equal(failure);
        expect(await countRows(database, "items")).to.equal("0");
        const madeTables = await database.query("SELECT 1 FROM pg_tables WHERE tablename = 'made_in_transaction'");
        expect(madeTables).to.deep.equal([]);
      });

      it("should reject with the SQL error and keep nothing when a statement fails", async function () {
        const work = database.transaction(async (tx) => {
          await tx.exec("INSERT INTO items VALUES (1, 'one')");
          await tx.exec("INSERT INTO items VALUES (1, 'duplicate')");
        });
        await expect(work).to.be.rejected.and.eventually.include({ code: "23505" });
        expect(await countRows(database, "items")).to.equal("0");
      });

      it("should reject with TransactionAbortedError when the work swallowed a failed statement", async function () {
        const work = database.transaction(async (tx) => {
          await tx.exec("INSERT INTO items VALUES (1, 'one')");
          await tx.exec("INSERT INTO items VALUES (1, 'duplicate')").catch(() => undefined);
        });
        await expect(work).to.be.rejectedWith(TransactionAbortedError);
        expect(await countRows(database, "items")).to.equal("0");
      });

      it("should reject a statement or transaction sent to the database itself from inside a transaction", async function () {
        await database.transaction(async (tx) => {
          await expect(database.query("SELECT 1")).to.be.rejectedWith(DatabaseCalledInsideTransactionError);
          await expect(database.transaction(async () => "nested")).to.be.rejectedWith(
            DatabaseCalledInsideTransactionError,
          );
          await tx.exec("INSERT INTO items VALUES (1, 'still usable')");
        });
        expect(await countRows(database, "items")).to.equal("1");
      });
    });

    describe("copyRows", function () {
      it("should round-trip commas, quotes, line breaks, backslashes, unicode, and empty strings apart from null", async function () {
        await database.exec(`CREATE TABLE awkward ("order" int, "Value" text, note text)`);
        const rows = AWKWARD_VALUES.map((value, index) => [value, String(index), value === null ? "null" : null]);
        await database.copyRows("awkward", ["Value", "order", "note"], rows);
        const stored = await database.query<{ value: string | null; note: string | null }>(
          `SELECT "Value" AS value, note FROM awkward ORDER BY "order"`,
        );
        expect(stored.map((row) => row.value)).to.deep.equal(AWKWARD_VALUES);
        expect(stored.map((row) => row.note)).to.deep.equal(rows.map((row) => row[2]));
      });

      it("should load 50,000 rows", async function () {
        await database.copyRows("items", ["id", "value"], numberedRows(50_000));
        const [summary] = await database.query(
          "SELECT count(*) AS count, sum(id) AS sum, max(value) AS max FROM items",
        );
        expect(summary).to.deep.equal({ count: "50000", sum: String((49_999 * 50_000) / 2), max: "row 9999" });
      });

      it("should load nothing from no rows", async function () {
        await database.copyRows("items", ["id", "value"], []);
        expect(await countRows(database, "items")).to.equal("0");
      });

      it("should load into a schema-qualified table", async function () {
        await database.copyRows("public.items", ["id", "value"], numberedRows(3));
        expect(await countRows(database, "items")).to.equal("3");
      });

      it("should load inside a transaction, and a rollback leaves nothing", async function () {
        const failure = new Error("abandon the load");
        const work = database.transaction(async (tx) => {
          await tx.copyRows("items", ["id", "value"], numberedRows(1000));
          expect(await countRows(tx, "items")).to.equal("1000");
          throw failure;
        });
        await expect(work).to.be.rejected.and.eventually.equal(failure);
        expect(await countRows(database, "items")).to.equal("0");
      });

      it("should load inside a transaction that commits, alongside other statements", async function () {
        await database.transaction(async (tx) => {
          await tx.exec("INSERT INTO items VALUES (-1, 'before')");
          await tx.copyRows("items", ["id", "value"], numberedRows(1000));
        });
        expect(await countRows(database, "items")).to.equal("1001");
      });

      it("should reject a load that violates a unique key with a non-retryable SQL error, and load nothing", async function () {
        const rows = [...numberedRows(500), ["7", "duplicate"]];
        const error = await expect(database.copyRows("items", ["id", "value"], rows)).to.be.rejected;
        expect(error).to.include({ code: "23505" });
        expect(isRetryableDatabaseError(error)).to.equal(false);
        expect(await countRows(database, "items")).to.equal("0");
      });
    });

    describe("tableChecksums", function () {
      beforeEach(async function () {
        await database.exec("CREATE TABLE mirror (id int PRIMARY KEY, value text)");
      });

      it("should be equal for equal content inserted in different orders", async function () {
        const rows = numberedRows(200, (index) => (index % 3 ? `value ${index}` : null));
        await database.copyRows("items", ["id", "value"], rows);
        await database.copyRows("mirror", ["id", "value"], [...rows].reverse());
        const checksums = await tableChecksums(database, ["items", "mirror"]);
        expect(checksums.items).to.equal(checksums.mirror);
      });

      it("should differ when one value differs", async function () {
        await database.copyRows("items", ["id", "value"], numberedRows(200));
        await database.copyRows(
          "mirror",
          ["id", "value"],
          numberedRows(200, (index) => (index === 42 ? "" : `row ${index}`)),
        );
        const checksums = await tableChecksums(database, ["items", "mirror"]);
        expect(checksums.items).not.to.equal(checksums.mirror);
      });
    });

    describe("test databases", function () {
      it(`should open a fresh empty ${target.name} database each time and delete it on close`, async function () {
        const second = await target.open();
        try {
          expect(
            await second.database.query("SELECT tablename FROM pg_tables WHERE schemaname = 'public'"),
          ).to.deep.equal([]);
          expect(second.database.engine).to.equal(database.engine);
          expect(second.url ?? second.dataDir).to.not.equal(handle.url ?? handle.dataDir);
        } finally {
          await second.close();
        }
        await expectDeleted(second);
      });
    });

    /** The folder is gone (PGlite), or the server no longer lists the database (PostgreSQL). */
    async function expectDeleted(closed: TestDatabase): Promise<void> {
      if (closed.dataDir) {
        expect(existsSync(closed.dataDir)).to.equal(false);
        return;
      }
      const name = new URL(closed.url as string).pathname.slice(1);
      expect(await database.query("SELECT 1 FROM pg_database WHERE datname = $1", [name])).to.deep.equal([]);
    }
  });
}

describe("openDatabase", function () {
  let parent: string;

  beforeEach(async function () {
    parent = await mkdtemp(path.join(os.tmpdir(), "dxl-open-database-"));
  });

  afterEach(async function () {
    await rm(parent, { recursive: true, force: true });
  });

  it("should create PGlite in a child process, in a data folder it creates, when no URL is given", async function () {
    const dataDir = path.join(parent, "nested", "data");
    const creations: PgliteCreation[] = [];
    const database = await openDatabase({ dataDir }, { pglite: { onCreated: (creation) => creations.push(creation) } });
    await database.exec("CREATE TABLE kept (value text); INSERT INTO kept VALUES ('here')");
    await database.close();
    expect(database.engine).to.equal("pglite");
    expect(existsSync(path.join(dataDir, "PG_VERSION"))).to.equal(true);
    expect(creations).to.have.length(1);
    // initdb's memory is the child's: it is measured there and gone with it
    expect(creations[0].peakRssMb).to.be.greaterThan(50);
    expect(await readdir(path.dirname(dataDir))).to.deep.equal(["data"]); // no building folder left behind

    const reopened = await openDatabase({ dataDir }, { pglite: { onCreated: (creation) => creations.push(creation) } });
    expect(await reopened.query("SELECT value FROM kept")).to.deep.equal([{ value: "here" }]);
    await reopened.close();
    expect(creations).to.have.length(1);
  });

  it("should create PGlite in an empty folder that already exists", async function () {
    const database = await openDatabase({ dataDir: parent });
    expect(await database.query("SELECT 1 AS one")).to.deep.equal([{ one: 1 }]);
    await database.close();
  });

  it("should refuse a folder that holds other files, and leave them alone", async function () {
    await writeFile(path.join(parent, "notes.txt"), "mine");
    await expect(openDatabase({ dataDir: parent })).to.be.rejectedWith(
      /holds files but no PGlite database \(no PG_VERSION\)/,
    );
    expect(await readdir(parent)).to.deep.equal(["notes.txt"]);
  });
});

describe("isRetryableDatabaseError", function () {
  const cases: [string, unknown, boolean][] = [
    ["connection failure 08006", Object.assign(new Error("x"), { code: "08006" }), true],
    ["admin shutdown 57P01", Object.assign(new Error("x"), { code: "57P01" }), true],
    ["server starting up 57P03", Object.assign(new Error("x"), { code: "57P03" }), true],
    ["a refused socket", Object.assign(new Error("x"), { code: "ECONNREFUSED" }), true],
    ["a reset socket", Object.assign(new Error("x"), { code: "ECONNRESET" }), true],
    ["pg's dropped-connection error", new Error("Connection terminated unexpectedly"), true],
    ["a DatabaseUnavailableError", new DatabaseUnavailableError("h:1/d", new Error("x")), true],
    ["protocol violation 08P01 (our bug)", Object.assign(new Error("x"), { code: "08P01" }), false],
    ["unique violation 23505", Object.assign(new Error("x"), { code: "23505" }), false],
    ["syntax error 42601", Object.assign(new Error("x"), { code: "42601" }), false],
    ["a plain error", new Error("boom"), false],
    ["a string", "ECONNREFUSED", false],
  ];
  for (const [name, error, retryable] of cases) {
    it(`should classify ${name} as ${retryable ? "retryable" : "not retryable"}`, function () {
      expect(isRetryableDatabaseError(error)).to.equal(retryable);
    });
  }
});

describe("describePostgresTarget", function () {
  it("should name host, port and database, never the password", function () {
    expect(describePostgresTarget("postgres://dxl:secret@db.internal:6543/ledger")).to.equal("db.internal:6543/ledger");
  });

  it("should fall back to port 5432 and the user's name for the database, as libpq does", function () {
    expect(describePostgresTarget("postgres://indexer:secret@db.internal")).to.equal("db.internal:5432/indexer");
  });

  it("should reject a malformed URL without echoing it", function () {
    expect(() => describePostgresTarget("not a url with secret"))
      .to.throw(TypeError)
      .that.satisfies((error: Error) => !error.message.includes("secret"));
  });
});

if (process.env.DXL_TEST_DATABASE_URL) {
  const serverUrl = process.env.DXL_TEST_DATABASE_URL;

  describe("PostgreSQL connection failures", function () {
    it("should report an unreachable server in one line naming host:port/database, without the password", async function () {
      const port = await freePort();
      const opening = openPostgresDatabase(`postgres://dxl:pa55-w0rd-secret@127.0.0.1:${port}/ledger`);
      const error = await expect(opening).to.be.rejectedWith(DatabaseUnavailableError);
      expect(error.message).to.include(`127.0.0.1:${port}/ledger`);
      expect(error.message).not.to.include("pa55-w0rd-secret");
      expect(error.message).not.to.include("\n");
      expect(error).to.include({ retryable: true, target: `127.0.0.1:${port}/ledger` });
    });

    it("should report a missing database as a refused connection that is not retryable", async function () {
      const url = new URL(serverUrl);
      url.pathname = "/dxl_no_such_database";
      const error = await expect(openPostgresDatabase(url.toString())).to.be.rejectedWith(
        DatabaseConnectionRejectedError,
      );
      expect(error.message).to.include(`${url.hostname}:${url.port}/dxl_no_such_database`);
      expect(error).to.include({ retryable: false });
      expect(isRetryableDatabaseError(error)).to.equal(false);
    });
  });

  describe("PostgreSQL server restart", function () {
    let server: PostgresServer;

    before(async function () {
      server = await startPostgresServer();
    });

    after(async function () {
      await server?.stop();
    });

    it("should survive a restart that kills its idle connections, and serve the next query", async function () {
      const idleErrors: DatabaseUnavailableError[] = [];
      const database = await openPostgresDatabase(server.url, {
        onIdleConnectionError: (error) => idleErrors.push(error),
      });
      try {
        await Promise.all([1, 2, 3].map((n) => database.query("SELECT $1::int AS n", [n])));
        await server.restart();
        await eventually(() => idleErrors.length === 3);
        expect(idleErrors[0].message).to.include(describePostgresTarget(server.url));
        expect(await database.query("SELECT 1 AS one")).to.deep.equal([{ one: 1 }]);
      } finally {
        await database.close();
      }
    });

    it("should fail a transaction whose connection a restart killed with DatabaseUnavailableError, then recover", async function () {
      const database = await openPostgresDatabase(server.url);
      try {
        await database.exec("DROP TABLE IF EXISTS items; CREATE TABLE items (id int)");
        const work = database.transaction(async (tx) => {
          await tx.exec("INSERT INTO items VALUES (1)");
          await server.restart();
          await tx.exec("INSERT INTO items VALUES (2)");
        });
        await expect(work).to.be.rejectedWith(DatabaseUnavailableError);
        expect(await countRows(database, "items")).to.equal("0");
      } finally {
        await database.close();
      }
    });
  });
}
