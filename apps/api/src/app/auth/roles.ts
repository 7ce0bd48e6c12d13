import { SetMetadata } from '@nestjs/common';
import type { Role } from '@smilepay/shared/contracts';

export const ROLES_KEY = 'smilepay:roles';
export const PUBLIC_KEY = 'smilepay:public';
export const INTERNAL_KEY = 'smilepay:internal';

/** Who may call a route. Routes without @Roles, @Public or @Internal are refused: the default is closed. */
export const Roles = (...roles: Role[]) => SetMetadata(ROLES_KEY, roles);
export const Public = () => SetMetadata(PUBLIC_KEY, true);
/** Service-to-service routes, authenticated with the internal token (terminal gateway → api). */
export const Internal = () => SetMetadata(INTERNAL_KEY, true);

/** Every role may read; only these may act on alerts and claims. */
export const READERS: Role[] = ['analyst', 'auditor', 'admin'];
export const ACTORS: Role[] = ['analyst', 'admin'];
