/* eslint-disable */
import * as types from './graphql';
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';

/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "fragment ActivityFields on ActivityEntry {\n  id\n  kind\n  signals\n  at\n  sessionId\n  reason\n  byAdministrator\n  actor {\n    id\n    email\n  }\n  ipAddress\n  deviceType\n  browser\n  location {\n    country\n    city\n  }\n}\n\nquery MyActivity($first: Int, $after: String, $kinds: [ActivityKind!]) {\n  myActivity(first: $first, after: $after, kinds: $kinds) {\n    nodes {\n      ...ActivityFields\n    }\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n  }\n}\n\nquery UserActivity($userId: ID!, $first: Int, $after: String, $kinds: [ActivityKind!]) {\n  userActivity(userId: $userId, first: $first, after: $after, kinds: $kinds) {\n    nodes {\n      ...ActivityFields\n    }\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n  }\n}": typeof types.ActivityFieldsFragmentDoc,
    "query UserSessions($userId: ID!) {\n  userSessions(userId: $userId) {\n    ...SessionFields\n  }\n}\n\nquery Users($emailContains: String, $limit: Int, $offset: Int) {\n  users(emailContains: $emailContains, limit: $limit, offset: $offset) {\n    id\n    email\n    role\n    createdAt\n  }\n}\n\nmutation AdminLogoutUser($userId: ID!) {\n  adminLogoutUser(userId: $userId)\n}": typeof types.UserSessionsDocument,
    "fragment SessionFields on Session {\n  id\n  deviceType\n  os\n  browser\n  browserVersion\n  userAgent\n  ipAddress\n  location {\n    country\n    region\n    city\n    timezone\n  }\n  createdAt\n  lastActiveAt\n  expiresAt\n  isCurrent\n  signals\n}\n\nfragment AuthFields on AuthPayload {\n  accessToken\n  accessTokenExpiresAt\n  refreshToken\n  refreshTokenExpiresAt\n  user {\n    id\n    email\n    role\n    createdAt\n  }\n  session {\n    ...SessionFields\n  }\n}\n\nmutation SignUp($email: String!, $password: String!) {\n  signUp(email: $email, password: $password) {\n    ...AuthFields\n  }\n}\n\nmutation Login($email: String!, $password: String!) {\n  login(email: $email, password: $password) {\n    ...AuthFields\n  }\n}\n\nmutation RefreshSession($refreshToken: String!) {\n  refreshSession(refreshToken: $refreshToken) {\n    ...AuthFields\n  }\n}\n\nmutation Logout {\n  logout\n}\n\nmutation ChangePassword($currentPassword: String!, $newPassword: String!) {\n  changePassword(currentPassword: $currentPassword, newPassword: $newPassword)\n}\n\nquery Me {\n  me {\n    id\n    email\n    role\n    createdAt\n  }\n}": typeof types.SessionFieldsFragmentDoc,
    "query MySessions {\n  mySessions {\n    ...SessionFields\n  }\n}\n\nmutation TerminateSession($sessionId: ID!) {\n  terminateSession(sessionId: $sessionId)\n}\n\nmutation TerminateOtherSessions {\n  terminateOtherSessions\n}": typeof types.MySessionsDocument,
};
const documents: Documents = {
    "fragment ActivityFields on ActivityEntry {\n  id\n  kind\n  signals\n  at\n  sessionId\n  reason\n  byAdministrator\n  actor {\n    id\n    email\n  }\n  ipAddress\n  deviceType\n  browser\n  location {\n    country\n    city\n  }\n}\n\nquery MyActivity($first: Int, $after: String, $kinds: [ActivityKind!]) {\n  myActivity(first: $first, after: $after, kinds: $kinds) {\n    nodes {\n      ...ActivityFields\n    }\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n  }\n}\n\nquery UserActivity($userId: ID!, $first: Int, $after: String, $kinds: [ActivityKind!]) {\n  userActivity(userId: $userId, first: $first, after: $after, kinds: $kinds) {\n    nodes {\n      ...ActivityFields\n    }\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n  }\n}": types.ActivityFieldsFragmentDoc,
    "query UserSessions($userId: ID!) {\n  userSessions(userId: $userId) {\n    ...SessionFields\n  }\n}\n\nquery Users($emailContains: String, $limit: Int, $offset: Int) {\n  users(emailContains: $emailContains, limit: $limit, offset: $offset) {\n    id\n    email\n    role\n    createdAt\n  }\n}\n\nmutation AdminLogoutUser($userId: ID!) {\n  adminLogoutUser(userId: $userId)\n}": types.UserSessionsDocument,
    "fragment SessionFields on Session {\n  id\n  deviceType\n  os\n  browser\n  browserVersion\n  userAgent\n  ipAddress\n  location {\n    country\n    region\n    city\n    timezone\n  }\n  createdAt\n  lastActiveAt\n  expiresAt\n  isCurrent\n  signals\n}\n\nfragment AuthFields on AuthPayload {\n  accessToken\n  accessTokenExpiresAt\n  refreshToken\n  refreshTokenExpiresAt\n  user {\n    id\n    email\n    role\n    createdAt\n  }\n  session {\n    ...SessionFields\n  }\n}\n\nmutation SignUp($email: String!, $password: String!) {\n  signUp(email: $email, password: $password) {\n    ...AuthFields\n  }\n}\n\nmutation Login($email: String!, $password: String!) {\n  login(email: $email, password: $password) {\n    ...AuthFields\n  }\n}\n\nmutation RefreshSession($refreshToken: String!) {\n  refreshSession(refreshToken: $refreshToken) {\n    ...AuthFields\n  }\n}\n\nmutation Logout {\n  logout\n}\n\nmutation ChangePassword($currentPassword: String!, $newPassword: String!) {\n  changePassword(currentPassword: $currentPassword, newPassword: $newPassword)\n}\n\nquery Me {\n  me {\n    id\n    email\n    role\n    createdAt\n  }\n}": types.SessionFieldsFragmentDoc,
    "query MySessions {\n  mySessions {\n    ...SessionFields\n  }\n}\n\nmutation TerminateSession($sessionId: ID!) {\n  terminateSession(sessionId: $sessionId)\n}\n\nmutation TerminateOtherSessions {\n  terminateOtherSessions\n}": types.MySessionsDocument,
};

/**
 * The gql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 *
 *
 * @example
 * ```ts
 * const query = gql(`query GetUser($id: ID!) { user(id: $id) { name } }`);
 * ```
 *
 * The query argument is unknown!
 * Please regenerate the types.
 */
export function gql(source: string): unknown;

/**
 * The gql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function gql(source: "fragment ActivityFields on ActivityEntry {\n  id\n  kind\n  signals\n  at\n  sessionId\n  reason\n  byAdministrator\n  actor {\n    id\n    email\n  }\n  ipAddress\n  deviceType\n  browser\n  location {\n    country\n    city\n  }\n}\n\nquery MyActivity($first: Int, $after: String, $kinds: [ActivityKind!]) {\n  myActivity(first: $first, after: $after, kinds: $kinds) {\n    nodes {\n      ...ActivityFields\n    }\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n  }\n}\n\nquery UserActivity($userId: ID!, $first: Int, $after: String, $kinds: [ActivityKind!]) {\n  userActivity(userId: $userId, first: $first, after: $after, kinds: $kinds) {\n    nodes {\n      ...ActivityFields\n    }\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n  }\n}"): (typeof documents)["fragment ActivityFields on ActivityEntry {\n  id\n  kind\n  signals\n  at\n  sessionId\n  reason\n  byAdministrator\n  actor {\n    id\n    email\n  }\n  ipAddress\n  deviceType\n  browser\n  location {\n    country\n    city\n  }\n}\n\nquery MyActivity($first: Int, $after: String, $kinds: [ActivityKind!]) {\n  myActivity(first: $first, after: $after, kinds: $kinds) {\n    nodes {\n      ...ActivityFields\n    }\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n  }\n}\n\nquery UserActivity($userId: ID!, $first: Int, $after: String, $kinds: [ActivityKind!]) {\n  userActivity(userId: $userId, first: $first, after: $after, kinds: $kinds) {\n    nodes {\n      ...ActivityFields\n    }\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n  }\n}"];
/**
 * The gql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function gql(source: "query UserSessions($userId: ID!) {\n  userSessions(userId: $userId) {\n    ...SessionFields\n  }\n}\n\nquery Users($emailContains: String, $limit: Int, $offset: Int) {\n  users(emailContains: $emailContains, limit: $limit, offset: $offset) {\n    id\n    email\n    role\n    createdAt\n  }\n}\n\nmutation AdminLogoutUser($userId: ID!) {\n  adminLogoutUser(userId: $userId)\n}"): (typeof documents)["query UserSessions($userId: ID!) {\n  userSessions(userId: $userId) {\n    ...SessionFields\n  }\n}\n\nquery Users($emailContains: String, $limit: Int, $offset: Int) {\n  users(emailContains: $emailContains, limit: $limit, offset: $offset) {\n    id\n    email\n    role\n    createdAt\n  }\n}\n\nmutation AdminLogoutUser($userId: ID!) {\n  adminLogoutUser(userId: $userId)\n}"];
/**
 * The gql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function gql(source: "fragment SessionFields on Session {\n  id\n  deviceType\n  os\n  browser\n  browserVersion\n  userAgent\n  ipAddress\n  location {\n    country\n    region\n    city\n    timezone\n  }\n  createdAt\n  lastActiveAt\n  expiresAt\n  isCurrent\n  signals\n}\n\nfragment AuthFields on AuthPayload {\n  accessToken\n  accessTokenExpiresAt\n  refreshToken\n  refreshTokenExpiresAt\n  user {\n    id\n    email\n    role\n    createdAt\n  }\n  session {\n    ...SessionFields\n  }\n}\n\nmutation SignUp($email: String!, $password: String!) {\n  signUp(email: $email, password: $password) {\n    ...AuthFields\n  }\n}\n\nmutation Login($email: String!, $password: String!) {\n  login(email: $email, password: $password) {\n    ...AuthFields\n  }\n}\n\nmutation RefreshSession($refreshToken: String!) {\n  refreshSession(refreshToken: $refreshToken) {\n    ...AuthFields\n  }\n}\n\nmutation Logout {\n  logout\n}\n\nmutation ChangePassword($currentPassword: String!, $newPassword: String!) {\n  changePassword(currentPassword: $currentPassword, newPassword: $newPassword)\n}\n\nquery Me {\n  me {\n    id\n    email\n    role\n    createdAt\n  }\n}"): (typeof documents)["fragment SessionFields on Session {\n  id\n  deviceType\n  os\n  browser\n  browserVersion\n  userAgent\n  ipAddress\n  location {\n    country\n    region\n    city\n    timezone\n  }\n  createdAt\n  lastActiveAt\n  expiresAt\n  isCurrent\n  signals\n}\n\nfragment AuthFields on AuthPayload {\n  accessToken\n  accessTokenExpiresAt\n  refreshToken\n  refreshTokenExpiresAt\n  user {\n    id\n    email\n    role\n    createdAt\n  }\n  session {\n    ...SessionFields\n  }\n}\n\nmutation SignUp($email: String!, $password: String!) {\n  signUp(email: $email, password: $password) {\n    ...AuthFields\n  }\n}\n\nmutation Login($email: String!, $password: String!) {\n  login(email: $email, password: $password) {\n    ...AuthFields\n  }\n}\n\nmutation RefreshSession($refreshToken: String!) {\n  refreshSession(refreshToken: $refreshToken) {\n    ...AuthFields\n  }\n}\n\nmutation Logout {\n  logout\n}\n\nmutation ChangePassword($currentPassword: String!, $newPassword: String!) {\n  changePassword(currentPassword: $currentPassword, newPassword: $newPassword)\n}\n\nquery Me {\n  me {\n    id\n    email\n    role\n    createdAt\n  }\n}"];
/**
 * The gql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function gql(source: "query MySessions {\n  mySessions {\n    ...SessionFields\n  }\n}\n\nmutation TerminateSession($sessionId: ID!) {\n  terminateSession(sessionId: $sessionId)\n}\n\nmutation TerminateOtherSessions {\n  terminateOtherSessions\n}"): (typeof documents)["query MySessions {\n  mySessions {\n    ...SessionFields\n  }\n}\n\nmutation TerminateSession($sessionId: ID!) {\n  terminateSession(sessionId: $sessionId)\n}\n\nmutation TerminateOtherSessions {\n  terminateOtherSessions\n}"];

export function gql(source: string) {
  return (documents as any)[source] ?? {};
}

export type DocumentType<TDocumentNode extends DocumentNode<any, any>> = TDocumentNode extends DocumentNode<  infer TType,  any>  ? TType  : never;