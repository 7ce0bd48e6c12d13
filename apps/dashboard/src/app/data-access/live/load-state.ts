/** Where a REST read stands; `error` holds a sentence for the user when status is 'error'. */
export type LoadStatus = 'idle' | 'loading' | 'ready' | 'error';

export interface LoadState {
  status: LoadStatus;
  error: string | null;
}

export const idle: LoadState = { status: 'idle', error: null };
export const loading: LoadState = { status: 'loading', error: null };
export const ready: LoadState = { status: 'ready', error: null };
export const failed = (error: string): LoadState => ({ status: 'error', error });
