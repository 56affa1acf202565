/**
 * Every Redis key the hub uses. All share the hash tag `{prefix}`, so the keys a Lua script touches
 * together live in one slot under Redis Cluster; scripts that build keys from ids use the same
 * layout (see lua/includes/keys.lua).
 */
export function redisKeys(prefix: string) {
  const p = `{${prefix}}`;
  return {
    /** Prefix handed to Lua scripts that compose keys from ids. */
    prefix: p,
    accounts: `${p}:accounts`,
    account: (id: string) => `${p}:account:${id}`,
    usernames: `${p}:usernames`,
    accountsOfType: (type: string) => `${p}:accounts:${type}`,
    license: `${p}:license`,
    settings: `${p}:settings:idle`,
    session: (id: string) => `${p}:session:${id}`,
    sessions: `${p}:sessions`,
    accountSessions: (accountId: string) => `${p}:account-sessions:${accountId}`,
    seats: `${p}:seats`,
    namedOnline: `${p}:named-online`,
    token: (hash: string) => `${p}:token:${hash}`,
    tombstone: (hash: string) => `${p}:tomb:${hash}`,
    seq: `${p}:seq`,
    changes: `${p}:changes`,
    nodes: `${p}:nodes`,
    nodePresence: (nodeId: string) => `${p}:presence:${nodeId}`,
    history: (type: string, bucketSeconds: number) => `${p}:hist:${type}:${bucketSeconds}`,
    denied: (type: string, bucketSeconds: number) => `${p}:denied:${type}:${bucketSeconds}`,
    historyNow: (type: string) => `${p}:hist-now:${type}`,
    /** The audit log: a capped stream. */
    audit: `${p}:audit`,
    /** Ended sessions: a capped stream. */
    sessionHistory: `${p}:session-history`,
    /** Prefix of the failed-login counters (rate-limiter-flexible appends `:<key>`). */
    loginFailures: (scope: "user-ip" | "ip") => `${p}:login-fail:${scope}`,
    /** Held by the one node that re-adds missing idle jobs this period. */
    idleReconcileLock: `${p}:idle:reconcile`,
    /** BullMQ's own prefix: its keys carry the same hash tag. */
    bullPrefix: `${p}:bull`,
  };
}

export type RedisKeys = ReturnType<typeof redisKeys>;
