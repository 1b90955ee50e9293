// Files scaled out: every process keeps uploads in one shared directory (UPLOAD_DIR, a shared volume in a real
// deployment; here the cluster's directory), so a file uploaded through one process can be attached through
// another and is served, with its thumbnail, by any of them, including one started after the upload.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Message } from "@/lib/protocol";
import { startCluster, type TestCluster } from "../helpers/cluster";
import { socketPool } from "../helpers/cluster-clients";
import { dbNumber } from "../helpers/db";
import { until } from "../helpers/delivery";
import { registerAndLogin } from "../helpers/remote";
import { ackedMessage, record, send } from "../helpers/socket-utils";
import { png, uploadFile } from "../helpers/uploads";

let cluster: TestCluster;
const sockets = socketPool();
const open = sockets.open;

beforeAll(async () => {
  cluster = await startCluster(2);
});
afterAll(async () => {
  sockets.closeAll();
  await cluster?.close();
});

const get = (base: string, url: string, token: string) =>
  fetch(base + url, { headers: { authorization: `Bearer ${token}` } });

describe("files across processes", () => {
  it("uploaded on one process, attached on the other, served with its thumbnail by every process", async () => {
    const [a, b] = cluster.servers;
    const alice = await registerAndLogin(a!.url, "file_alice");
    const bob = await registerAndLogin(b!.url, "file_bob");
    const bobOnA = await open(a!.url, bob);
    const heard = record(bobOnA, "message:new");

    const image = await png(640, 480);
    const up = await uploadFile(a!.url, alice, image, "photo.png");
    expect(up.status).toBe(201);
    const id = up.file!.id;

    // the upload was made on A; the message that carries it is sent through B
    const aliceOnB = await open(b!.url, alice);
    const sent = ackedMessage(
      await send(aliceOnB, { content: "the photo", files: [id], clientId: crypto.randomUUID() }),
    );
    expect(sent.files?.map((f) => f.id)).toEqual([id]);
    await until(
      () => heard.some((m: Message) => m.id === sent.id),
      5000,
      () => `bob on A heard ${heard.length} messages`,
    );
    const file = heard.find((m: Message) => m.id === sent.id)!.files[0]!;
    expect(file.thumbnailUrl).toBe(`/api/files/${id}/thumbnail`);

    for (const server of [a!, b!]) {
      const res = await get(server.url, file.url, bob);
      expect(res.status).toBe(200);
      expect(Buffer.from(await res.arrayBuffer()).equals(image)).toBe(true);
      const thumb = await get(server.url, file.thumbnailUrl!, bob);
      expect(thumb.status).toBe(200);
      expect(thumb.headers.get("content-type")).toMatch(/^image\//);
    }

    // a process that was not running when the file came in serves it too
    const c = await cluster.add();
    const late = await get(c.url, file.url, bob);
    expect(late.status).toBe(200);
    expect(Buffer.from(await late.arrayBuffer()).equals(image)).toBe(true);
  });

  it("an upload of one process cannot be attached twice, whichever process the second send goes through", async () => {
    const [a, b] = cluster.servers;
    const carol = await registerAndLogin(a!.url, "file_carol");
    const up = await uploadFile(b!.url, carol, "plain text notes", "notes.txt");
    expect(up.status).toBe(201);
    const onA = await open(a!.url, carol);
    const onB = await open(b!.url, carol);
    const [first, second] = await Promise.all([
      send(onA, { content: "notes", files: [up.file!.id], clientId: crypto.randomUUID() }),
      send(onB, { content: "notes again", files: [up.file!.id], clientId: crypto.randomUUID() }),
    ]);
    // exactly one of the two carries the file; the other is refused and stores nothing
    expect([first.ok, second.ok].filter(Boolean)).toHaveLength(1);
    const refused = first.ok ? second : first;
    expect(refused.ok ? "" : refused.error.code).toBe("invalid_input");
    const db = cluster.servers[0]!;
    expect(await dbNumber(db, "SELECT count(*) FROM Message WHERE content IN ('notes', 'notes again')")).toBe(1);
    expect(await dbNumber(db, "SELECT count(*) FROM Upload WHERE id = ? AND messageId IS NOT NULL", up.file!.id)).toBe(
      1,
    );
  });
});
