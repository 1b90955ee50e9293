"use client";
import { useState } from "react";
import type { Bot } from "@/lib/protocol";
import { initials } from "@/lib/web/user-colour";

/**
 * What marks a webhook's post, so it cannot pass for a person: a "bot" badge and the member who made the hook.
 * On a run's later lines both stay for screen readers only.
 */
export function BotBadge({ maker, head }: { maker: string; head: boolean }) {
  return (
    <>
      <span
        className={head ? "bot-badge" : "sr-only"}
        data-testid="bot-badge"
        title={`Posted by a webhook ${maker} made`}
      >
        bot
      </span>
      <span className={head ? "bot-maker" : "sr-only"}>via {maker}</span>
    </>
  );
}

/**
 * The webhook's icon_url (https only, no referrer), else its initials on the bot colour; decorative. An icon
 * that fails to load (gone, refused) falls back to the initials rather than the browser's broken-image mark.
 */
export function BotAvatar({ bot }: { bot: Bot }) {
  const [broken, setBroken] = useState(false);
  // in the avatar column, as a person's avatar is (without the slot it fell into the text's column)
  return (
    <span className="avatar-slot">
      {bot.iconUrl?.startsWith("https://") && !broken ? (
        <img
          className="avatar bot-avatar"
          src={bot.iconUrl}
          alt=""
          referrerPolicy="no-referrer"
          loading="lazy"
          onError={() => setBroken(true)}
        />
      ) : (
        <span className="avatar bot-avatar" aria-hidden="true">
          {initials(bot.name)}
        </span>
      )}
    </span>
  );
}
