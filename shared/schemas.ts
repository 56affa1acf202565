/**
 * zod schemas for every body, query and socket payload the hub accepts. The server validates
 * with them; clients may use them to validate forms before sending.
 */
import { z } from "zod";

export const usernameSchema = z
  .string()
  .trim()
  .min(1, "username is required")
  .max(64, "username is at most 64 characters")
  .regex(/^[\p{L}\p{N}._@-]+$/u, "username may hold letters, digits and . _ @ - only");

export const passwordSchema = z
  .string()
  .min(8, "password must be at least 8 characters")
  .max(256, "password is at most 256 characters");

export const appSchema = z.enum(["web", "mobile"]);
export const licenseTypeSchema = z.enum(["named", "concurrent"]);
export const roleSchema = z.enum(["admin", "technician"]);

export const loginBodySchema = z.strictObject({
  username: z.string().min(1, "username is required").max(64),
  password: z.string().min(1, "password is required").max(256),
  app: appSchema,
  device: z.string().trim().max(128).optional(),
});
export type LoginBody = z.infer<typeof loginBodySchema>;

export const createAccountBodySchema = z.strictObject({
  username: usernameSchema,
  password: passwordSchema,
  displayName: z.string().trim().max(128).optional(),
  licenseType: licenseTypeSchema,
  role: roleSchema,
});
export type CreateAccountBody = z.infer<typeof createAccountBodySchema>;

export const updateAccountBodySchema = z
  .strictObject({
    displayName: z.string().trim().max(128),
    password: passwordSchema,
    licenseType: licenseTypeSchema,
    role: roleSchema,
    disabled: z.boolean(),
  })
  .partial()
  .refine((body) => Object.keys(body).length > 0, "give at least one field to change");
export type UpdateAccountBody = z.infer<typeof updateAccountBodySchema>;

const seatLimit = z.number().int("must be a whole number").min(0).max(1_000_000).nullable();

export const licenseSchema = z.strictObject({
  namedUsers: seatLimit,
  concurrentUsers: seatLimit,
});

export const terminateBodySchema = z.strictObject({
  sessionIds: z.array(z.string().min(1).max(64)).min(1, "name at least one session").max(10_000),
  message: z.string().trim().max(500).optional(),
});
export type TerminateBody = z.infer<typeof terminateBodySchema>;

export const historyQuerySchema = z.strictObject({
  type: licenseTypeSchema,
  period: z.enum(["hour", "day", "week", "month", "year"]),
});

export const MAX_IDLE_TIMEOUT_MINUTES = 24 * 60;
export const DEFAULT_PROMPT_SECONDS = 60;

/** Idle settings; the floor comes from the server's configuration. */
export function idleSettingsSchema(minTimeoutSeconds: number) {
  const floorMinutes = minTimeoutSeconds / 60;
  return z.strictObject({
    enabled: z.boolean(),
    timeoutMinutes: z
      .number()
      .min(floorMinutes, `timeoutMinutes must be at least ${floorMinutes}`)
      .max(MAX_IDLE_TIMEOUT_MINUTES, `timeoutMinutes must be at most ${MAX_IDLE_TIMEOUT_MINUTES}`),
    promptSeconds: z
      .number()
      .int("promptSeconds must be a whole number")
      .min(1, "promptSeconds must be at least 1")
      .max(3600, "promptSeconds must be at most 3600"),
  });
}

/** A short human sentence naming the first problem zod found, e.g. "password: password must be…". */
export function describeIssues(error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return "invalid input";
  const path = issue.path.join(".");
  return path ? `${path}: ${issue.message}` : issue.message;
}

/** `POST /api/me/password`: a user changing their own password. */
export const changePasswordBodySchema = z
  .strictObject({
    currentPassword: z.string().min(1, "currentPassword is required").max(256),
    newPassword: passwordSchema,
  })
  .refine((body) => body.currentPassword !== body.newPassword, {
    message: "newPassword must differ from the current password",
    path: ["newPassword"],
  });
export type ChangePasswordBody = z.infer<typeof changePasswordBodySchema>;

export const MAX_AUDIT_PAGE = 200;

const epochMs = (name: string) =>
  z
    .string()
    .regex(/^\d{1,15}$/, `${name} must be epoch milliseconds`)
    .transform(Number);
const streamCursor = z.string().regex(/^\d{1,15}-\d{1,10}$/, "cursor must be an id from a previous page");
const pageLimit = z
  .string()
  .regex(/^\d{1,3}$/, `limit must be a whole number from 1 to ${MAX_AUDIT_PAGE}`)
  .transform(Number)
  .refine((n) => n >= 1 && n <= MAX_AUDIT_PAGE, `limit must be a whole number from 1 to ${MAX_AUDIT_PAGE}`);
const userFilter = z.string().trim().min(1).max(64);

/** `GET /api/audit` query: every filter optional; newest first. */
export const auditQuerySchema = z.strictObject({
  type: z
    .string()
    .regex(/^(login|session|license|settings|account)(\.[a-z-]{1,32})?$/, "type must be an audit type or category")
    .optional(),
  user: userFilter.optional(),
  from: epochMs("from").optional(),
  to: epochMs("to").optional(),
  cursor: streamCursor.optional(),
  limit: pageLimit.optional(),
});
export type AuditQuery = z.infer<typeof auditQuerySchema>;

/** `GET /api/session-history` query; `format=csv` exports every match (up to a cap) as CSV. */
export const sessionHistoryQuerySchema = z.strictObject({
  user: userFilter.optional(),
  reason: z.enum(["logout", "terminated", "expired", "account-disabled"]).optional(),
  app: appSchema.optional(),
  from: epochMs("from").optional(),
  to: epochMs("to").optional(),
  cursor: streamCursor.optional(),
  limit: pageLimit.optional(),
  format: z.enum(["json", "csv"]).optional(),
});
export type SessionHistoryQuery = z.infer<typeof sessionHistoryQuerySchema>;
