// POST /hooks/<secret>, where other servers post (Slack/Mattermost-style): handler in lib/http/routes.ts.
export { postToHook as POST } from "@/lib/http/routes";

export const dynamic = "force-dynamic";
