// The bounded LRU map lives with the command handler that caches folded states; re-exported for existing callers.
export { LruCache } from '@smilepay/shared/eventstore';
