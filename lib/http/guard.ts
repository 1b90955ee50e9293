import { AppError } from "../errors";
import { getRuntime } from "../runtime";
import { isOriginAllowed } from "./origin";

/** State-changing requests from a foreign page are refused (403), whatever their content type. */
export function assertSameOrigin(req: Request): void {
  const { config } = getRuntime();
  if (!isOriginAllowed(req.headers.get("origin"), req.headers.get("host"), config.ALLOWED_ORIGINS)) {
    throw new AppError("forbidden", "Cross-origin request refused");
  }
}
