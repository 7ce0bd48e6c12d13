// One SHA-256 for every domain lib: see @smilepay/shared/domain.
export { sha256, type Sha256 } from '@smilepay/shared/domain';
