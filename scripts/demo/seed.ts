/**
 * What the demo puts in a fresh hub: a license with both models, named and concurrent technicians
 * (more concurrent accounts than seats, so refused logins show on the chart), and idle termination
 * with a short timeout.
 */
import type { IdleSettings, License, LicenseType } from "../../shared/types.ts";
import type { AdminApi } from "./admin-api.ts";

export const DEMO_LICENSE: License = { namedUsers: 10, concurrentUsers: 8 };

/** Password of every demo technician, printed so a person can sign in to /app as one. */
export const TECHNICIAN_PASSWORD = "technician-demo";

export interface DemoTechnician {
  username: string;
  displayName: string;
  licenseType: LicenseType;
}

export const DEMO_TECHNICIANS: DemoTechnician[] = [
  { username: "nina", displayName: "Nina Novak", licenseType: "named" },
  { username: "noah", displayName: "Noah Nakamura", licenseType: "named" },
  { username: "nadia", displayName: "Nadia Nasser", licenseType: "named" },
  { username: "carl", displayName: "Carl Costa", licenseType: "concurrent" },
  { username: "cora", displayName: "Cora Chen", licenseType: "concurrent" },
  { username: "cyrus", displayName: "Cyrus Cole", licenseType: "concurrent" },
  { username: "cleo", displayName: "Cleo Carter", licenseType: "concurrent" },
  { username: "cami", displayName: "Cami Cruz", licenseType: "concurrent" },
  { username: "colin", displayName: "Colin Clark", licenseType: "concurrent" },
  { username: "chiara", displayName: "Chiara Conti", licenseType: "concurrent" },
  { username: "caleb", displayName: "Caleb Cho", licenseType: "concurrent" },
  { username: "celia", displayName: "Celia Castro", licenseType: "concurrent" },
];

/** Accounts a person can use by hand in the Web App or the mobile client, untouched by the simulation. */
export const SPARE_TECHNICIANS: DemoTechnician[] = [
  { username: "tech1", displayName: "Try Me (named)", licenseType: "named" },
  { username: "tech2", displayName: "Try Me (concurrent)", licenseType: "concurrent" },
];

export function demoIdleSettings(timeoutSeconds: number, promptSeconds: number): IdleSettings {
  return { enabled: true, timeoutMinutes: timeoutSeconds / 60, promptSeconds };
}

export async function seedDemo(admin: AdminApi, idle: IdleSettings): Promise<void> {
  await admin.setLicense(DEMO_LICENSE);
  for (const technician of [...DEMO_TECHNICIANS, ...SPARE_TECHNICIANS]) {
    await admin.createAccount({ ...technician, password: TECHNICIAN_PASSWORD, role: "technician" });
  }
  await admin.setIdleSettings(idle);
}
