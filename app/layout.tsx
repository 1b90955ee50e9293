import type { Metadata, Viewport } from "next";
import { cookies } from "next/headers";
import type { ReactNode } from "react";
import { parseTheme, THEME_COOKIE, themeAttribute } from "@/lib/web/theme";
import "./globals.css";

export const metadata: Metadata = {
  title: "Chatterbox",
  description: "Self-hosted real-time chat",
};

// every page carries a per-request CSP nonce (proxy.ts), so none may be prerendered
export const dynamic = "force-dynamic";

export const viewport: Viewport = { width: "device-width", initialScale: 1 };

export default async function RootLayout({ children }: { children: ReactNode }) {
  // the chosen theme is on <html> from the first byte: no flash of the other one
  const theme = parseTheme((await cookies()).get(THEME_COOKIE)?.value);
  return (
    <html lang="en" data-theme={themeAttribute(theme)}>
      <body>{children}</body>
    </html>
  );
}
