import { createHash, randomBytes } from "node:crypto";

/** A new session token: 256 bits from the CSPRNG, base64url. Only its hash is stored. */
export function newToken(): string {
  return randomBytes(32).toString("base64url");
}

/** The stored form of a token: SHA-256, hex. A fast hash suffices for 256-bit random secrets. */
export function hashToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

/** A session id: 128 random bits, hex (no ':' so it can name a BullMQ job). */
export function newSessionId(): string {
  return randomBytes(16).toString("hex");
}
