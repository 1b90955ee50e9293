"use client";
import { BrowseRoomsButton } from "./BrowseRoomsDialog";
import { CreateRoomButton } from "./CreateRoomDialog";
import { DirectMessageList, RoomList } from "./ConversationList";
import { PeopleList } from "./PeopleList";

/** Rooms, direct messages and people; a drawer on a phone (see .workspace[data-drawer] in globals.css). */
export function Sidebar({ id }: { id: string }) {
  return (
    <nav id={id} className="sidebar" aria-label="Rooms and people">
      <section className="side-section" aria-labelledby="rooms-heading">
        <div className="side-heading">
          <h2 id="rooms-heading">Rooms</h2>
          <CreateRoomButton />
        </div>
        <RoomList />
        <BrowseRoomsButton />
      </section>
      <section className="side-section" aria-labelledby="dms-heading">
        <div className="side-heading">
          <h2 id="dms-heading">Direct messages</h2>
        </div>
        <DirectMessageList />
      </section>
      <section className="side-section" aria-labelledby="people-heading">
        <div className="side-heading">
          <h2 id="people-heading">People</h2>
        </div>
        <PeopleList />
      </section>
    </nav>
  );
}
