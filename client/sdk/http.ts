/**
 * JSON calls to the hub's HTTP API with the contract's error shape.
 */
import type { ErrorResponse } from "../../shared/errors.ts";
import { errorFromBody, HubClientError } from "./errors.ts";

/** The subset of `fetch` the SDK uses, so any fetch implementation fits. */
export type FetchLike = (
  input: string,
  init: { method: string; headers: Record<string, string>; body?: string },
) => Promise<{ status: number; ok: boolean; text(): Promise<string> }>;

export interface RequestOptions {
  method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
  path: string;
  token?: string | null;
  body?: unknown;
}

/** Calls the hub and returns the parsed JSON body (undefined for 204); throws HubClientError. */
export async function requestJson<T>(fetchFn: FetchLike, baseUrl: string, options: RequestOptions): Promise<T> {
  const headers: Record<string, string> = { accept: "application/json" };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  let body: string | undefined;
  if (options.body !== undefined) {
    headers["content-type"] = "application/json";
    body = JSON.stringify(options.body);
  }
  let response: Awaited<ReturnType<FetchLike>>;
  try {
    response = await fetchFn(new URL(options.path, baseUrl).toString(), { method: options.method, headers, body });
  } catch (error) {
    throw new HubClientError("NETWORK", `cannot reach the hub: ${(error as Error).message}`);
  }
  const text = await response.text();
  let parsed: unknown;
  if (text) {
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = undefined;
    }
  }
  if (!response.ok) {
    const error = (parsed as Partial<ErrorResponse> | undefined)?.error;
    throw errorFromBody(error, response.status, `the hub answered ${response.status}`);
  }
  return parsed as T;
}
