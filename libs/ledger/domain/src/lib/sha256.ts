// One SHA-256 for every domain lib: see @smilepay/shared/domain.
export { sha256Hex, utf8Bytes } from '@smilepay/shared/domain';
