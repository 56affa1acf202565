import type { z } from "zod";
import { describeIssues } from "../../shared/schemas.ts";
import { validationFailed } from "../errors.ts";

/** Parses input with a schema or throws 400 VALIDATION_FAILED naming the first bad field. */
export function parse<Schema extends z.ZodType>(schema: Schema, input: unknown): z.infer<Schema> {
  const result = schema.safeParse(input ?? {});
  if (!result.success) throw validationFailed(describeIssues(result.error));
  return result.data;
}
