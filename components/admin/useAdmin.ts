"use client";
import { useMemo } from "react";
import { createAdminHttp, type AdminHttp } from "@/lib/client/admin-http";
import { ApiError, NetworkError } from "@/lib/client/errors";
import { createHttp } from "@/lib/client/http";

/** The admin REST calls, on this page's origin (the session cookie goes along). */
export function useAdminHttp(): AdminHttp {
  return useMemo(() => createAdminHttp(createHttp({ baseUrl: "" })), []);
}

/** A failure as a sentence for the page. */
export function problem(err: unknown): string {
  if (err instanceof ApiError) return err.detail;
  if (err instanceof NetworkError) return "Cannot reach the server. Check your connection and try again.";
  return "Something went wrong. Try again.";
}

/** a date and time as people read it here */
export const when = (iso: string): string =>
  new Date(iso).toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" });
