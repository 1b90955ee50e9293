// Counters of the server's protective cut-offs, one set per server: plain numbers the code bumps and a
// /metrics endpoint (once there is one) or a test reads. Each cut-off is also logged where it happens.
export interface Counters {
  /** sockets (either transport) cut off because their client stopped taking what was sent */
  slowClientsDisconnected: number;
  /** sockets closed because their user opened more than MAX_SOCKETS_PER_USER */
  socketsOverUserCap: number;
  /** connections answered 503 because MAX_CONNECTIONS were open */
  connectionsRefused: number;
}

export function createCounters(): Counters {
  return { slowClientsDisconnected: 0, socketsOverUserCap: 0, connectionsRefused: 0 };
}
