// The GraphQL documents this client sends, as plain strings: no GraphQL library at run time.

const SESSION = `id name client deviceType os browser browserVersion userAgent ipAddress
  location { country region city timezone } createdAt lastActiveAt expiresAt isCurrent signals`;
const USER = "id email role createdAt";
const AUTH = `accessToken accessTokenExpiresAt refreshToken refreshTokenExpiresAt deviceToken user { ${USER} } session { ${SESSION} }`;

export const SIGN_UP = `mutation SignUp($email: String!, $password: String!, $device: DeviceInput) {
  signUp(email: $email, password: $password, device: $device) { ${AUTH} } }`;
export const LOG_IN = `mutation LogIn($email: String!, $password: String!, $deviceToken: String, $device: DeviceInput) {
  login(email: $email, password: $password, deviceToken: $deviceToken, device: $device) { ${AUTH} } }`;
export const REFRESH = `mutation RefreshSession($refreshToken: String!) {
  refreshSession(refreshToken: $refreshToken) { ${AUTH} } }`;
export const LOG_OUT = "mutation LogOut { logout }";
export const ME = `query Me { me { ${USER} } }`;
export const MY_SESSIONS = `query MySessions { mySessions { ${SESSION} } }`;
export const MY_ACTIVITY = `query MyActivity($first: Int, $after: String) {
  myActivity(first: $first, after: $after) {
    nodes { id kind at sessionId reason byAdministrator ipAddress deviceType browser location { country region city timezone } signals }
    pageInfo { hasNextPage endCursor } } }`;
export const TERMINATE = "mutation TerminateSession($sessionId: ID!) { terminateSession(sessionId: $sessionId) }";
export const TERMINATE_OTHERS = "mutation TerminateOtherSessions { terminateOtherSessions }";
export const CHANGE_PASSWORD = `mutation ChangePassword($currentPassword: String!, $newPassword: String!) {
  changePassword(currentPassword: $currentPassword, newPassword: $newPassword) }`;
export const RENAME = `mutation RenameSession($sessionId: ID!, $name: String!) {
  renameSession(sessionId: $sessionId, name: $name) { ${SESSION} } }`;
export const SESSION_REVOKED = "subscription SessionRevoked { sessionRevoked { sessionId reason revokedAt } }";
export const SESSIONS_CHANGED = `subscription MySessionsChanged { mySessionsChanged { change session { id } } }`;
