// Moved to @smilepay/shared/contracts; re-exported so the features importing them from here keep working.
export type {
  ClaimEvidencePack,
  CustomerBalanceView,
  CustomerStatus,
  CustomerSummaryView,
  EvidencePayment,
  TerminalStatus,
  TerminalView,
} from '@smilepay/shared/contracts';
