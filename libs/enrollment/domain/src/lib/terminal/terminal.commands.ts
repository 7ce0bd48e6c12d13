export interface RegisterTerminal {
  type: 'RegisterTerminal';
  terminalId: string;
  merchantId: string;
  /** The merchant's ledger account, credited by every payment taken at this terminal. */
  merchantAccountId: string;
  at: Date;
}

export interface RecordTerminalFaceAttemptFailed {
  type: 'RecordTerminalFaceAttemptFailed';
  checkoutId: string;
  reason: 'no_match' | 'spoof';
  livenessEnabled: boolean;
  at: Date;
}

export interface RecordTerminalFaceAttemptSucceeded {
  type: 'RecordTerminalFaceAttemptSucceeded';
  checkoutId: string;
  customerId: string;
  at: Date;
}

export interface UnlockTerminalFacePayment {
  type: 'UnlockTerminalFacePayment';
  reason: 'cooldown_elapsed' | 'analyst';
  at: Date;
}

export type TerminalCommand =
  RegisterTerminal | RecordTerminalFaceAttemptFailed | RecordTerminalFaceAttemptSucceeded | UnlockTerminalFacePayment;
