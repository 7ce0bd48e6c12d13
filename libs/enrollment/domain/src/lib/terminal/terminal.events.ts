/**
 * Events of stream `terminal-<terminalId>`. A terminal belongs to one merchant for life and carries the per-terminal
 * face lockout (a shop under a spoofing attack) and the short list of its regular customers, which the checkout risk
 * policy uses to ask regulars for 4 phone digits instead of 11.
 */
export interface TerminalRegistered {
  type: 'TerminalRegistered';
  data: { terminalId: string; merchantId: string; merchantAccountId: string; registeredAt: string };
}

export interface TerminalFaceAttemptFailed {
  type: 'TerminalFaceAttemptFailed';
  data: {
    terminalId: string;
    checkoutId: string;
    reason: 'no_match' | 'spoof';
    consecutiveFailures: number;
    failedAt: string;
  };
}

export interface TerminalFaceAttemptSucceeded {
  type: 'TerminalFaceAttemptSucceeded';
  data: { terminalId: string; checkoutId: string; customerId: string; succeededAt: string };
}

export interface TerminalFacePaymentLocked {
  type: 'TerminalFacePaymentLocked';
  data: { terminalId: string; consecutiveFailures: number; cooldownMs: number; lockedUntil: string; lockedAt: string };
}

export interface TerminalFacePaymentUnlocked {
  type: 'TerminalFacePaymentUnlocked';
  data: { terminalId: string; reason: 'cooldown_elapsed' | 'analyst'; unlockedAt: string };
}

export type TerminalEvent =
  | TerminalRegistered
  | TerminalFaceAttemptFailed
  | TerminalFaceAttemptSucceeded
  | TerminalFacePaymentLocked
  | TerminalFacePaymentUnlocked;

export const TERMINAL_EVENT_TYPES: readonly TerminalEvent['type'][] = [
  'TerminalRegistered',
  'TerminalFaceAttemptFailed',
  'TerminalFaceAttemptSucceeded',
  'TerminalFacePaymentLocked',
  'TerminalFacePaymentUnlocked',
];
