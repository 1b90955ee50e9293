// socket.io room names: a chat room, every socket of a user, every socket of a session.
export const roomKey = (room: string) => `room:${room}`;
export const userKey = (userId: number) => `user:${userId}`;
export const sessionKey = (sessionId: number) => `session:${sessionId}`;
