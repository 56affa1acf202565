/**
 * The mobile client's screen: event lines, plus (on a TTY) one status line redrawn in place with
 * the session's state and idle time.
 */
import type { ConnectionState } from "../../client/sdk/index.ts";

export class TerminalView {
  private state: ConnectionState = "disconnected";
  private lastActivityAt: number;
  private promptDeadline: number | null = null;
  private timer: ReturnType<typeof setInterval> | null = null;

  constructor(
    private readonly out: NodeJS.WriteStream,
    private readonly now: () => number = Date.now,
  ) {
    this.lastActivityAt = now();
  }

  get interactive(): boolean {
    return this.out.isTTY === true;
  }

  start(): void {
    if (this.interactive) this.timer = setInterval(() => this.drawStatus(), 1000);
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.clearStatus();
  }

  /** Prints a line above the status line. */
  line(text: string): void {
    this.clearStatus();
    this.out.write(`${text}\n`);
    this.drawStatus();
  }

  setState(state: ConnectionState): void {
    this.state = state;
    this.line(`state: ${state}`);
  }

  activity(): void {
    this.lastActivityAt = this.now();
    this.drawStatus();
  }

  setPrompt(deadline: number | null): void {
    this.promptDeadline = deadline;
    this.drawStatus();
  }

  private clearStatus(): void {
    if (this.interactive) this.out.write("\x1b[2K\r");
  }

  private drawStatus(): void {
    if (!this.interactive || !this.timer) return;
    const idle = Math.floor((this.now() - this.lastActivityAt) / 1000);
    const prompt =
      this.promptDeadline === null
        ? ""
        : ` · keep? ${Math.max(0, Math.ceil((this.promptDeadline - this.now()) / 1000))} s left (press k)`;
    this.out.write(`\x1b[2K\r[${this.state}] idle ${idle} s${prompt} · any key = activity, q/Ctrl-C = sign out`);
  }
}
