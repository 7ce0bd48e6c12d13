import { hash } from 'node:crypto';
import type { Sha256HexOf } from '@smilepay/ledger/domain';

/**
 * node:crypto's SHA-256 for the domain's request fingerprints: the same bytes as the domain's pure implementation
 * (node-sha256.spec.ts), about ten times cheaper, and a fingerprint is computed for every transfer, post and void.
 */
export const nodeSha256Hex: Sha256HexOf = (text) => hash('sha256', text, 'hex');
