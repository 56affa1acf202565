/**
 * A simulated technician for the demo: signs in on the SDK (Web App or mobile), works (reports
 * activity), goes idle, keeps or ignores prompts, signs out, and comes back — so the dashboard
 * has sessions starting, idling, being prompted, expiring and ending.
 */
import { HubClient, HubClientError, type SessionEnd, type SessionPrompt } from "../../client/sdk/index.ts";
import type { App } from "../../shared/types.ts";
import type { DemoTechnician } from "./seed.ts";

export interface SimulationOptions {
  url: string;
  password: string;
  /** Writes one line of the demo's log. */
  log: (line: string) => void;
  /** @default Math.random */
  random?: () => number;
}

type Outcome = "ended" | "stopped" | "continue";

const sleepFor = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    }
    signal.addEventListener("abort", done);
  });

export class SimulatedTechnician {
  private readonly client: HubClient;
  private readonly abort = new AbortController();
  private readonly random: () => number;
  private started = false;
  private ended: Promise<SessionEnd> | null = null;
  private hasEnded = false;

  constructor(
    private readonly technician: DemoTechnician,
    private readonly app: App,
    private readonly options: SimulationOptions,
  ) {
    this.random = options.random ?? Math.random;
    this.client = new HubClient({ url: options.url, activityThrottleMs: 500 });
  }

  start(): void {
    if (this.started) return;
    this.started = true;
    this.run().catch((error: unknown) => this.say(`stopped after an error: ${(error as Error).message}`));
  }

  /**
   * Stops the simulation and closes the socket at once. The session stays open on the hub (the
   * demo's Redis is about to go away with it); use `signOut()` first to end it properly.
   */
  disconnect(): void {
    this.abort.abort();
    this.client.disconnect();
  }

  private get stopped(): boolean {
    return this.abort.signal.aborted;
  }

  private async run(): Promise<void> {
    await this.sleep(this.between(0.5, 8) * 1000);
    while (!this.stopped) {
      const signedIn = await this.signIn();
      if (signedIn) await this.shift();
      await this.sleep(this.between(4, 15) * 1000);
    }
  }

  private async signIn(): Promise<boolean> {
    const device = this.app === "web" ? this.pick(["Chrome on Windows", "Edge on Windows", "Firefox on Linux", "Safari on macOS"]) : this.pick(["Pixel 8", "iPhone 15", "Galaxy S24"]);
    try {
      const { session } = await this.client.login({
        username: this.technician.username,
        password: this.options.password,
        app: this.app,
        device,
      });
      if (this.stopped) return false;
      this.hasEnded = false;
      this.ended = new Promise((resolve) => this.client.once("ended", resolve));
      this.say(`signed in on ${device} (session ${session.id})`);
      await this.client.connect();
      return true;
    } catch (error) {
      const code = error instanceof HubClientError ? error.code : "";
      this.say(code === "LICENSE_LIMIT_REACHED" ? "refused: all concurrent seats are in use" : `sign-in failed: ${(error as Error).message}`);
      return false;
    }
  }

  /** One session from sign-in to its end. */
  private async shift(): Promise<void> {
    for (;;) {
      const worked = await this.work(this.between(6, 25));
      if (worked !== "continue") return;
      const roll = this.random();
      let outcome: Outcome;
      if (roll < 0.3) outcome = await this.signOut();
      else if (this.technician.licenseType === "named") outcome = await this.idleNamed();
      else if (this.app === "web" && roll < 0.7) outcome = await this.idleThenKeep();
      else outcome = await this.idleUntilExpiry();
      if (outcome !== "continue") return;
    }
  }

  private async work(seconds: number): Promise<Outcome> {
    const until = Date.now() + seconds * 1000;
    while (Date.now() < until) {
      this.client.activity();
      const outcome = await this.waitOrEnd(this.between(0.8, 3) * 1000);
      if (outcome !== "continue") return outcome;
    }
    return "continue";
  }

  private async signOut(): Promise<Outcome> {
    this.say("signs out");
    await this.client.logout().catch((error: Error) => this.say(`could not sign out: ${error.message}`));
    return this.report(await this.ended!);
  }

  /** Named sessions are never ended for idling: stay away well past the timeout, then return. */
  private async idleNamed(): Promise<Outcome> {
    this.say("goes idle (named: the hub leaves this session alone)");
    return this.waitOrEnd(this.between(40, 90) * 1000);
  }

  /** Web App: go idle, get prompted, answer "Keep session" after a moment. */
  private async idleThenKeep(): Promise<Outcome> {
    this.say("goes idle, will keep the session when prompted");
    const prompt = await this.nextPromptOrEnd();
    if (prompt === "ended" || prompt === "stopped") return prompt;
    const answerMs = Math.min(this.between(2, 8) * 1000, Math.max(500, prompt.remainingMs - 3000));
    const waited = await this.waitOrEnd(answerMs);
    if (waited !== "continue") return waited;
    try {
      await this.client.keep();
      this.say("kept the session");
    } catch (error) {
      this.say(`could not keep the session: ${(error as Error).message}`);
    }
    return "continue";
  }

  /** Go idle and ignore any prompt: the hub ends the session as expired. */
  private async idleUntilExpiry(): Promise<Outcome> {
    this.say(this.app === "web" ? "goes idle, will ignore the prompt" : "goes idle (mobile: expires at the timeout)");
    const off = this.client.on("prompt", () => this.say("prompted to keep the session; ignoring it"));
    try {
      return await this.waitOrEnd(Number.POSITIVE_INFINITY);
    } finally {
      off();
    }
  }

  private nextPromptOrEnd(): Promise<SessionPrompt | "ended" | "stopped"> {
    return new Promise((resolve) => {
      const off = this.client.once("prompt", (prompt) => {
        this.say(`prompted to keep the session (${Math.round(prompt.remainingMs / 1000)} s to answer)`);
        resolve(prompt);
      });
      void this.waitOrEnd(Number.POSITIVE_INFINITY).then((outcome) => {
        off();
        resolve(outcome === "continue" ? "stopped" : outcome);
      });
    });
  }

  /** Waits `ms` (forever when infinite); returns early when the session ends or the demo stops. */
  private async waitOrEnd(ms: number): Promise<Outcome> {
    if (this.stopped) return "stopped";
    const signal = this.abort.signal;
    let onAbort = () => {};
    const stop = new Promise<Outcome>((resolve) => {
      onAbort = () => resolve("stopped");
      signal.addEventListener("abort", onAbort, { once: true });
    });
    const ended = this.ended!.then((end) => this.report(end));
    const timer = Number.isFinite(ms) ? sleepFor(ms, signal).then(() => "continue" as const) : stop;
    try {
      const outcome = await Promise.race([ended, timer, stop]);
      return this.stopped ? "stopped" : outcome;
    } finally {
      signal.removeEventListener("abort", onAbort);
    }
  }

  private report(end: SessionEnd): Outcome {
    if (!this.hasEnded) {
      this.hasEnded = true;
      this.say(`session ended [${end.reason}]: ${end.message}`);
    }
    return "ended";
  }

  private sleep(ms: number): Promise<void> {
    return sleepFor(ms, this.abort.signal);
  }

  private between(min: number, max: number): number {
    return min + this.random() * (max - min);
  }

  private pick<T>(items: T[]): T {
    return items[Math.floor(this.random() * items.length)] as T;
  }

  private say(text: string): void {
    if (this.stopped) return;
    const time = new Date().toLocaleTimeString("en-GB");
    const who = this.technician.username.padEnd(7);
    const kind = `${this.app}/${this.technician.licenseType}`.padEnd(17);
    this.options.log(`${time}  ${who} ${kind} ${text}`);
  }
}
