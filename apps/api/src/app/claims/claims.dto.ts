import { MAX_PAYMENTS_PER_CLAIM, MAX_REASON_LENGTH } from '@smilepay/claims/domain';
import { CURRENCIES, type CurrencyCode } from '@smilepay/ledger/domain';
import { ArrayMaxSize, ArrayMinSize, ArrayUnique, IsArray, IsIn, IsInt, IsOptional, IsString, IsUUID, Matches, Max, MaxLength, Min, MinLength } from 'class-validator';

// Wire shapes of the claims routes. Amounts are decimal strings of minor units (no sign, no leading zeros).
const MINOR = /^(0|[1-9][0-9]{0,18})$/;
const ID = /^[A-Za-z0-9][A-Za-z0-9_:.-]{0,127}$/;

/** The body of a route that takes none: `{}`, and any field is refused. */
export class EmptyBodyDto {}

export class FileClaimDto {
  @IsString()
  @Matches(ID, { message: 'customerId must be 1-128 characters of [A-Za-z0-9_:.-]' })
  customerId!: string;

  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_PAYMENTS_PER_CLAIM)
  @ArrayUnique()
  @IsString({ each: true })
  @Matches(ID, { each: true, message: 'each payment id must be 1-128 characters of [A-Za-z0-9_:.-]' })
  paymentIds!: string[];

  @IsString()
  @Matches(MINOR, { message: 'claimedMinor must be a decimal string of minor units' })
  claimedMinor!: string;

  @IsIn(CURRENCIES)
  currency!: CurrencyCode;

  @IsString()
  @MinLength(1)
  @MaxLength(MAX_REASON_LENGTH)
  reason!: string;
}

export class ApproveClaimDto {
  @IsString()
  @Matches(MINOR, { message: 'amountMinor must be a decimal string of minor units' })
  amountMinor!: string;
}

export class RejectClaimDto {
  @IsString()
  @MinLength(1)
  @MaxLength(MAX_REASON_LENGTH)
  reason!: string;
}

/** POST /v1/loss-reserves: open the currency's loss reserve and top it up from the external account. */
export class EnsureLossReserveDto {
  @IsIn(CURRENCIES)
  currency!: CurrencyCode;

  @IsString()
  @Matches(MINOR, { message: 'minimumMinor must be a decimal string of minor units' })
  minimumMinor!: string;

  /** The ledger the currency's wallets are on (the api's onboarding uses 1). */
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(2 ** 31 - 1)
  ledger?: number;

  /** Defaults to the api's well-known external account of the currency. */
  @IsOptional()
  @IsUUID()
  fundingAccountId?: string;
}
