// A local Web Push service for tests: an HTTPS server (self-signed certificate, made with openssl, for
// 127.0.0.1) that keeps every push it receives, and browser-side subscription keys to decrypt them with.
// decryptPush undoes RFC 8291 (aes128gcm, RFC 8188) with node:crypto; checkVapid verifies RFC 8292's JWT.
import { execFileSync } from "node:child_process";
import { createECDH, createPublicKey, hkdfSync, randomBytes, verify, createDecipheriv, type ECDH } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:https";
import { tmpdir } from "node:os";
import path from "node:path";

export interface ReceivedPush {
  path: string;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

export interface PushEndpoint {
  /** https://127.0.0.1:<port> */
  origin: string;
  /** the PEM file to give the server as NODE_EXTRA_CA_CERTS */
  caFile: string;
  received: ReceivedPush[];
  /** the status a path answers with (default 201) */
  statusFor: Map<string, number>;
  /** waits for the `n`-th push (1-based) to `pathname` */
  nth(pathname: string, n: number, ms?: number): Promise<ReceivedPush>;
  close(): Promise<void>;
}

export async function startPushEndpoint(): Promise<PushEndpoint> {
  const dir = mkdtempSync(path.join(tmpdir(), "chatterbox-push-"));
  const [keyFile, certFile] = [path.join(dir, "key.pem"), path.join(dir, "cert.pem")];
  execFileSync(
    "openssl",
    [
      ...["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"],
      ...["-keyout", keyFile, "-out", certFile, "-days", "1", "-subj", "/CN=127.0.0.1"],
      ...["-addext", "subjectAltName=IP:127.0.0.1"],
    ],
    { stdio: "ignore" },
  );
  const received: ReceivedPush[] = [];
  const statusFor = new Map<string, number>();
  let waiters: (() => void)[] = [];
  const server: Server = createServer({ key: readFileSync(keyFile), cert: readFileSync(certFile) }, (req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const p = req.url ?? "/";
      received.push({ path: p, headers: req.headers, body: Buffer.concat(chunks) });
      res.writeHead(statusFor.get(p) ?? 201).end();
      const w = waiters;
      waiters = [];
      w.forEach((f) => f());
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };

  const nth = (pathname: string, n: number, ms = 10_000) =>
    new Promise<ReceivedPush>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no push #${n} to ${pathname} within ${ms} ms`)), ms);
      const look = () => {
        const hit = received.filter((r) => r.path === pathname)[n - 1];
        if (!hit) return void waiters.push(look);
        clearTimeout(timer);
        resolve(hit);
      };
      look();
    });

  return {
    origin: `https://127.0.0.1:${port}`,
    caFile: certFile,
    received,
    statusFor,
    nth,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => {
          rmSync(dir, { recursive: true, force: true });
          resolve();
        });
      }),
  };
}

/** A browser's side of a subscription: its P-256 key pair and auth secret. */
export interface BrowserKeys {
  ecdh: ECDH;
  auth: Buffer;
  /** as PushSubscription.toJSON() gives them */
  json: { p256dh: string; auth: string };
}

export function browserKeys(): BrowserKeys {
  const ecdh = createECDH("prime256v1");
  ecdh.generateKeys();
  const auth = randomBytes(16);
  return { ecdh, auth, json: { p256dh: ecdh.getPublicKey().toString("base64url"), auth: auth.toString("base64url") } };
}

const hkdf = (ikm: Buffer, salt: Buffer, info: Buffer, length: number) =>
  Buffer.from(hkdfSync("sha256", ikm, salt, info, length));

/** RFC 8291 §3.4 and RFC 8188: the plaintext of one aes128gcm push body (a single record). */
export function decryptPush(body: Buffer, keys: BrowserKeys): string {
  const salt = body.subarray(0, 16);
  const idLength = body[20]!;
  const senderKey = body.subarray(21, 21 + idLength);
  const ciphertext = body.subarray(21 + idLength);
  const shared = keys.ecdh.computeSecret(senderKey);
  const keyInfo = Buffer.concat([Buffer.from("WebPush: info\0"), keys.ecdh.getPublicKey(), senderKey]);
  const ikm = hkdf(shared, keys.auth, keyInfo, 32);
  const cek = hkdf(ikm, salt, Buffer.from("Content-Encoding: aes128gcm\0"), 16);
  const nonce = hkdf(ikm, salt, Buffer.from("Content-Encoding: nonce\0"), 12);
  const decipher = createDecipheriv("aes-128-gcm", cek, nonce);
  decipher.setAuthTag(ciphertext.subarray(-16));
  const padded = Buffer.concat([decipher.update(ciphertext.subarray(0, -16)), decipher.final()]);
  // the last record ends with the delimiter 0x02, then zero padding
  const end = padded.lastIndexOf(2);
  if (end < 0 || padded.subarray(end + 1).some((b) => b !== 0)) throw new Error("bad record padding");
  return padded.subarray(0, end).toString("utf8");
}

/** RFC 8292: `Authorization: vapid t=<JWT>, k=<key>`; verifies the ES256 signature with k; the claims. */
export function checkVapid(authorization: string | undefined): {
  key: string;
  claims: { aud: string; exp: number; sub: string };
} {
  const m = /^vapid t=([^,\s]+),\s*k=([A-Za-z0-9_-]+)$/.exec(authorization ?? "");
  if (!m) throw new Error(`not a VAPID authorization: ${authorization}`);
  const [jwt, key] = [m[1]!, m[2]!];
  const [header, payload, signature] = jwt.split(".") as [string, string, string];
  const raw = Buffer.from(key, "base64url");
  const publicKey = createPublicKey({
    key: {
      kty: "EC",
      crv: "P-256",
      x: raw.subarray(1, 33).toString("base64url"),
      y: raw.subarray(33).toString("base64url"),
    },
    format: "jwk",
  });
  const ok = verify(
    "sha256",
    Buffer.from(`${header}.${payload}`),
    { key: publicKey, dsaEncoding: "ieee-p1363" },
    Buffer.from(signature, "base64url"),
  );
  if (!ok) throw new Error("VAPID signature does not verify");
  if ((JSON.parse(Buffer.from(header, "base64url").toString()) as { alg: string }).alg !== "ES256")
    throw new Error("alg");
  return {
    key,
    claims: JSON.parse(Buffer.from(payload, "base64url").toString()) as { aud: string; exp: number; sub: string },
  };
}
