/**
 * Who is calling. Set on the request by the gateway's authentication hook (API key or admin token) or by the
 * dashboard session hook; every owner-scoped read checks `userId` against the object's owner.
 */
export interface AuthContext {
  userId: string;
  role: 'user' | 'admin';
  groupId: string;
  via: 'api_key' | 'admin_token' | 'session';
  /** Present when authenticated by an API key. */
  key?: {
    id: string;
    allowedModels: string[] | null;
    allowedIps: string[] | null;
    /** An admin created this key for the admin API (see api/admin/require-admin.ts). */
    adminScope: boolean;
  };
}
