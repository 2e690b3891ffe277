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
    "query MyActivity($first: Int, $after: String, $kinds: [ActivityKind!]) {\n  myActivity(first: $first, after: $after, kinds: $kinds) {\n    nodes {\n      ...ActivityEntryFields\n    }\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n  }\n}\n\nquery UserActivity($userId: ID!, $first: Int, $after: String, $kinds: [ActivityKind!]) {\n  userActivity(userId: $userId, first: $first, after: $after, kinds: $kinds) {\n    nodes {\n      ...ActivityEntryFields\n    }\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n  }\n}": typeof types.MyActivityDocument,
    "query UserSessions($userId: ID!) {\n  userSessions(userId: $userId) {\n    ...SessionFields\n  }\n}\n\nquery Users($emailContains: String, $limit: Int, $offset: Int) {\n  users(emailContains: $emailContains, limit: $limit, offset: $offset) {\n    id\n    email\n    role\n    createdAt\n  }\n}\n\nmutation AdminLogoutUser($userId: ID!) {\n  adminLogoutUser(userId: $userId)\n}": typeof types.UserSessionsDocument,
    "fragment SessionFields on Session {\n  id\n  deviceType\n  os\n  browser\n  browserVersion\n  userAgent\n  ipAddress\n  location {\n    country\n    region\n    city\n    timezone\n  }\n  createdAt\n  lastActiveAt\n  expiresAt\n  isCurrent\n  signals\n  name\n  client\n}\n\nfragment AuthFields on AuthPayload {\n  accessToken\n  accessTokenExpiresAt\n  refreshToken\n  refreshTokenExpiresAt\n  user {\n    id\n    email\n    role\n    createdAt\n  }\n  session {\n    ...SessionFields\n  }\n  deviceToken\n}\n\nmutation SignUp($email: String!, $password: String!, $device: DeviceInput) {\n  signUp(email: $email, password: $password, device: $device) {\n    ...AuthFields\n  }\n}\n\nmutation Login($email: String!, $password: String!, $deviceToken: String, $device: DeviceInput) {\n  login(\n    email: $email\n    password: $password\n    deviceToken: $deviceToken\n    device: $device\n  ) {\n    ...AuthFields\n  }\n}\n\nmutation RefreshSession($refreshToken: String!) {\n  refreshSession(refreshToken: $refreshToken) {\n    ...AuthFields\n  }\n}\n\nmutation Logout {\n  logout\n}\n\nmutation ChangePassword($currentPassword: String!, $newPassword: String!) {\n  changePassword(currentPassword: $currentPassword, newPassword: $newPassword)\n}\n\nquery Me {\n  me {\n    id\n    email\n    role\n    createdAt\n  }\n}": typeof types.SessionFieldsFragmentDoc,
    "query MySessions {\n  mySessions {\n    ...SessionFields\n  }\n}\n\nmutation TerminateSession($sessionId: ID!) {\n  terminateSession(sessionId: $sessionId)\n}\n\nmutation RenameSession($sessionId: ID!, $name: String!) {\n  renameSession(sessionId: $sessionId, name: $name) {\n    ...SessionFields\n  }\n}\n\nmutation TerminateOtherSessions {\n  terminateOtherSessions\n}": typeof types.MySessionsDocument,
    "query SignalReceivers {\n  signalReceivers {\n    ...ConnectedServiceFields\n  }\n}\n\nmutation CreateSignalReceiver($name: String!) {\n  createSignalReceiver(name: $name) {\n    clientSecret\n    receiver {\n      ...ConnectedServiceFields\n    }\n  }\n}\n\nmutation DeleteSignalReceiver($id: ID!) {\n  deleteSignalReceiver(id: $id)\n}": typeof types.SignalReceiversDocument,
    "\n  fragment SessionRow on Session {\n    id\n    name\n    client\n    deviceType\n    os\n    browser\n    browserVersion\n    ipAddress\n    location {\n      country\n      region\n      city\n    }\n    lastActiveAt\n    expiresAt\n    isCurrent\n    signals\n  }\n": typeof types.SessionRowFragmentDoc,
    "\n  query Account {\n    me {\n      id\n      email\n      role\n    }\n    mySessions {\n      ...SessionRow\n    }\n  }\n": typeof types.AccountDocument,
    "\n  subscription SessionChanges {\n    mySessionsChanged {\n      change\n      at\n      session {\n        ...SessionRow\n      }\n    }\n  }\n": typeof types.SessionChangesDocument,
    "\n  mutation EndSession($sessionId: ID!) {\n    terminateSession(sessionId: $sessionId)\n  }\n": typeof types.EndSessionDocument,
    "\n  mutation EndOtherSessions {\n    terminateOtherSessions\n  }\n": typeof types.EndOtherSessionsDocument,
    "\n  mutation NameSession($sessionId: ID!, $name: String!) {\n    renameSession(sessionId: $sessionId, name: $name) {\n      ...SessionRow\n    }\n  }\n": typeof types.NameSessionDocument,
    "\n  mutation NewPassword($currentPassword: String!, $newPassword: String!) {\n    changePassword(currentPassword: $currentPassword, newPassword: $newPassword)\n  }\n": typeof types.NewPasswordDocument,
    "\n  query WhoAmI {\n    me {\n      id\n      email\n      role\n    }\n  }\n": typeof types.WhoAmIDocument,
    "\n  query FindUsers($emailContains: String) {\n    users(emailContains: $emailContains, limit: 20) {\n      id\n      email\n      role\n    }\n  }\n": typeof types.FindUsersDocument,
    "\n  query SessionsOfUser($userId: ID!) {\n    userSessions(userId: $userId) {\n      ...SessionRow\n    }\n  }\n": typeof types.SessionsOfUserDocument,
    "\n  mutation LogOutUser($userId: ID!) {\n    adminLogoutUser(userId: $userId)\n  }\n": typeof types.LogOutUserDocument,
    "\n  fragment ConnectedServiceFields on SignalReceiver {\n    id\n    name\n    clientId\n    createdAt\n    streams {\n      id\n      status\n      delivery\n      endpointUrl\n      eventsDelivered\n      pending\n      lastDeliveredAt\n      lastError\n    }\n  }\n": typeof types.ConnectedServiceFieldsFragmentDoc,
    "\n  query ConnectedServices {\n    signalReceivers {\n      ...ConnectedServiceFields\n    }\n  }\n": typeof types.ConnectedServicesDocument,
    "\n  mutation RemoveService($id: ID!) {\n    deleteSignalReceiver(id: $id)\n  }\n": typeof types.RemoveServiceDocument,
    "\n  fragment ActivityEntryFields on ActivityEntry {\n    id\n    kind\n    at\n    sessionId\n    reason\n    byAdministrator\n    actor {\n      id\n      email\n    }\n    ipAddress\n    deviceType\n    browser\n    location {\n      country\n      city\n    }\n    signals\n  }\n": typeof types.ActivityEntryFieldsFragmentDoc,
    "\n  query MyRecentActivity($after: String) {\n    myActivity(first: 20, after: $after) {\n      nodes {\n        ...ActivityEntryFields\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n": typeof types.MyRecentActivityDocument,
    "\n  query UserRecentActivity($userId: ID!, $after: String) {\n    userActivity(userId: $userId, first: 20, after: $after) {\n      nodes {\n        ...ActivityEntryFields\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n": typeof types.UserRecentActivityDocument,
    "\n  mutation RegisterService($name: String!) {\n    createSignalReceiver(name: $name) {\n      clientSecret\n      receiver {\n        ...ConnectedServiceFields\n      }\n    }\n  }\n": typeof types.RegisterServiceDocument,
};
const documents: Documents = {
    "query MyActivity($first: Int, $after: String, $kinds: [ActivityKind!]) {\n  myActivity(first: $first, after: $after, kinds: $kinds) {\n    nodes {\n      ...ActivityEntryFields\n    }\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n  }\n}\n\nquery UserActivity($userId: ID!, $first: Int, $after: String, $kinds: [ActivityKind!]) {\n  userActivity(userId: $userId, first: $first, after: $after, kinds: $kinds) {\n    nodes {\n      ...ActivityEntryFields\n    }\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n  }\n}": types.MyActivityDocument,
    "query UserSessions($userId: ID!) {\n  userSessions(userId: $userId) {\n    ...SessionFields\n  }\n}\n\nquery Users($emailContains: String, $limit: Int, $offset: Int) {\n  users(emailContains: $emailContains, limit: $limit, offset: $offset) {\n    id\n    email\n    role\n    createdAt\n  }\n}\n\nmutation AdminLogoutUser($userId: ID!) {\n  adminLogoutUser(userId: $userId)\n}": types.UserSessionsDocument,
    "fragment SessionFields on Session {\n  id\n  deviceType\n  os\n  browser\n  browserVersion\n  userAgent\n  ipAddress\n  location {\n    country\n    region\n    city\n    timezone\n  }\n  createdAt\n  lastActiveAt\n  expiresAt\n  isCurrent\n  signals\n  name\n  client\n}\n\nfragment AuthFields on AuthPayload {\n  accessToken\n  accessTokenExpiresAt\n  refreshToken\n  refreshTokenExpiresAt\n  user {\n    id\n    email\n    role\n    createdAt\n  }\n  session {\n    ...SessionFields\n  }\n  deviceToken\n}\n\nmutation SignUp($email: String!, $password: String!, $device: DeviceInput) {\n  signUp(email: $email, password: $password, device: $device) {\n    ...AuthFields\n  }\n}\n\nmutation Login($email: String!, $password: String!, $deviceToken: String, $device: DeviceInput) {\n  login(\n    email: $email\n    password: $password\n    deviceToken: $deviceToken\n    device: $device\n  ) {\n    ...AuthFields\n  }\n}\n\nmutation RefreshSession($refreshToken: String!) {\n  refreshSession(refreshToken: $refreshToken) {\n    ...AuthFields\n  }\n}\n\nmutation Logout {\n  logout\n}\n\nmutation ChangePassword($currentPassword: String!, $newPassword: String!) {\n  changePassword(currentPassword: $currentPassword, newPassword: $newPassword)\n}\n\nquery Me {\n  me {\n    id\n    email\n    role\n    createdAt\n  }\n}": types.SessionFieldsFragmentDoc,
    "query MySessions {\n  mySessions {\n    ...SessionFields\n  }\n}\n\nmutation TerminateSession($sessionId: ID!) {\n  terminateSession(sessionId: $sessionId)\n}\n\nmutation RenameSession($sessionId: ID!, $name: String!) {\n  renameSession(sessionId: $sessionId, name: $name) {\n    ...SessionFields\n  }\n}\n\nmutation TerminateOtherSessions {\n  terminateOtherSessions\n}": types.MySessionsDocument,
    "query SignalReceivers {\n  signalReceivers {\n    ...ConnectedServiceFields\n  }\n}\n\nmutation CreateSignalReceiver($name: String!) {\n  createSignalReceiver(name: $name) {\n    clientSecret\n    receiver {\n      ...ConnectedServiceFields\n    }\n  }\n}\n\nmutation DeleteSignalReceiver($id: ID!) {\n  deleteSignalReceiver(id: $id)\n}": types.SignalReceiversDocument,
    "\n  fragment SessionRow on Session {\n    id\n    name\n    client\n    deviceType\n    os\n    browser\n    browserVersion\n    ipAddress\n    location {\n      country\n      region\n      city\n    }\n    lastActiveAt\n    expiresAt\n    isCurrent\n    signals\n  }\n": types.SessionRowFragmentDoc,
    "\n  query Account {\n    me {\n      id\n      email\n      role\n    }\n    mySessions {\n      ...SessionRow\n    }\n  }\n": types.AccountDocument,
    "\n  subscription SessionChanges {\n    mySessionsChanged {\n      change\n      at\n      session {\n        ...SessionRow\n      }\n    }\n  }\n": types.SessionChangesDocument,
    "\n  mutation EndSession($sessionId: ID!) {\n    terminateSession(sessionId: $sessionId)\n  }\n": types.EndSessionDocument,
    "\n  mutation EndOtherSessions {\n    terminateOtherSessions\n  }\n": types.EndOtherSessionsDocument,
    "\n  mutation NameSession($sessionId: ID!, $name: String!) {\n    renameSession(sessionId: $sessionId, name: $name) {\n      ...SessionRow\n    }\n  }\n": types.NameSessionDocument,
    "\n  mutation NewPassword($currentPassword: String!, $newPassword: String!) {\n    changePassword(currentPassword: $currentPassword, newPassword: $newPassword)\n  }\n": types.NewPasswordDocument,
    "\n  query WhoAmI {\n    me {\n      id\n      email\n      role\n    }\n  }\n": types.WhoAmIDocument,
    "\n  query FindUsers($emailContains: String) {\n    users(emailContains: $emailContains, limit: 20) {\n      id\n      email\n      role\n    }\n  }\n": types.FindUsersDocument,
    "\n  query SessionsOfUser($userId: ID!) {\n    userSessions(userId: $userId) {\n      ...SessionRow\n    }\n  }\n": types.SessionsOfUserDocument,
    "\n  mutation LogOutUser($userId: ID!) {\n    adminLogoutUser(userId: $userId)\n  }\n": types.LogOutUserDocument,
    "\n  fragment ConnectedServiceFields on SignalReceiver {\n    id\n    name\n    clientId\n    createdAt\n    streams {\n      id\n      status\n      delivery\n      endpointUrl\n      eventsDelivered\n      pending\n      lastDeliveredAt\n      lastError\n    }\n  }\n": types.ConnectedServiceFieldsFragmentDoc,
    "\n  query ConnectedServices {\n    signalReceivers {\n      ...ConnectedServiceFields\n    }\n  }\n": types.ConnectedServicesDocument,
    "\n  mutation RemoveService($id: ID!) {\n    deleteSignalReceiver(id: $id)\n  }\n": types.RemoveServiceDocument,
    "\n  fragment ActivityEntryFields on ActivityEntry {\n    id\n    kind\n    at\n    sessionId\n    reason\n    byAdministrator\n    actor {\n      id\n      email\n    }\n    ipAddress\n    deviceType\n    browser\n    location {\n      country\n      city\n    }\n    signals\n  }\n": types.ActivityEntryFieldsFragmentDoc,
    "\n  query MyRecentActivity($after: String) {\n    myActivity(first: 20, after: $after) {\n      nodes {\n        ...ActivityEntryFields\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n": types.MyRecentActivityDocument,
    "\n  query UserRecentActivity($userId: ID!, $after: String) {\n    userActivity(userId: $userId, first: 20, after: $after) {\n      nodes {\n        ...ActivityEntryFields\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n": types.UserRecentActivityDocument,
    "\n  mutation RegisterService($name: String!) {\n    createSignalReceiver(name: $name) {\n      clientSecret\n      receiver {\n        ...ConnectedServiceFields\n      }\n    }\n  }\n": types.RegisterServiceDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 *
 *
 * @example
 * ```ts
 * const query = graphql(`query GetUser($id: ID!) { user(id: $id) { name } }`);
 * ```
 *
 * The query argument is unknown!
 * Please regenerate the types.
 */
export function graphql(source: string): unknown;

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query MyActivity($first: Int, $after: String, $kinds: [ActivityKind!]) {\n  myActivity(first: $first, after: $after, kinds: $kinds) {\n    nodes {\n      ...ActivityEntryFields\n    }\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n  }\n}\n\nquery UserActivity($userId: ID!, $first: Int, $after: String, $kinds: [ActivityKind!]) {\n  userActivity(userId: $userId, first: $first, after: $after, kinds: $kinds) {\n    nodes {\n      ...ActivityEntryFields\n    }\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n  }\n}"): (typeof documents)["query MyActivity($first: Int, $after: String, $kinds: [ActivityKind!]) {\n  myActivity(first: $first, after: $after, kinds: $kinds) {\n    nodes {\n      ...ActivityEntryFields\n    }\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n  }\n}\n\nquery UserActivity($userId: ID!, $first: Int, $after: String, $kinds: [ActivityKind!]) {\n  userActivity(userId: $userId, first: $first, after: $after, kinds: $kinds) {\n    nodes {\n      ...ActivityEntryFields\n    }\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query UserSessions($userId: ID!) {\n  userSessions(userId: $userId) {\n    ...SessionFields\n  }\n}\n\nquery Users($emailContains: String, $limit: Int, $offset: Int) {\n  users(emailContains: $emailContains, limit: $limit, offset: $offset) {\n    id\n    email\n    role\n    createdAt\n  }\n}\n\nmutation AdminLogoutUser($userId: ID!) {\n  adminLogoutUser(userId: $userId)\n}"): (typeof documents)["query UserSessions($userId: ID!) {\n  userSessions(userId: $userId) {\n    ...SessionFields\n  }\n}\n\nquery Users($emailContains: String, $limit: Int, $offset: Int) {\n  users(emailContains: $emailContains, limit: $limit, offset: $offset) {\n    id\n    email\n    role\n    createdAt\n  }\n}\n\nmutation AdminLogoutUser($userId: ID!) {\n  adminLogoutUser(userId: $userId)\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "fragment SessionFields on Session {\n  id\n  deviceType\n  os\n  browser\n  browserVersion\n  userAgent\n  ipAddress\n  location {\n    country\n    region\n    city\n    timezone\n  }\n  createdAt\n  lastActiveAt\n  expiresAt\n  isCurrent\n  signals\n  name\n  client\n}\n\nfragment AuthFields on AuthPayload {\n  accessToken\n  accessTokenExpiresAt\n  refreshToken\n  refreshTokenExpiresAt\n  user {\n    id\n    email\n    role\n    createdAt\n  }\n  session {\n    ...SessionFields\n  }\n  deviceToken\n}\n\nmutation SignUp($email: String!, $password: String!, $device: DeviceInput) {\n  signUp(email: $email, password: $password, device: $device) {\n    ...AuthFields\n  }\n}\n\nmutation Login($email: String!, $password: String!, $deviceToken: String, $device: DeviceInput) {\n  login(\n    email: $email\n    password: $password\n    deviceToken: $deviceToken\n    device: $device\n  ) {\n    ...AuthFields\n  }\n}\n\nmutation RefreshSession($refreshToken: String!) {\n  refreshSession(refreshToken: $refreshToken) {\n    ...AuthFields\n  }\n}\n\nmutation Logout {\n  logout\n}\n\nmutation ChangePassword($currentPassword: String!, $newPassword: String!) {\n  changePassword(currentPassword: $currentPassword, newPassword: $newPassword)\n}\n\nquery Me {\n  me {\n    id\n    email\n    role\n    createdAt\n  }\n}"): (typeof documents)["fragment SessionFields on Session {\n  id\n  deviceType\n  os\n  browser\n  browserVersion\n  userAgent\n  ipAddress\n  location {\n    country\n    region\n    city\n    timezone\n  }\n  createdAt\n  lastActiveAt\n  expiresAt\n  isCurrent\n  signals\n  name\n  client\n}\n\nfragment AuthFields on AuthPayload {\n  accessToken\n  accessTokenExpiresAt\n  refreshToken\n  refreshTokenExpiresAt\n  user {\n    id\n    email\n    role\n    createdAt\n  }\n  session {\n    ...SessionFields\n  }\n  deviceToken\n}\n\nmutation SignUp($email: String!, $password: String!, $device: DeviceInput) {\n  signUp(email: $email, password: $password, device: $device) {\n    ...AuthFields\n  }\n}\n\nmutation Login($email: String!, $password: String!, $deviceToken: String, $device: DeviceInput) {\n  login(\n    email: $email\n    password: $password\n    deviceToken: $deviceToken\n    device: $device\n  ) {\n    ...AuthFields\n  }\n}\n\nmutation RefreshSession($refreshToken: String!) {\n  refreshSession(refreshToken: $refreshToken) {\n    ...AuthFields\n  }\n}\n\nmutation Logout {\n  logout\n}\n\nmutation ChangePassword($currentPassword: String!, $newPassword: String!) {\n  changePassword(currentPassword: $currentPassword, newPassword: $newPassword)\n}\n\nquery Me {\n  me {\n    id\n    email\n    role\n    createdAt\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query MySessions {\n  mySessions {\n    ...SessionFields\n  }\n}\n\nmutation TerminateSession($sessionId: ID!) {\n  terminateSession(sessionId: $sessionId)\n}\n\nmutation RenameSession($sessionId: ID!, $name: String!) {\n  renameSession(sessionId: $sessionId, name: $name) {\n    ...SessionFields\n  }\n}\n\nmutation TerminateOtherSessions {\n  terminateOtherSessions\n}"): (typeof documents)["query MySessions {\n  mySessions {\n    ...SessionFields\n  }\n}\n\nmutation TerminateSession($sessionId: ID!) {\n  terminateSession(sessionId: $sessionId)\n}\n\nmutation RenameSession($sessionId: ID!, $name: String!) {\n  renameSession(sessionId: $sessionId, name: $name) {\n    ...SessionFields\n  }\n}\n\nmutation TerminateOtherSessions {\n  terminateOtherSessions\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query SignalReceivers {\n  signalReceivers {\n    ...ConnectedServiceFields\n  }\n}\n\nmutation CreateSignalReceiver($name: String!) {\n  createSignalReceiver(name: $name) {\n    clientSecret\n    receiver {\n      ...ConnectedServiceFields\n    }\n  }\n}\n\nmutation DeleteSignalReceiver($id: ID!) {\n  deleteSignalReceiver(id: $id)\n}"): (typeof documents)["query SignalReceivers {\n  signalReceivers {\n    ...ConnectedServiceFields\n  }\n}\n\nmutation CreateSignalReceiver($name: String!) {\n  createSignalReceiver(name: $name) {\n    clientSecret\n    receiver {\n      ...ConnectedServiceFields\n    }\n  }\n}\n\nmutation DeleteSignalReceiver($id: ID!) {\n  deleteSignalReceiver(id: $id)\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment SessionRow on Session {\n    id\n    name\n    client\n    deviceType\n    os\n    browser\n    browserVersion\n    ipAddress\n    location {\n      country\n      region\n      city\n    }\n    lastActiveAt\n    expiresAt\n    isCurrent\n    signals\n  }\n"): (typeof documents)["\n  fragment SessionRow on Session {\n    id\n    name\n    client\n    deviceType\n    os\n    browser\n    browserVersion\n    ipAddress\n    location {\n      country\n      region\n      city\n    }\n    lastActiveAt\n    expiresAt\n    isCurrent\n    signals\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Account {\n    me {\n      id\n      email\n      role\n    }\n    mySessions {\n      ...SessionRow\n    }\n  }\n"): (typeof documents)["\n  query Account {\n    me {\n      id\n      email\n      role\n    }\n    mySessions {\n      ...SessionRow\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription SessionChanges {\n    mySessionsChanged {\n      change\n      at\n      session {\n        ...SessionRow\n      }\n    }\n  }\n"): (typeof documents)["\n  subscription SessionChanges {\n    mySessionsChanged {\n      change\n      at\n      session {\n        ...SessionRow\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation EndSession($sessionId: ID!) {\n    terminateSession(sessionId: $sessionId)\n  }\n"): (typeof documents)["\n  mutation EndSession($sessionId: ID!) {\n    terminateSession(sessionId: $sessionId)\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation EndOtherSessions {\n    terminateOtherSessions\n  }\n"): (typeof documents)["\n  mutation EndOtherSessions {\n    terminateOtherSessions\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation NameSession($sessionId: ID!, $name: String!) {\n    renameSession(sessionId: $sessionId, name: $name) {\n      ...SessionRow\n    }\n  }\n"): (typeof documents)["\n  mutation NameSession($sessionId: ID!, $name: String!) {\n    renameSession(sessionId: $sessionId, name: $name) {\n      ...SessionRow\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation NewPassword($currentPassword: String!, $newPassword: String!) {\n    changePassword(currentPassword: $currentPassword, newPassword: $newPassword)\n  }\n"): (typeof documents)["\n  mutation NewPassword($currentPassword: String!, $newPassword: String!) {\n    changePassword(currentPassword: $currentPassword, newPassword: $newPassword)\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query WhoAmI {\n    me {\n      id\n      email\n      role\n    }\n  }\n"): (typeof documents)["\n  query WhoAmI {\n    me {\n      id\n      email\n      role\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query FindUsers($emailContains: String) {\n    users(emailContains: $emailContains, limit: 20) {\n      id\n      email\n      role\n    }\n  }\n"): (typeof documents)["\n  query FindUsers($emailContains: String) {\n    users(emailContains: $emailContains, limit: 20) {\n      id\n      email\n      role\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query SessionsOfUser($userId: ID!) {\n    userSessions(userId: $userId) {\n      ...SessionRow\n    }\n  }\n"): (typeof documents)["\n  query SessionsOfUser($userId: ID!) {\n    userSessions(userId: $userId) {\n      ...SessionRow\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation LogOutUser($userId: ID!) {\n    adminLogoutUser(userId: $userId)\n  }\n"): (typeof documents)["\n  mutation LogOutUser($userId: ID!) {\n    adminLogoutUser(userId: $userId)\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment ConnectedServiceFields on SignalReceiver {\n    id\n    name\n    clientId\n    createdAt\n    streams {\n      id\n      status\n      delivery\n      endpointUrl\n      eventsDelivered\n      pending\n      lastDeliveredAt\n      lastError\n    }\n  }\n"): (typeof documents)["\n  fragment ConnectedServiceFields on SignalReceiver {\n    id\n    name\n    clientId\n    createdAt\n    streams {\n      id\n      status\n      delivery\n      endpointUrl\n      eventsDelivered\n      pending\n      lastDeliveredAt\n      lastError\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ConnectedServices {\n    signalReceivers {\n      ...ConnectedServiceFields\n    }\n  }\n"): (typeof documents)["\n  query ConnectedServices {\n    signalReceivers {\n      ...ConnectedServiceFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RemoveService($id: ID!) {\n    deleteSignalReceiver(id: $id)\n  }\n"): (typeof documents)["\n  mutation RemoveService($id: ID!) {\n    deleteSignalReceiver(id: $id)\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment ActivityEntryFields on ActivityEntry {\n    id\n    kind\n    at\n    sessionId\n    reason\n    byAdministrator\n    actor {\n      id\n      email\n    }\n    ipAddress\n    deviceType\n    browser\n    location {\n      country\n      city\n    }\n    signals\n  }\n"): (typeof documents)["\n  fragment ActivityEntryFields on ActivityEntry {\n    id\n    kind\n    at\n    sessionId\n    reason\n    byAdministrator\n    actor {\n      id\n      email\n    }\n    ipAddress\n    deviceType\n    browser\n    location {\n      country\n      city\n    }\n    signals\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query MyRecentActivity($after: String) {\n    myActivity(first: 20, after: $after) {\n      nodes {\n        ...ActivityEntryFields\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n"): (typeof documents)["\n  query MyRecentActivity($after: String) {\n    myActivity(first: 20, after: $after) {\n      nodes {\n        ...ActivityEntryFields\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query UserRecentActivity($userId: ID!, $after: String) {\n    userActivity(userId: $userId, first: 20, after: $after) {\n      nodes {\n        ...ActivityEntryFields\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n"): (typeof documents)["\n  query UserRecentActivity($userId: ID!, $after: String) {\n    userActivity(userId: $userId, first: 20, after: $after) {\n      nodes {\n        ...ActivityEntryFields\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RegisterService($name: String!) {\n    createSignalReceiver(name: $name) {\n      clientSecret\n      receiver {\n        ...ConnectedServiceFields\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation RegisterService($name: String!) {\n    createSignalReceiver(name: $name) {\n      clientSecret\n      receiver {\n        ...ConnectedServiceFields\n      }\n    }\n  }\n"];

export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}

export type DocumentType<TDocumentNode extends DocumentNode<any, any>> = TDocumentNode extends DocumentNode<  infer TType,  any>  ? TType  : never;