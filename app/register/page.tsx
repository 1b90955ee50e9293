import { redirect } from "next/navigation";

// GET /register shows the login page in its register mode; POST /register is the JSON API (lib/http/legacy-routes.ts).
export default function RegisterPage() {
  redirect("/login?mode=register");
}
