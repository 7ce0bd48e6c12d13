// The shared given/when/then helper for deciders (STYLE.md §6).
export { deciderSpec, type Expect } from '@smilepay/shared/domain';
