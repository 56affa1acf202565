/** Response bodies of the HTTP API (docs/api.md), shared by the server, the SDK and the dashboard. */
import type { Account, License, LicenseUsage, Session } from "./types.ts";

/** `POST /api/auth/login` → 201. */
export interface LoginResult {
  token: string;
  session: Session;
  account: Account;
}

/** `GET /api/me` → 200. */
export interface MeResult {
  session: Session;
  account: Account;
}

/** `GET /api/sessions` → 200. */
export interface SessionsList {
  seq: number;
  sessions: Session[];
}

/** `POST /api/sessions/terminate` → 200. */
export interface TerminateResult {
  terminated: string[];
  notFound: string[];
}

/** `GET` and `PUT /api/license` → 200. */
export interface LicenseState {
  license: License;
  usage: LicenseUsage;
}
