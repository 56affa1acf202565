/**
 * A small seeded generator for the fuzz test: a PRNG (mulberry32) and makers of random values,
 * strings, JSON and deliberately invalid request bodies. Same seed, same run.
 */
export class Random {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** A float in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  int(max: number): number {
    return Math.floor(this.next() * max);
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)]!;
  }

  chance(p: number): boolean {
    return this.next() < p;
  }
}

const NASTY_STRINGS = [
  "", " ", "\u0000", "__proto__", "constructor", "prototype", "../../etc/passwd", "%00", "%zz",
  "<script>alert(1)</script>", "' OR 1=1 --", "{\"$gt\":\"\"}", "\uD800", "😀".repeat(50), "\r\nX-Injected: 1",
  "NaN", "Infinity", "-1", "1e309", "null", "true", "web ", "WEB", "named\u200b", "a".repeat(70), "x".repeat(3000),
];

export function randomString(r: Random): string {
  if (r.chance(0.4)) return r.pick(NASTY_STRINGS);
  const length = r.int(r.chance(0.1) ? 400 : 20);
  let out = "";
  for (let i = 0; i < length; i++) {
    out += String.fromCharCode(r.chance(0.8) ? 32 + r.int(95) : r.int(0xffff));
  }
  return out;
}

const NUMBERS = [0, -1, 1, 0.5, -0.0001, 1e21, -1e21, Number.MAX_SAFE_INTEGER + 2, 2 ** 31, 1_000_001, 59, 1441, 3601];

export function randomJson(r: Random, depth = 0): unknown {
  const kind = r.int(depth > 2 ? 4 : 6);
  switch (kind) {
    case 0:
      return r.chance(0.5) ? r.pick(NUMBERS) : (r.next() - 0.5) * 10 ** r.int(12);
    case 1:
      return randomString(r);
    case 2:
      return r.chance(0.5);
    case 3:
      return null;
    case 4:
      return Array.from({ length: r.int(5) }, () => randomJson(r, depth + 1));
    default: {
      const object: Record<string, unknown> = {};
      for (let i = r.int(5); i > 0; i--) object[randomString(r).slice(0, 40)] = randomJson(r, depth + 1);
      return object;
    }
  }
}

/**
 * A value whose JSON type differs from `like`'s, so a schema expecting `like`'s type refuses it.
 * Never null: some fields accept null as well (a license limit of N/A).
 */
export function wrongTyped(r: Random, like: unknown): unknown {
  for (;;) {
    const value = randomJson(r);
    if (value !== null && jsonType(value) !== jsonType(like)) return value;
  }
}

function jsonType(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  return typeof value;
}

/**
 * A body a strict schema must refuse, made from a valid one: an unknown key, a wrong-typed or
 * missing field (`required` names the fields it may drop), or something that is not an object.
 */
export function invalidBody(r: Random, valid: Record<string, unknown>, required: readonly string[]): unknown {
  const body: Record<string, unknown> = { ...valid };
  const keys = Object.keys(valid);
  switch (r.int(4)) {
    case 0: {
      let key = randomString(r).slice(0, 30);
      while (key in valid || key === "__proto__") key += "_x";
      body[key] = randomJson(r);
      return body;
    }
    case 1: {
      const key = r.pick(keys);
      body[key] = wrongTyped(r, valid[key]);
      return body;
    }
    case 2:
      if (required.length > 0) {
        delete body[r.pick(required)];
        return body;
      }
      return { ...body, [`unknown_${r.int(1000)}`]: randomJson(r) };
    default:
      return r.pick([[], [body], "body", 42, true, null]);
  }
}
