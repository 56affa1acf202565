/**
 * The baseline: a bare Socket.IO server of the same version as the hub's, on the same kind of
 * HTTP server, with no auth and no Redis. Like the hub it answers nothing to `activity`; it only
 * notes the time per socket (what the hub's activity buffer does before its flush), so the
 * difference between the two is the hub's own work. Port comes in BENCH_PORT (0 = free port).
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { Server } from "socket.io";
import { serveParent } from "./ipc.ts";
import { ServerProbe } from "./server-probe.ts";

const probe = new ServerProbe();
const httpServer = createServer();
const io = new Server(httpServer, { serveClient: false, maxHttpBufferSize: 64 * 1024 });
const lastSeen = new Map<string, number>();

io.on("connection", (socket) => {
  socket.onAny(() => {
    probe.count();
    lastSeen.set(socket.id, Date.now());
  });
  socket.on("disconnect", () => lastSeen.delete(socket.id));
});

await new Promise<void>((resolve) => httpServer.listen(Number(process.env.BENCH_PORT ?? 0), "127.0.0.1", resolve));
const url = `http://127.0.0.1:${(httpServer.address() as AddressInfo).port}`;

serveParent({ ...probe.handlers(), "baseline:url": () => url });

process.on("SIGTERM", () => {
  io.close();
  httpServer.closeAllConnections();
  process.exit(0);
});
