/** The notice that tells the user why their session ended, shown above the sign-in form. */
import type { SessionEnd } from "../sdk/index.ts";
import { byId, show } from "./dom.ts";

const titles: Record<SessionEnd["reason"], string> = {
  terminated: "Session terminated",
  expired: "Session expired",
  logout: "Signed out",
  "account-disabled": "Account disabled",
  unauthenticated: "Signed out",
};

export class EndNotice {
  private readonly root = byId("end-notice");
  private readonly title = byId("end-notice-title");
  private readonly message = byId("end-notice-message");
  private readonly lost = byId("end-notice-lost");

  show(end: SessionEnd, lostWork: string | null): void {
    this.root.dataset.reason = end.reason;
    this.title.textContent = titles[end.reason];
    const by = end.by ? ` (by ${end.by.username})` : "";
    this.message.textContent = `${end.message}${end.reason === "terminated" ? by : ""}`;
    this.lost.textContent = lostWork ?? "";
    show(this.lost, lostWork !== null);
    show(this.root, true);
  }

  hide(): void {
    show(this.root, false);
  }
}
