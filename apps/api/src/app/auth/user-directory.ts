import { scryptSync, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Role } from '@smilepay/shared/contracts';

interface StoredUser {
  role: Role;
  salt: Buffer;
  hash: Buffer;
}

export interface UserSpec {
  username: string;
  password: string;
  role: Role;
}

/** The demo's users: one per role, with the role as the password. Real deployments set DASHBOARD_USERS. */
export const DEMO_USERS: UserSpec[] = [
  { username: 'analyst', password: 'analyst', role: 'analyst' },
  { username: 'auditor', password: 'auditor', role: 'auditor' },
  { username: 'admin', password: 'admin', role: 'admin' },
];

/** Dashboard users with scrypt-hashed passwords; plain passwords are dropped right after hashing. */
export class UserDirectory {
  private readonly users = new Map<string, StoredUser>();

  constructor(specs: UserSpec[]) {
    for (const spec of specs) {
      const salt = randomBytes(16);
      this.users.set(spec.username, { role: spec.role, salt, hash: scryptSync(spec.password, salt, 32) });
    }
  }

  /** Returns the role for valid credentials. Unknown users cost the same as known ones (no user enumeration). */
  authenticate(username: string, password: string): Role | undefined {
    const user = this.users.get(username);
    const salt = user?.salt ?? Buffer.alloc(16);
    const hash = scryptSync(password, salt, 32);
    if (!user) return undefined;
    return timingSafeEqual(hash, user.hash) ? user.role : undefined;
  }
}
