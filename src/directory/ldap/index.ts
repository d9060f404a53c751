/** The Active Directory backend's public surface. */
export { AmbiguousGroupError, LdapDirectory, type LdapDirectoryOptions } from './directory.js';
export type { ConnectionStats, PageInfo } from './connection.js';
