// Any well-formed UUID (the nil one included): malformed ids are refused before they reach SQL.
export const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const UUID_MESSAGE = "must be a UUID";
