/**
 * The mobile client simulator: a technician's phone session in a terminal, on the same SDK as the
 * Web App, with `app: "mobile"`. Any key reports activity; the hub ends the session when it idles.
 *
 *   npm run mobile -- --user U --password P [--url URL] [--device NAME]
 *
 * Exit status: 0 signed out here, 1 could not start, 2 ended otherwise, 3 terminated by an
 * administrator, 4 expired due to inactivity, 5 account disabled (see mobile/exit-codes.ts).
 */
import { hostname } from "node:os";
import { createInterface } from "node:readline";
import { parseArgs } from "node:util";
import { HubClient, HubClientError, type SessionEnd } from "../client/sdk/index.ts";
import { exitCodeFor, MobileExit } from "./mobile/exit-codes.ts";
import { TerminalView } from "./mobile/terminal-view.ts";

const usage = `Usage: npm run mobile -- --user USERNAME --password PASSWORD [--url URL] [--device NAME]

  --user, -u      technician's username
  --password, -p  password (or set HUB_PASSWORD)
  --url           the hub (default: HUB_URL or http://127.0.0.1:3000)
  --device        device name shown to admins (default: "<hostname> (mobile simulator)")

Any key (or, when stdin is not a terminal, any line) reports activity; "k" keeps a prompted
session; "q" or Ctrl-C signs out.`;

function parseOptions() {
  try {
    const { values } = parseArgs({
      options: {
        user: { type: "string", short: "u" },
        password: { type: "string", short: "p" },
        url: { type: "string" },
        device: { type: "string" },
        help: { type: "boolean", short: "h" },
      },
      strict: true,
    });
    if (values.help) {
      console.log(usage);
      process.exit(0);
    }
    const password = values.password ?? process.env.HUB_PASSWORD;
    if (!values.user || !password) throw new Error("--user and --password are required");
    return {
      user: values.user,
      password,
      url: values.url ?? process.env.HUB_URL ?? "http://127.0.0.1:3000",
      device: values.device ?? `${hostname()} (mobile simulator)`,
    };
  } catch (error) {
    console.error(`${(error as Error).message}\n\n${usage}`);
    process.exit(MobileExit.START_FAILED);
  }
}

async function main(): Promise<void> {
  const options = parseOptions();
  const view = new TerminalView(process.stdout);
  const client = new HubClient({ url: options.url });
  let signingOut = false;

  const exit = (code: number) => {
    view.stop();
    client.disconnect();
    if (process.stdin.isTTY) process.stdin.setRawMode(false);
    process.exit(code);
  };

  client.on("state", (state) => view.setState(state));
  client.on("error", (error) => view.line(`hub: ${error.message} (retrying)`));
  client.on("prompt", (prompt) => {
    view.setPrompt(prompt.deadline);
    view.line(`The hub asks whether to keep this idle session: ${Math.ceil(prompt.remainingMs / 1000)} s to answer (press k).`);
  });
  client.on("resumed", () => {
    view.setPrompt(null);
    view.line("Session kept.");
  });
  client.on("ended", (end: SessionEnd) => {
    if (signingOut && end.reason === "logout") {
      view.line("Signed out.");
      exit(MobileExit.SIGNED_OUT);
      return;
    }
    const by = end.by ? ` (by ${end.by.username})` : "";
    view.line(`Session ended [${end.reason}]: ${end.message}${by}`);
    exit(exitCodeFor(end.reason));
  });

  const signOut = async () => {
    if (signingOut) return;
    signingOut = true;
    view.line("Signing out…");
    try {
      await client.logout();
    } catch (error) {
      view.line(`Could not sign out: ${(error as Error).message}`);
    }
    // A session that had ended already was reported by the `ended` handler, which exits.
    exit(MobileExit.SIGNED_OUT);
  };

  const onInput = (text: string) => {
    if (text === "\u0003" || text.trim() === "q") {
      void signOut();
      return;
    }
    if (text.trim() === "k" && client.prompt) {
      client.keep().catch((error: Error) => view.line(`Could not keep the session: ${error.message}`));
      return;
    }
    client.activity();
    view.activity();
  };

  process.on("SIGINT", () => void signOut());
  process.on("SIGTERM", () => void signOut());

  let session: Awaited<ReturnType<HubClient["login"]>>["session"];
  try {
    ({ session } = await client.login({ username: options.user, password: options.password, app: "mobile", device: options.device }));
  } catch (error) {
    const code = error instanceof HubClientError ? ` (${error.code})` : "";
    console.error(`Sign-in refused: ${(error as Error).message}${code}`);
    process.exit(MobileExit.START_FAILED);
  }
  view.line(`Signed in as ${session.displayName || session.username} (${session.licenseType}) on ${options.url}, session ${session.id}`);

  if (process.stdin.isTTY) {
    process.stdin.setRawMode(true);
    process.stdin.setEncoding("utf8");
    process.stdin.on("data", (chunk: string) => onInput(chunk));
  } else {
    createInterface({ input: process.stdin }).on("line", onInput);
  }
  view.start();
  await client.connect().catch(() => {
    // Ended before connecting: the `ended` handler has printed why and exits.
  });
}

void main();
