"use client";
import { createContext, useContext } from "react";

/** Whether the signed-in user is an admin (set by the chat layout from the session): they may delete any message. */
export const AdminContext = createContext(false);

export function useIsAdmin(): boolean {
  return useContext(AdminContext);
}
