import { ACCOUNT_FLAGS, ACCOUNT_KINDS, CURRENCIES, type AccountFlag, type AccountKind, type CurrencyCode } from '@smilepay/ledger/domain';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsIn, IsInt, IsOptional, IsString, IsUUID, Matches, Max, Min, ValidateNested } from 'class-validator';

// Wire shapes of the ledger routes. Amounts are decimal strings of minor units; the domain parses them to bigint
// strictly (digits only, no leading zeros), so the same amount always has the same spelling in fingerprints.
const MINOR = /^[0-9]{1,19}$/;

export class OpenAccountDto {
  @IsUUID()
  accountId!: string;

  @IsIn(ACCOUNT_KINDS)
  kind!: AccountKind;

  @IsIn(CURRENCIES)
  currency!: CurrencyCode;

  @IsInt()
  @Min(1)
  @Max(2 ** 31 - 1)
  ledger!: number;

  @IsInt()
  @Min(0)
  @Max(65535)
  code!: number;

  @IsOptional()
  @IsArray()
  @ArrayMaxSize(1)
  @IsIn(ACCOUNT_FLAGS, { each: true })
  flags?: AccountFlag[];
}

export class TransferDto {
  @IsUUID()
  id!: string;

  @IsUUID()
  debitAccountId!: string;

  @IsUUID()
  creditAccountId!: string;

  @IsString()
  @Matches(MINOR, { message: 'amountMinor must be a decimal string of minor units' })
  amountMinor!: string;

  @IsIn(CURRENCIES)
  currency!: CurrencyCode;

  @IsInt()
  @Min(1)
  @Max(2 ** 31 - 1)
  ledger!: number;

  @IsInt()
  @Min(0)
  @Max(65535)
  code!: number;

  @IsIn(['single', 'pending'])
  kind!: 'single' | 'pending';

  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(7 * 24 * 3600)
  timeoutSeconds?: number;
}

export class CreateTransfersDto {
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(64)
  @ValidateNested({ each: true })
  @Type(() => TransferDto)
  transfers!: TransferDto[];
}

export class PostPendingDto {
  @IsUUID()
  id!: string;

  @IsOptional()
  @IsString()
  @Matches(MINOR, { message: 'amountMinor must be a decimal string of minor units' })
  amountMinor?: string;
}

export class VoidPendingDto {
  @IsUUID()
  id!: string;
}
